/// Where the network layer starts in a captured frame, by the interface's link type (LINKTYPE_ values, tcpdump.org
/// "Link-layer header types"), and which network protocol it is.
enum LinkLayer {
    enum Network {
        case ipv4
        case ipv6
    }

    /// The network-layer packet inside `frame`, or nil for a frame of another protocol (ARP, ...) or link type.
    static func network(of frame: UnsafeRawBufferPointer, linkType: UInt32) -> (Network, UnsafeRawBufferPointer)? {
        switch linkType {
        case 1:
            // Ethernet: an EtherType after the two addresses, after any 802.1Q / 802.1ad tags.
            var at = 12
            for _ in 0..<4 {
                guard frame.count >= at + 2 else { return nil }
                let type = Endian.network.u16(frame, at)
                guard type == 0x8100 || type == 0x88A8 || type == 0x9100 else {
                    return byEtherType(type, frame, from: at + 2)
                }
                at += 4
            }
            return nil
        case 113:
            // Linux cooked capture v1: 16 bytes, the protocol last.
            guard frame.count >= 16 else { return nil }
            return byEtherType(Endian.network.u16(frame, 14), frame, from: 16)
        case 276:
            // Linux cooked capture v2: 20 bytes, the protocol first.
            guard frame.count >= 20 else { return nil }
            return byEtherType(Endian.network.u16(frame, 0), frame, from: 20)
        case 0, 108:
            // BSD loopback: a 4-byte address family, in the capturing host's order (0) or network order (108).
            guard frame.count >= 4 else { return nil }
            let family = Endian(big: linkType == 108).u32(frame, 0)
            let either = [family, family.byteSwapped]
            if either.contains(2) { return (.ipv4, UnsafeRawBufferPointer(rebasing: frame[4...])) }
            if either.contains(where: { $0 == 24 || $0 == 28 || $0 == 30 || $0 == 10 }) {
                return (.ipv6, UnsafeRawBufferPointer(rebasing: frame[4...]))
            }
            return nil
        case 101, 12, 14:
            // Raw IP: the version nibble says which.
            return byVersion(frame)
        case 228: return (.ipv4, frame)
        case 229: return (.ipv6, frame)
        default: return nil
        }
    }

    private static func byEtherType(_ type: UInt16, _ frame: UnsafeRawBufferPointer, from at: Int) -> (
        Network, UnsafeRawBufferPointer
    )? {
        switch type {
        case 0x0800: (.ipv4, UnsafeRawBufferPointer(rebasing: frame[at...]))
        case 0x86DD: (.ipv6, UnsafeRawBufferPointer(rebasing: frame[at...]))
        default: nil
        }
    }

    private static func byVersion(_ packet: UnsafeRawBufferPointer) -> (Network, UnsafeRawBufferPointer)? {
        guard let first = packet.first else { return nil }
        switch first >> 4 {
        case 4: return (.ipv4, packet)
        case 6: return (.ipv6, packet)
        default: return nil
        }
    }
}
