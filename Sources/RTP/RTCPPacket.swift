/// One RTCP packet, RFC 3550 section 6. Several travel together as a compound packet (section 6.1).
///
/// Every RTCP packet starts with the same word:
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  count  |      PT       |             length            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
/// `count` is the number of report blocks, SDES chunks or BYE sources; `length` is the packet's size in 32-bit
/// words minus one, header included.
public enum RTCPPacket: Sendable, Hashable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    case sourceDescription(RTCPSourceDescription)
    case goodbye(RTCPGoodbye)
    /// A packet type this library does not interpret (APP, feedback, XR, ...), kept as its body.
    case other(type: UInt8, count: UInt8, body: [UInt8])

    static let headerByteCount = 4
    static let versionBits: UInt8 = 2 << 6
    static let paddingBit: UInt8 = 0x20
    static let countMask: UInt8 = 0x1F

    /// Packet type numbers, RFC 3550 section 12.1.
    public enum PacketType {
        public static let senderReport: UInt8 = 200
        public static let receiverReport: UInt8 = 201
        public static let sourceDescription: UInt8 = 202
        public static let goodbye: UInt8 = 203
    }

    /// The most report blocks, SDES chunks or BYE sources one packet's 5-bit count holds.
    public static let maximumCount = 31

    /// The packet as bytes, header included; its length is a whole number of 32-bit words.
    ///
    /// More than 31 report blocks, chunks or sources do not fit the count field: they go out as several packets
    /// of the same kind, one after the other (RFC 3550 section 6.4.2 stacks further RRs after an SR or RR).
    public var bytes: [UInt8] {
        let limit = Self.maximumCount
        switch self {
        case .senderReport(var report) where report.reports.count > limit:
            let rest = RTCPReceiverReport(ssrc: report.ssrc, reports: Array(report.reports.dropFirst(limit)))
            report.reports = Array(report.reports.prefix(limit))
            return RTCPPacket.senderReport(report).bytes + RTCPPacket.receiverReport(rest).bytes
        case .receiverReport(var report) where report.reports.count > limit:
            let rest = RTCPReceiverReport(ssrc: report.ssrc, reports: Array(report.reports.dropFirst(limit)))
            report.reports = Array(report.reports.prefix(limit))
            return RTCPPacket.receiverReport(report).bytes + RTCPPacket.receiverReport(rest).bytes
        case .sourceDescription(let description) where description.chunks.count > limit:
            return RTCPPacket.sourceDescription(.init(chunks: Array(description.chunks.prefix(limit)))).bytes
                + RTCPPacket.sourceDescription(.init(chunks: Array(description.chunks.dropFirst(limit)))).bytes
        case .goodbye(let goodbye) where goodbye.sources.count > limit:
            return RTCPPacket.goodbye(.init(sources: Array(goodbye.sources.prefix(limit)))).bytes
                + RTCPPacket.goodbye(.init(sources: Array(goodbye.sources.dropFirst(limit)), reason: goodbye.reason))
                .bytes
        default:
            return singlePacketBytes
        }
    }

    private var singlePacketBytes: [UInt8] {
        var (type, count, body) = parts
        // An uninterpreted body may end off a word boundary (a parsed odd padding count): pad it with zeros.
        body += [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        var out = [UInt8]()
        out.reserveCapacity(Self.headerByteCount + body.count)
        out.append(Self.versionBits | count)
        out.append(type)
        out.appendBig(UInt16(body.count / 4))  // (header + body) / 4 - 1
        out += body
        return out
    }

    private var parts: (type: UInt8, count: UInt8, body: [UInt8]) {
        switch self {
        case .senderReport(let report): (PacketType.senderReport, UInt8(report.reports.count), report.body)
        case .receiverReport(let report): (PacketType.receiverReport, UInt8(report.reports.count), report.body)
        case .sourceDescription(let description):
            (PacketType.sourceDescription, UInt8(description.chunks.count), description.body)
        case .goodbye(let goodbye): (PacketType.goodbye, UInt8(goodbye.sources.count), goodbye.body)
        case .other(let type, let count, let body): (type, count, body)
        }
    }

    /// Serialises packets one after the other into one compound datagram.
    public static func compound(_ packets: [RTCPPacket]) -> [UInt8] {
        packets.flatMap(\.bytes)
    }

    /// Parses a compound datagram into its packets. Untrusted input: every length and count is checked against
    /// the bytes there are, and the first fault rejects the whole datagram (RFC 3550 section 6.4.1's validity checks:
    /// version 2, lengths that add up to the datagram, padding only on the last packet).
    public static func parseCompound(_ datagram: [UInt8]) throws(RTPError) -> [RTCPPacket] {
        guard !datagram.isEmpty else { throw .empty }
        var packets: [RTCPPacket] = []
        var offset = 0
        while offset < datagram.count {
            guard datagram.count - offset >= headerByteCount else {
                throw .truncated(needed: offset + headerByteCount, available: datagram.count)
            }
            let first = datagram[offset]
            guard first >> 6 == 2 else { throw .unsupportedVersion(first >> 6) }
            let type = datagram[offset + 1]
            let count = first & countMask
            let length = (Int(datagram[offset + 2]) << 8 | Int(datagram[offset + 3]) + 1) * 4
            let end = offset + length
            guard end <= datagram.count else { throw .truncated(needed: end, available: datagram.count) }
            var bodyEnd = end
            if first & paddingBit != 0 {
                guard end == datagram.count else { throw .paddingNotLast }
                let padding = Int(datagram[end - 1])
                guard padding >= 1, padding <= length - headerByteCount else {
                    throw .badPadding(length: padding, available: length - headerByteCount)
                }
                bodyEnd -= padding
            }
            let body = Array(datagram[(offset + headerByteCount)..<bodyEnd])
            packets.append(try parse(type: type, count: count, body: body))
            offset = end
        }
        return packets
    }

    static func parse(type: UInt8, count: UInt8, body: [UInt8]) throws(RTPError) -> RTCPPacket {
        var reader = ByteReader(body)
        switch type {
        case PacketType.senderReport: return .senderReport(try RTCPSenderReport(count: count, reader: &reader))
        case PacketType.receiverReport: return .receiverReport(try RTCPReceiverReport(count: count, reader: &reader))
        case PacketType.sourceDescription:
            return .sourceDescription(try RTCPSourceDescription(count: count, reader: &reader))
        case PacketType.goodbye: return .goodbye(try RTCPGoodbye(count: count, reader: &reader))
        default: return .other(type: type, count: count, body: body)
        }
    }
}

/// Reads big-endian fields from bytes, throwing instead of reading past the end.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    mutating func uint8() throws(RTPError) -> UInt8 {
        guard remaining >= 1 else { throw .truncated(needed: offset + 1, available: bytes.count) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() throws(RTPError) -> UInt32 {
        guard remaining >= 4 else { throw .truncated(needed: offset + 4, available: bytes.count) }
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8
            | UInt32(bytes[offset + 3])
    }

    mutating func take(_ count: Int) throws(RTPError) -> ArraySlice<UInt8> {
        guard remaining >= count else { throw .truncated(needed: offset + count, available: bytes.count) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }
}

extension [UInt8] {
    mutating func appendBig<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
