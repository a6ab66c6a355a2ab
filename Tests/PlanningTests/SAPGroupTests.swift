import Interfaces
import Planning
import Testing

// Where SAP announcements go (RFC 2974 section 3): an administratively scoped IPv4 session is announced on the
// highest address of its scope zone, 239.255.255.255 for the IPv4 Local Scope 239.255.0.0/16 (RFC 2365) that AES67
// uses; an IPv6 session on FF0X:0:0:0:0:0:2:7FFE, X the 4-bit scope of the session's address ("an announcement for
// a link-local session assigned the address FF02:0:0:0:0:0:1234:5678, should be advertised on SAP address
// FF02:0:0:0:0:0:2:7FFE"). The flags nibble of the session's address does not carry over: the group is FF0X.

@Suite struct SAPGroupTests {
    @Test("the IPv4 group is 239.255.255.255")
    func ipv4Group() {
        #expect(SAPGroup.ipv4 == IPAddress(ipv4: 0xEFFF_FFFF))
        #expect(SAPGroup.ipv4.family == .ipv4)
        #expect(SAPGroup.ipv4.description == "239.255.255.255")
    }

    @Test(
        "the IPv6 group is FF0X::2:7FFE with the session's scope X",
        arguments: [
            // (session address, SAP group)
            ("ff05::1:2", "ff05::2:7ffe"),  // site-local
            ("ff02::1234:5678", "ff02::2:7ffe"),  // link-local, RFC 2974's own example
            ("ff02::", "ff02::2:7ffe"),
            ("ff08::9", "ff08::2:7ffe"),  // organisation-local
            ("ff0e::1", "ff0e::2:7ffe"),  // global
            ("ff15::1234", "ff05::2:7ffe"),  // transient flag (T=1): the scope only
            ("ff3e:40:2001:db8::8000:1", "ff0e::2:7ffe"),  // RFC 3306 unicast-prefix-based, global scope
        ])
    func ipv6Group(session: String, group: String) throws {
        let address = try #require(IPAddress(session))
        let sap = SAPGroup.ipv6(for: address)
        #expect(sap.family == .ipv6)
        #expect(sap.description == group)
        #expect(sap == IPAddress(group))
        #expect(sap.isMulticast)
    }

    @Test("a unicast IPv6 session is announced on the link-local group ff02::2:7ffe, as the doc comment says")
    func unicastSession() throws {
        // RFC 2974 speaks only of multicast sessions; a unicast one has no scope, and the link is the narrowest.
        for session in ["2001:db8::1", "fe80::1", "::1"] {
            let address = try #require(IPAddress(session))
            #expect(SAPGroup.ipv6(for: address).description == "ff02::2:7ffe", "\(session)")
        }
        #expect(
            SAPGroup.ipv6(for: try #require(IPAddress("fe80::1"))) == IPAddress(ipv6: 0xFF02_0000_0000_0000, 0x2_7FFE))
    }
}
