import Capture

/// Capture files built field by field, as the pcap and pcapng formats lay them out, for the readers' tests.
enum Fixture {
    static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
    static func be16(_ value: Int) -> [UInt8] { le16(value).reversed() }
    static func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    static func be32(_ value: Int) -> [UInt8] { le32(value).reversed() }

    /// A UDP datagram (checksum 0: none) with `payload`.
    static func udp(source: Int, destination: Int, _ payload: [UInt8]) -> [UInt8] {
        be16(source) + be16(destination) + be16(8 + payload.count) + [0, 0] + payload
    }

    /// An IPv4 header (no options, checksum left 0: readers do not check it) around `payload`.
    static func ipv4(
        _ source: [UInt8], _ destination: [UInt8], _ payload: [UInt8], identification: Int = 1, offset: Int = 0,
        more: Bool = false, totalLength: Int? = nil
    ) -> [UInt8] {
        let flags = (more ? 0x2000 : 0) | offset / 8
        return [0x45, 0] + be16(totalLength ?? 20 + payload.count) + be16(identification) + be16(flags)
            + [64, 17, 0, 0] + source + destination + payload
    }

    /// An IPv6 header around `payload`, with a fragment header when `fragment` is given.
    static func ipv6(
        _ source: [UInt8], _ destination: [UInt8], _ payload: [UInt8],
        fragment: (identification: Int, offset: Int, more: Bool)? = nil
    ) -> [UInt8] {
        var extensions: [UInt8] = []
        var next: UInt8 = 17
        if let fragment {
            extensions = [17, 0] + be16(fragment.offset | (fragment.more ? 1 : 0)) + be32(fragment.identification)
            next = 44
        }
        return [0x60, 0, 0, 0] + be16(extensions.count + payload.count) + [next, 64] + source + destination
            + extensions + payload
    }

    /// An Ethernet frame carrying `packet` of `etherType`, behind the VLAN tags given.
    static func ethernet(_ packet: [UInt8], etherType: Int = 0x0800, vlans: [Int] = []) -> [UInt8] {
        [UInt8](repeating: 0x02, count: 12) + vlans.flatMap { be16(0x8100) + be16($0) } + be16(etherType) + packet
    }

    /// A Linux cooked capture v2 header (SLL2) in front of `packet`.
    static func sll2(_ packet: [UInt8], protocolType: Int = 0x0800) -> [UInt8] {
        be16(protocolType) + [0, 0] + be32(1) + be16(1) + [0, 6] + [UInt8](repeating: 0, count: 8) + packet
    }

    /// A pcap file: the global header and one record per packet (seconds, fraction, bytes), little- or big-endian,
    /// microsecond or nanosecond.
    static func pcap(
        linkType: Int, bigEndian: Bool = false, nanoseconds: Bool = false, _ records: [(Int, Int, [UInt8])],
        capturedLimit: Int? = nil
    ) -> [UInt8] {
        let u16 = bigEndian ? be16 : le16
        let u32 = bigEndian ? be32 : le32
        var bytes = u32(nanoseconds ? 0xA1B2_3C4D : 0xA1B2_C3D4) + u16(2) + u16(4) + u32(0) + u32(0)
        bytes += u32(262_144) + u32(linkType)
        for (seconds, fraction, packet) in records {
            let kept = Array(packet.prefix(capturedLimit ?? packet.count))
            bytes += u32(seconds) + u32(fraction) + u32(kept.count) + u32(packet.count) + kept
        }
        return bytes
    }

    /// A pcapng block: type, total length, body padded to four bytes, total length again.
    static func block(_ type: Int, _ body: [UInt8]) -> [UInt8] {
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        return le32(type) + le32(12 + padded.count) + padded + le32(12 + padded.count)
    }

    static let sectionHeader = block(
        0x0A0D_0D0A, le32(0x1A2B_3C4D) + le16(1) + le16(0) + [UInt8](repeating: 0xFF, count: 8))

    /// An interface description block; `resolution` is the if_tsresol byte, `offset` if_tsoffset's seconds.
    static func interface(linkType: Int, resolution: UInt8? = nil, offset: Int? = nil) -> [UInt8] {
        var options: [UInt8] = []
        if let resolution { options += le16(9) + le16(1) + [resolution, 0, 0, 0] }
        if let offset { options += le16(14) + le16(8) + le32(offset) + le32(offset < 0 ? -1 : 0) }
        if !options.isEmpty { options += [0, 0, 0, 0] }
        return block(1, le16(linkType) + le16(0) + le32(0) + options)
    }

    /// An enhanced packet block: interface, 64-bit timestamp in the interface's units, the packet.
    static func enhanced(interface: Int, timestamp: UInt64, _ packet: [UInt8], original: Int? = nil) -> [UInt8] {
        block(
            6,
            le32(interface) + le32(Int(timestamp >> 32)) + le32(Int(timestamp & 0xFFFF_FFFF)) + le32(packet.count)
                + le32(original ?? packet.count) + packet)
    }

    /// Every datagram a reader finds, with its time, ends and payload.
    static func datagrams(_ bytes: [UInt8]) throws -> [(Int64, String, String, [UInt8])] {
        let reader = DatagramReader(try CaptureReader(bytes: bytes))
        var found: [(Int64, String, String, [UInt8])] = []
        while let datagram = try reader.next() {
            found.append(
                (
                    datagram.timeNanoseconds, "\(datagram.source)", "\(datagram.destination)",
                    Array(datagram.payload)
                ))
        }
        return found
    }
}
