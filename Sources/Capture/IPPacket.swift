import Interfaces

/// The parts of an IPv4 (RFC 791) or IPv6 (RFC 8200) packet a UDP datagram is found by: addresses, the protocol of
/// the payload, and where it is a fragment, which piece of which datagram.
struct IPPacket {
    var source: IPAddress
    var destination: IPAddress
    /// The protocol of `payload` (17: UDP), after any IPv6 extension headers.
    var payloadProtocol: UInt8
    var payload: UnsafeRawBufferPointer
    /// Set for a fragment: the datagram's identity, this piece's byte offset, and whether more follow.
    var fragment: Fragment?

    struct Fragment: Hashable {
        var identification: UInt32
        var offset: Int
        var more: Bool
    }

    static let udp: UInt8 = 17

    /// Parses an IPv4 packet; nil when it is not one (too short, another version, a header length that does not
    /// fit). The payload ends at the total length, or at the captured bytes when they end first.
    static func ipv4(_ bytes: UnsafeRawBufferPointer) -> IPPacket? {
        guard bytes.count >= 20, bytes[0] >> 4 == 4 else { return nil }
        let headerLength = Int(bytes[0] & 0x0F) * 4
        let total = Int(Endian.network.u16(bytes, 2))
        guard headerLength >= 20, total >= headerLength, bytes.count >= headerLength else { return nil }
        let end = min(total, bytes.count)
        let flags = Endian.network.u16(bytes, 6)
        let offset = Int(flags & 0x1FFF) * 8
        let more = flags & 0x2000 != 0
        var packet = IPPacket(
            source: IPAddress(ipv4: Endian.network.u32(bytes, 12)),
            destination: IPAddress(ipv4: Endian.network.u32(bytes, 16)), payloadProtocol: bytes[9],
            payload: UnsafeRawBufferPointer(rebasing: bytes[headerLength..<end]))
        if more || offset > 0 {
            packet.fragment = Fragment(identification: UInt32(Endian.network.u16(bytes, 4)), offset: offset, more: more)
        }
        return packet
    }

    /// Parses an IPv6 packet, through hop-by-hop, routing and destination options headers and a fragment header.
    static func ipv6(_ bytes: UnsafeRawBufferPointer) -> IPPacket? {
        guard bytes.count >= 40, bytes[0] >> 4 == 6 else { return nil }
        let end = min(40 + Int(Endian.network.u16(bytes, 4)), bytes.count)
        func address(_ at: Int) -> IPAddress {
            IPAddress(ipv6: Endian.network.u64(bytes, at), Endian.network.u64(bytes, at + 8))
        }
        var next = bytes[6]
        var at = 40
        var fragment: Fragment?
        // A bounded walk: a packet of nothing but extension headers ends it.
        for _ in 0..<8 {
            switch next {
            case 0, 43, 60:
                guard at + 8 <= end else { return nil }
                let following = bytes[at]
                at += (Int(bytes[at + 1]) + 1) * 8
                next = following
            case 44:
                guard at + 8 <= end else { return nil }
                let field = Endian.network.u16(bytes, at + 2)
                fragment = Fragment(
                    identification: Endian.network.u32(bytes, at + 4), offset: Int(field & 0xFFF8),
                    more: field & 1 != 0)
                next = bytes[at]
                at += 8
            default:
                guard at <= end else { return nil }
                var packet = IPPacket(
                    source: address(8), destination: address(24), payloadProtocol: next,
                    payload: UnsafeRawBufferPointer(rebasing: bytes[at..<end]))
                // An atomic fragment (offset 0, no more) is a whole datagram.
                if let piece = fragment, piece.more || piece.offset > 0 { packet.fragment = piece }
                return packet
            }
        }
        return nil
    }
}
