/// One packet as a capture file holds it: its link layer's bytes (as many as were captured), when it was captured
/// and on which interface.
public struct CapturedFrame {
    /// The record's number in the file, counted from 1 (header blocks included), for messages.
    public var record: Int
    /// The interface's link type (LINKTYPE_ values: 1 Ethernet, 113 Linux cooked, ...).
    public var linkType: UInt32
    /// When it was captured, Unix time in nanoseconds (the interface's resolution and offset applied).
    public var timeNanoseconds: Int64
    /// The pcapng interface it came by (0 in a pcap file).
    public var interface: Int
    /// Its length on the wire, which may exceed the bytes captured.
    public var originalLength: Int
    /// The captured bytes, valid until the next call to `next()`.
    public var bytes: UnsafeRawBufferPointer
}

/// Reads a pcap (either byte order, microsecond or nanosecond timestamps) or pcapng capture (any number of
/// sections and interfaces, each with its timestamp resolution and offset) from a file or a pipe, packet by packet.
/// Total over any bytes: every malformed input ends in a `CaptureError` naming its record, never a trap.
///
/// Formats: pcap as libpcap writes it (tcpdump.org, "pcap savefile format"); pcapng as the IETF draft
/// "PCAP Next Generation (pcapng) Capture File Format" gives it (sections 4.1 SHB, 4.2 IDB, 4.3 EPB, 4.4 SPB).
public final class CaptureReader {
    /// Which of the two formats the file is.
    public enum Format: Sendable, Hashable {
        case pcap(nanoseconds: Bool)
        case pcapng
    }

    public let format: Format
    private let input: ByteInput
    private var record = 0
    /// pcap: the byte order, link type and the timestamp unit.
    private var endian = Endian(big: false)
    private var pcapLinkType: UInt32 = 0
    /// pcapng: the current section's interfaces.
    private var interfaces: [Interface] = []
    /// Packets of a kind without a timestamp (pcapng simple packet blocks), skipped.
    public private(set) var untimedPackets = 0

    /// The largest packet a record may hold: libpcap's largest snapshot length.
    public static let maximumPacketLength = 262_144
    /// The largest block a pcapng file may have (larger ones are refused, not read into memory).
    static let maximumBlockLength = 16 << 20

    struct Interface {
        var linkType: UInt32
        /// Timestamp units per second, and seconds added to each.
        var unitsPerSecond: UInt64 = 1_000_000
        var offsetSeconds: Int64 = 0
    }

    /// Reads the file's header through `read` (which fills the buffer it is given and returns how many bytes it
    /// wrote, 0 at the end).
    public init(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) throws(CaptureError) {
        input = ByteInput(read: read)
        guard let head = try input.peek(4) else {
            throw .truncated(record: 1, needed: 4, available: try input.available(upTo: 4))
        }
        let magic = Endian.network.u32(head, 0)
        switch magic {
        case 0xA1B2_C3D4, 0xD4C3_B2A1, 0xA1B2_3C4D, 0x4D3C_B2A1:
            format = .pcap(nanoseconds: magic == 0xA1B2_3C4D || magic == 0x4D3C_B2A1)
            endian = Endian(big: magic == 0xA1B2_C3D4 || magic == 0xA1B2_3C4D)
            try readPcapHeader()
        case 0x0A0D_0D0A:
            format = .pcapng
        default:
            throw .notACapture(magic: magic)
        }
    }

