/// A reception report block, RFC 3550 section 6.4.1: what one receiver says about one source.
///
/// ```
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                 SSRC_1 (SSRC of first source)                 |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | fraction lost |       cumulative number of packets lost       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           extended highest sequence number received           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      interarrival jitter                      |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         last SR (LSR)                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// ```
public struct RTCPReportBlock: Sendable, Hashable {
    static let byteCount = 24

    public var ssrc: UInt32
    /// Packets lost since the last report, as a fraction of 256.
    public var fractionLost: UInt8
    /// Packets lost in all, a signed 24-bit number (duplicates can make it negative).
    public var cumulativeLost: Int32
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    /// The middle 32 bits of the NTP time of the last SR received, 0 if none.
    public var lastSenderReport: UInt32
    /// Time since that SR, in units of 1/65536 s.
    public var delaySinceLastSenderReport: UInt32

    public init(
        ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32, extendedHighestSequence: UInt32, jitter: UInt32,
        lastSenderReport: UInt32, delaySinceLastSenderReport: UInt32
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    init(reader: inout ByteReader) throws(RTPError) {
        ssrc = try reader.uint32()
        let lossWord = try reader.uint32()
        fractionLost = UInt8(lossWord >> 24)
        cumulativeLost = Int32(bitPattern: lossWord << 8) >> 8  // sign-extend 24 bits
        extendedHighestSequence = try reader.uint32()
        jitter = try reader.uint32()
        lastSenderReport = try reader.uint32()
        delaySinceLastSenderReport = try reader.uint32()
    }

    func append(to out: inout [UInt8]) {
        out.appendBig(ssrc)
        // 24 bits: clamp rather than wrap a count beyond them (RFC 3550 appendix A.3).
        let lost = min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        out.appendBig(UInt32(fractionLost) << 24 | UInt32(bitPattern: lost) & 0x00FF_FFFF)
        out.appendBig(extendedHighestSequence)
        out.appendBig(jitter)
        out.appendBig(lastSenderReport)
        out.appendBig(delaySinceLastSenderReport)
    }

    static func blocks(count: UInt8, reader: inout ByteReader, type: UInt8) throws(RTPError) -> [RTCPReportBlock] {
        guard reader.remaining >= Int(count) * byteCount else {
            throw .countBeyondLength(count: Int(count), type: type)
        }
        var blocks: [RTCPReportBlock] = []
        for _ in 0..<count { blocks.append(try RTCPReportBlock(reader: &reader)) }
        return blocks
    }
}

/// A sender report (SR, PT 200), RFC 3550 section 6.4.1: which RTP timestamp belongs to which NTP wall-clock
/// instant, and how much the sender has sent.
///
/// ```
/// |V=2|P|    RC   |   PT=SR=200   |             length            |
/// |                         SSRC of sender                        |
/// |              NTP timestamp, most significant word             |
/// |             NTP timestamp, least significant word             |
/// |                         RTP timestamp                         |
/// |                     sender's packet count                     |
/// |                      sender's octet count                     |
/// |                 report blocks (24 bytes each)                 |
/// ```
public struct RTCPSenderReport: Sendable, Hashable {
    public var ssrc: UInt32
    public var ntpTimestamp: NTPTimestamp
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    /// Payload octets sent (headers and padding excluded).
    public var octetCount: UInt32
    public var reports: [RTCPReportBlock]

    public init(
        ssrc: UInt32, ntpTimestamp: NTPTimestamp, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
        reports: [RTCPReportBlock] = []
    ) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reports = reports
    }

    init(count: UInt8, reader: inout ByteReader) throws(RTPError) {
        ssrc = try reader.uint32()
        let high = try reader.uint32()
        let low = try reader.uint32()
        ntpTimestamp = NTPTimestamp(rawValue: UInt64(high) << 32 | UInt64(low))
        rtpTimestamp = try reader.uint32()
        packetCount = try reader.uint32()
        octetCount = try reader.uint32()
        reports = try RTCPReportBlock.blocks(count: count, reader: &reader, type: RTCPPacket.PacketType.senderReport)
    }

    var body: [UInt8] {
        var out = [UInt8]()
        out.appendBig(ssrc)
        out.appendBig(ntpTimestamp.rawValue)
        out.appendBig(rtpTimestamp)
        out.appendBig(packetCount)
        out.appendBig(octetCount)
        for block in reports { block.append(to: &out) }
        return out
    }
}

/// A receiver report (RR, PT 201), RFC 3550 section 6.4.2: the reporter's SSRC and its report blocks.
public struct RTCPReceiverReport: Sendable, Hashable {
    public var ssrc: UInt32
    public var reports: [RTCPReportBlock]

    public init(ssrc: UInt32, reports: [RTCPReportBlock]) {
        self.ssrc = ssrc
        self.reports = reports
    }

