/// The fixed RTP header, RFC 3550 section 5.1.
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |            contributing source (CSRC) identifiers             |
/// |                             ....                              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// A sender writes no padding, no extension and no CSRCs; a parser accepts all three and
/// reports where the payload starts and ends.
public struct RTPHeader: Sendable, Hashable {
    static let version: UInt8 = 2
    static let versionShift = 6
    static let paddingBit: UInt8 = 0x20
    static let extensionBit: UInt8 = 0x10
    static let csrcCountMask: UInt8 = 0x0F
    static let markerBit: UInt8 = 0x80
    static let payloadTypeMask: UInt8 = 0x7F
    static let sequenceOffset = 2
    static let timestampOffset = 4
    static let ssrcOffset = 8
    /// Bytes of the fixed header.
    public static let fixedByteCount = 12

    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    public var csrcs: [UInt32]

    public init(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
        csrcs: [UInt32] = []
    ) {
        precondition(payloadType <= Self.payloadTypeMask, "payload type is 7 bits")
        precondition(csrcs.count <= 15, "at most 15 CSRCs")
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
    }

    /// Bytes this header takes when written.
    public var byteCount: Int { Self.fixedByteCount + 4 * csrcs.count }

    /// Writes the header at the start of `buffer`; returns the bytes written.
    @discardableResult
    public func write(to buffer: UnsafeMutableRawBufferPointer) throws(RTPError) -> Int {
        guard buffer.count >= byteCount else { throw .bufferTooSmall(needed: byteCount, available: buffer.count) }
        buffer[0] = Self.version << Self.versionShift | UInt8(csrcs.count)
        buffer[1] = (marker ? Self.markerBit : 0) | payloadType
        buffer.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: Self.sequenceOffset, as: UInt16.self)
        buffer.storeBytes(of: timestamp.bigEndian, toByteOffset: Self.timestampOffset, as: UInt32.self)
        buffer.storeBytes(of: ssrc.bigEndian, toByteOffset: Self.ssrcOffset, as: UInt32.self)
        for (index, csrc) in csrcs.enumerated() {
            buffer.storeBytes(of: csrc.bigEndian, toByteOffset: Self.fixedByteCount + 4 * index, as: UInt32.self)
        }
        return byteCount
    }

    /// The header as bytes.
    public var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: byteCount)
        // The array is exactly byteCount long, so writing cannot fail.
        out.withUnsafeMutableBytes { buffer in _ = try? write(to: buffer) }
        return out
    }
}

/// A parsed RTP packet: its header and where its payload lies in the bytes it came from.
public struct RTPPacket: Sendable, Hashable {
    public var header: RTPHeader
    /// Byte range of the payload within the parsed datagram (padding and extension excluded).
    public var payloadRange: Range<Int>

    /// Parses one datagram, RFC 3550 section 5.1 (and 5.3.1 for the extension it skips).
    public init(parsing bytes: UnsafeRawBufferPointer) throws(RTPError) {
        let count = bytes.count
        guard count >= RTPHeader.fixedByteCount else {
            throw .truncated(needed: RTPHeader.fixedByteCount, available: count)
        }
        let first = bytes[0]
        let version = first >> RTPHeader.versionShift
        guard version == RTPHeader.version else { throw .unsupportedVersion(version) }
        let csrcCount = Int(first & RTPHeader.csrcCountMask)
        var offset = RTPHeader.fixedByteCount + 4 * csrcCount
        guard count >= offset else { throw .truncated(needed: offset, available: count) }
        var csrcs: [UInt32] = []
        for index in 0..<csrcCount {
            csrcs.append(bytes.loadBig(UInt32.self, at: RTPHeader.fixedByteCount + 4 * index))
        }
        if first & RTPHeader.extensionBit != 0 {
            guard count >= offset + 4 else { throw .truncated(needed: offset + 4, available: count) }
            let words = Int(bytes.loadBig(UInt16.self, at: offset + 2))
            offset += 4 + 4 * words
            guard count >= offset else { throw .truncated(needed: offset, available: count) }
        }
        var end = count
        if first & RTPHeader.paddingBit != 0 {
            let padding = Int(bytes[count - 1])
            guard padding >= 1, padding <= count - offset else {
                throw .badPadding(length: padding, available: count - offset)
            }
            end -= padding
        }
        let second = bytes[1]
        header = RTPHeader(
            marker: second & RTPHeader.markerBit != 0,
            payloadType: second & RTPHeader.payloadTypeMask,
            sequenceNumber: bytes.loadBig(UInt16.self, at: RTPHeader.sequenceOffset),
            timestamp: bytes.loadBig(UInt32.self, at: RTPHeader.timestampOffset),
            ssrc: bytes.loadBig(UInt32.self, at: RTPHeader.ssrcOffset),
            csrcs: csrcs)
        payloadRange = offset..<end
    }

    /// Parses one datagram held in an array.
    public init(parsing bytes: [UInt8]) throws(RTPError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(RTPError) in try RTPPacket(parsing: raw) } }
        self = try result.get()
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always)
    func loadBig<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(bigEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
