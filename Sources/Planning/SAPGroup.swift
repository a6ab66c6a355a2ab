import Interfaces

/// Where SAP goes (RFC 2974 section 3).
public enum SAPGroup {
    /// The IPv4 group for announcements of administratively scoped sessions (239.255.255.255), AES67's.
    public static let ipv4 = IPAddress(ipv4: 0xEFFF_FFFF)

    /// The IPv6 group of the scope of a session's address: FF0X::2:7FFE with X the scope of the multicast address
    /// (link-local, 2, for a unicast one).
    public static func ipv6(for session: IPAddress) -> IPAddress {
        let scope = session.isMulticast ? (session.high >> 48) & 0xF : 2
        return IPAddress(ipv6: 0xFF00_0000_0000_0000 | scope << 48, 0x0000_0000_0002_7FFE)
    }
}
