/// A SAP packet (RFC 2974 section 3): the announcement or deletion of a session description.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | V=1 |A|R|T|E|C|   auth len    |         msg id hash           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// :                originating source (32 or 128 bits)            :
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    optional authentication data               |
/// :                    optional payload type ("application/sdp")  :
/// +                                         +-+- - - - - - - - - -+
/// |                                         |0|                   |
/// + - - - - - - - - - - - - - - - - - - - - +-+                   |
/// |                    payload (the SDP)                          |
/// ```
///
/// A: 0 for an IPv4 originating source, 1 for IPv6. T: 0 announcement, 1 deletion. E (encrypted) and C (compressed)
/// are never set by this writer and refused by this reader, as no key or codec is known here.
public struct SAPPacket: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case announcement
        case deletion
    }

    public static let version: UInt8 = 1
    static let versionShift = 5
    static let ipv6Bit: UInt8 = 0x10
    static let deletionBit: UInt8 = 0x04
    static let encryptedBit: UInt8 = 0x02
    static let compressedBit: UInt8 = 0x01
    /// The payload type every SDP announcement names.
    public static let sdpPayloadType = "application/sdp"
    /// SAP's port (RFC 2974 section 3).
    public static let port = 9875

    public var kind: Kind
    /// Tells announcements of one session apart from another's, and changes whenever its description does.
    public var messageIDHash: UInt16
    /// The announcer's address: 4 bytes (IPv4) or 16 (IPv6), network order.
    public var originatingSource: [UInt8]
    /// The session description.
    public var payload: String

    public init(kind: Kind, messageIDHash: UInt16, originatingSource: [UInt8], payload: String) {
        precondition(originatingSource.count == 4 || originatingSource.count == 16, "an IPv4 or IPv6 address")
        self.kind = kind
        self.messageIDHash = messageIDHash
        self.originatingSource = originatingSource
        self.payload = payload
    }

    /// The packet's bytes, with the payload type `application/sdp`.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        var first = Self.version << Self.versionShift
        if originatingSource.count == 16 { first |= Self.ipv6Bit }
        if kind == .deletion { first |= Self.deletionBit }
        out.append(first)
        out.append(0)  // no authentication data
        out.append(UInt8(messageIDHash >> 8))
        out.append(UInt8(messageIDHash & 0xFF))
        out += originatingSource
        out += Array(Self.sdpPayloadType.utf8) + [0]
        out += Array(payload.utf8)
        return out
    }

    /// Parses a SAP datagram. Total: any bytes give a packet or an `SDPError`.
    public init(parsing bytes: [UInt8]) throws(SDPError) {
        guard bytes.count >= 4 else { throw .sap(.truncated) }
        let first = bytes[0]
        guard first >> Self.versionShift == Self.version else { throw .sap(.version(first >> Self.versionShift)) }
        guard first & (Self.encryptedBit | Self.compressedBit) == 0 else { throw .sap(.encryptedOrCompressed) }
        let sourceLength = first & Self.ipv6Bit != 0 ? 16 : 4
        let authentication = Int(bytes[1]) * 4
        var offset = 4 + sourceLength + authentication
        guard bytes.count >= offset else { throw .sap(.truncated) }
        kind = first & Self.deletionBit != 0 ? .deletion : .announcement
        messageIDHash = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        originatingSource = Array(bytes[4..<(4 + sourceLength)])
        // The payload type is optional: a payload starting with "v=0" has none (RFC 2974 section 3).
        if !bytes[offset...].starts(with: Array("v=0".utf8)) {
            guard let end = bytes[offset...].firstIndex(of: 0) else { throw .sap(.truncated) }
            let type = String(decoding: bytes[offset..<end], as: UTF8.self)
            // MIME types are case-insensitive (RFC 2045 section 5.1).
            guard type.lowercased() == Self.sdpPayloadType else { throw .sap(.payloadType(String(type.prefix(64)))) }
            offset = end + 1
        }
        guard let text = String(validating: bytes[offset...], as: UTF8.self) else { throw .sap(.notUTF8) }
        payload = text
    }
}

extension SAPPacket {
    /// The session the packet is about, whatever its version: the payload's `o=` line without its version field
    /// (user, session id, network and address type, address: RFC 8866 section 5.2's globally unique identifier).
    /// A deletion may carry the `o=` line alone (RFC 2974 section 3), so only that line is read. Nil when there is
    /// none or it is malformed.
    public var sessionKey: String? {
        for line in payload.split(whereSeparator: \.isNewline) where line.hasPrefix("o=") {
            let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 6 else { return nil }
            return [fields[0], fields[1], fields[3], fields[4], fields[5]].joined(separator: " ")
        }
        return nil
    }
}

/// Why a datagram is not a SAP packet this reader can use.
public enum SAPProblem: Sendable, Hashable, CustomStringConvertible {
    case truncated
    case version(UInt8)
    case encryptedOrCompressed
    case payloadType(String)
    case notUTF8

    public var description: String {
        switch self {
        case .truncated: "SAP packet truncated"
        case .version(let version): "SAP version \(version), expected 1"
        case .encryptedOrCompressed: "SAP packet encrypted or compressed"
        case .payloadType(let type): "SAP payload type '\(type)', expected application/sdp"
        case .notUTF8: "SAP payload not UTF-8"
        }
    }
}