    init(count: UInt8, reader: inout ByteReader) throws(RTPError) {
        ssrc = try reader.uint32()
        reports = try RTCPReportBlock.blocks(count: count, reader: &reader, type: RTCPPacket.PacketType.receiverReport)
    }

    var body: [UInt8] {
        var out = [UInt8]()
        out.appendBig(ssrc)
        for block in reports { block.append(to: &out) }
        return out
    }
}

/// Source description (SDES, PT 202), RFC 3550 section 6.5: per source a list of items such as the CNAME.
///
/// Each chunk is an SSRC followed by items (type, length, text) and ends with one to four zero bytes that
/// bring it to a 32-bit boundary.
public struct RTCPSourceDescription: Sendable, Hashable {
    public struct Item: Sendable, Hashable {
        /// Item types, RFC 3550 section 12.2.
        public static let canonicalName: UInt8 = 1
        public static let name: UInt8 = 2
        public static let tool: UInt8 = 6

        public var type: UInt8
        public var text: String

        public init(type: UInt8, text: String) {
            self.type = type
            self.text = text
        }
    }

    public struct Chunk: Sendable, Hashable {
        public var ssrc: UInt32
        public var items: [Item]

        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        /// The CNAME item's text, if the chunk has one.
        public var canonicalName: String? { items.first { $0.type == Item.canonicalName }?.text }
    }

    public var chunks: [Chunk]

    public init(chunks: [Chunk]) {
        self.chunks = chunks
    }

    init(count: UInt8, reader: inout ByteReader) throws(RTPError) {
        var chunks: [Chunk] = []
        for _ in 0..<count {
            let ssrc = try reader.uint32()
            var items: [Item] = []
            var used = 0
            while true {
                let type = try reader.uint8()
                used += 1
                if type == 0 {
                    // The end: skip the null padding to the next 32-bit boundary.
                    let padding = (4 - used % 4) % 4
                    _ = try reader.take(padding)
                    break
                }
                let length = Int(try reader.uint8())
                let text = try reader.take(length)
                used += 1 + length
                items.append(Item(type: type, text: rtcpText(text)))
            }
            chunks.append(Chunk(ssrc: ssrc, items: items))
        }
        self.chunks = chunks
    }

    var body: [UInt8] {
        var out = [UInt8]()
        for chunk in chunks {
            out.appendBig(chunk.ssrc)
            var used = 0
            for item in chunk.items {
                let text = rtcpBytes(item.text)
                out.append(item.type)
                out.append(UInt8(text.count))
                out += text
                used += 2 + text.count
            }
            // At least one null octet ends the list, then more up to a 32-bit boundary.
            let nulls = 4 - used % 4
            out += [UInt8](repeating: 0, count: nulls)
        }
        return out
    }
}

/// Goodbye (BYE, PT 203), RFC 3550 section 6.6: these sources are leaving, with an optional reason.
public struct RTCPGoodbye: Sendable, Hashable {
    public var sources: [UInt32]
    public var reason: String?

    public init(sources: [UInt32], reason: String? = nil) {
        self.sources = sources
        self.reason = reason
    }

    init(count: UInt8, reader: inout ByteReader) throws(RTPError) {
        guard reader.remaining >= 4 * Int(count) else {
            throw .countBeyondLength(count: Int(count), type: RTCPPacket.PacketType.goodbye)
        }
        var sources: [UInt32] = []
        for _ in 0..<count { sources.append(try reader.uint32()) }
        self.sources = sources
        if reader.remaining > 0 {
            let length = Int(try reader.uint8())
            reason = rtcpText(try reader.take(length))
        } else {
            reason = nil
        }
    }

    var body: [UInt8] {
        var out = [UInt8]()
        for source in sources { out.appendBig(source) }
        if let reason {
            let text = rtcpBytes(reason)
            out.append(UInt8(text.count))
            out += text
            out += [UInt8](repeating: 0, count: (4 - (1 + text.count) % 4) % 4)
        }
        return out
    }
}

/// RTCP text (an SDES item, a BYE reason) as a string: UTF-8 as sent (RFC 3550 section 6.5); text that is not UTF-8
/// keeps its ASCII and has each other byte replaced by `?`, so it is never longer than the 255 bytes its length
/// octet counted and is written back as it was read.
func rtcpText(_ bytes: some Collection<UInt8>) -> String {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    return String(decoding: bytes.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
}

/// The UTF-8 of RTCP text, cut at a character boundary to the 255 bytes a length octet counts.
func rtcpBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    for scalar in text.unicodeScalars {
        guard bytes.count + scalar.utf8.count <= 255 else { break }
        bytes += scalar.utf8
    }
    return bytes
}