    /// Convenience for bytes in memory (tests, fuzzing).
    public convenience init(bytes: [UInt8]) throws(CaptureError) {
        var position = 0
        try self.init { buffer in
            let count = min(buffer.count, bytes.count - position)
            bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<(position + count)]))
            }
            position += count
            return count
        }
    }

    /// The next packet, or nil at the end of the capture.
    public func next() throws(CaptureError) -> CapturedFrame? {
        switch format {
        case .pcap(let nanoseconds): return try nextPcap(nanoseconds: nanoseconds)
        case .pcapng: return try nextPcapng()
        }
    }

    // MARK: pcap

    private func readPcapHeader() throws(CaptureError) {
        record = 1
        guard let header = try input.peek(24) else {
            throw .truncated(record: 1, needed: 24, available: try input.available(upTo: 24))
        }
        let major = Int(endian.u16(header, 4))
        let minor = Int(endian.u16(header, 6))
        guard major == 2 else { throw .unsupportedVersion(major: major, minor: minor) }
        // The link type is the field's low 16 bits; the high ones may carry the FCS length.
        pcapLinkType = endian.u32(header, 20) & 0xFFFF
        input.skip(24)
    }

    private func nextPcap(nanoseconds: Bool) throws(CaptureError) -> CapturedFrame? {
        guard try input.available(upTo: 1) > 0 else { return nil }
        record += 1
        guard let header = try input.peek(16) else {
            throw .truncated(record: record, needed: 16, available: try input.available(upTo: 16))
        }
        let seconds = Int64(endian.u32(header, 0))
        let fraction = Int64(endian.u32(header, 4))
        let captured = Int(endian.u32(header, 8))
        let original = Int(endian.u32(header, 12))
        guard captured <= Self.maximumPacketLength else { throw .badLength(record: record, length: captured) }
        guard let whole = try input.peek(16 + captured) else {
            throw .truncated(record: record, needed: 16 + captured, available: try input.available(upTo: 16 + captured))
        }
        input.skip(16 + captured)
        let time = seconds * 1_000_000_000 + (nanoseconds ? fraction : fraction * 1000)
        return CapturedFrame(
            record: record, linkType: pcapLinkType, timeNanoseconds: time, interface: 0, originalLength: original,
            bytes: UnsafeRawBufferPointer(rebasing: whole[16...]))
    }

    // MARK: pcapng

    private func nextPcapng() throws(CaptureError) -> CapturedFrame? {
        while true {
            guard try input.available(upTo: 1) > 0 else { return nil }
            record += 1
            guard let head = try input.peek(12) else {
                throw .truncated(record: record, needed: 12, available: try input.available(upTo: 12))
            }
            var type = Endian.network.u32(head, 0)
            if type == 0x0A0D_0D0A {
                // A section header: its byte-order magic says how this section is written.
                let magic = Endian.network.u32(head, 8)
                guard magic == 0x1A2B_3C4D || magic == 0x4D3C_2B1A else {
                    throw .badLength(record: record, length: Int(magic))
                }
                endian = Endian(big: magic == 0x1A2B_3C4D)
                interfaces = []
            } else {
                type = endian.u32(head, 0)
            }
            let length = Int(endian.u32(head, 4))
            guard length >= 12, length % 4 == 0, length <= Self.maximumBlockLength else {
                throw .badLength(record: record, length: length)
            }
            let isPacket = type == 6 || type == 3 || type == 2
            guard type == 0x0A0D_0D0A || type == 1 || isPacket else {
                // A block of another kind (statistics, name resolution, custom): read through, unparsed.
                let skipped = try input.discard(length)
                guard skipped == length else {
                    throw .truncated(record: record, needed: length, available: skipped)
                }
                continue
            }
            guard length <= Self.maximumPacketLength + 64 || !isPacket else {
                throw .badLength(record: record, length: length)
            }
            guard let block = try input.peek(length) else {
                throw .truncated(record: record, needed: length, available: try input.available(upTo: length))
            }
            guard Int(endian.u32(block, length - 4)) == length else { throw .badLength(record: record, length: length) }
            defer { input.skip(length) }
            switch type {
            case 0x0A0D_0D0A:
                guard length >= 28 else { throw .badLength(record: record, length: length) }
                let major = Int(endian.u16(block, 12))
                guard major == 1 else { throw .unsupportedVersion(major: major, minor: Int(endian.u16(block, 14))) }
            case 1:
                try interfaces.append(describe(block, length: length))
            case 3:
                // A simple packet block has no timestamp: it cannot be timed, so it is counted and passed over.
                untimedPackets += 1
            default:
                return try packet(block, type: type, length: length)
            }
        }
    }

    /// An interface description block: its link type and the options that set its timestamps.
    private func describe(_ block: UnsafeRawBufferPointer, length: Int) throws(CaptureError) -> Interface {
        guard length >= 20 else { throw .badLength(record: record, length: length) }
        var interface = Interface(linkType: UInt32(endian.u16(block, 8)))
        var at = 16
        // Options: code, length, value padded to four bytes; opt_endofopt (0) ends them.
        while at + 4 <= length - 4 {
            let code = endian.u16(block, at)
            let size = Int(endian.u16(block, at + 2))
            guard code != 0 else { break }
            guard at + 4 + size <= length - 4 else { throw .badLength(record: record, length: length) }
            if code == 9 && size >= 1 {
                // if_tsresol: the high bit set, a power of two; else a power of ten.
                let resolution = block[at + 4]
                let exponent = Int(resolution & 0x7F)
                if resolution & 0x80 != 0 {
                    guard exponent <= 62 else { throw .badLength(record: record, length: length) }
                    interface.unitsPerSecond = 1 << UInt64(exponent)
                } else {
                    guard exponent <= 18 else { throw .badLength(record: record, length: length) }
                    interface.unitsPerSecond = (0..<exponent).reduce(1) { value, _ in value * 10 }
                }
            } else if code == 14 && size >= 8 {
                interface.offsetSeconds = Int64(bitPattern: endian.u64(block, at + 4))
            }
            at += 4 + (size + 3) / 4 * 4
        }
        return interface
    }

    /// An enhanced (6) or obsolete (2) packet block.
    private func packet(_ block: UnsafeRawBufferPointer, type: UInt32, length: Int) throws(CaptureError)
        -> CapturedFrame
    {
        guard length >= 32 else { throw .badLength(record: record, length: length) }
        let index = type == 6 ? Int(endian.u32(block, 8)) : Int(endian.u16(block, 8))
        guard index < interfaces.count else { throw .unknownInterface(record: record, interface: index) }
        let interface = interfaces[index]
        let stamp = UInt64(endian.u32(block, 12)) << 32 | UInt64(endian.u32(block, 16))
        let captured = Int(endian.u32(block, 20))
        let original = Int(endian.u32(block, 24))
        guard captured <= length - 32 else { throw .badLength(record: record, length: captured) }
        return CapturedFrame(
            record: record, linkType: interface.linkType, timeNanoseconds: Self.nanoseconds(stamp, interface),
            interface: index, originalLength: original,
            bytes: UnsafeRawBufferPointer(rebasing: block[28..<(28 + captured)]))
    }

    /// A pcapng timestamp in Unix nanoseconds: whole seconds and the fraction scaled without overflow, the
    /// interface's offset added (saturating, for nonsense offsets).
    static func nanoseconds(_ stamp: UInt64, _ interface: Interface) -> Int64 {
        let units = interface.unitsPerSecond
        let seconds = stamp / units
        let fraction = stamp % units
        let (high, low) = fraction.multipliedFullWidth(by: 1_000_000_000)
        let nanoseconds = units.dividingFullWidth((high, low)).quotient
        let whole = Int64(clamping: seconds).addingReportingOverflow(interface.offsetSeconds)
        guard !whole.overflow, whole.partialValue < Int64.max / 1_000_000_000,
            whole.partialValue > Int64.min / 1_000_000_000
        else { return whole.partialValue < 0 ? Int64.min : Int64.max }
        return whole.partialValue * 1_000_000_000 + Int64(nanoseconds)
    }
}
