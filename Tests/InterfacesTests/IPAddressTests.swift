import Interfaces
import Testing

/// Numeric addresses parsed and printed without the C library: RFC 4291 section 2.2's text forms in, RFC 5952's
/// canonical form out.
@Suite struct IPAddressTests {
    @Test(arguments: [
        ("192.168.0.125", 0xC0A8_007D as UInt32), ("127.0.0.1", 0x7F00_0001), ("0.0.0.0", 0),
        ("255.255.255.255", 0xFFFF_FFFF),
        ("239.255.255.255", 0xEFFF_FFFF),
    ])
    func ipv4(text: String, bits: UInt32) throws {
        let address = try #require(IPAddress(text))
        #expect(address.family == .ipv4)
        #expect(address.ipv4Bits == bits)
        #expect(address.description == text)
    }

    @Test(arguments: [
        // (written, high 64 bits, low 64 bits, canonical)
        ("::1", UInt64(0), UInt64(1), "::1"),
        ("::", 0, 0, "::"),
        ("2001:DB8:0:0:0:0:0:1", 0x2001_0DB8_0000_0000, 1, "2001:db8::1"),
        ("2001:db8::1:0:0:1", 0x2001_0DB8_0000_0000, 0x0001_0000_0000_0001, "2001:db8::1:0:0:1"),
        // Two runs of zeros of equal length: the first one becomes "::" (RFC 5952 section 4.2.3).
        ("2001:0:0:1:0:0:0:1", 0x2001_0000_0000_0001, 1, "2001:0:0:1::1"),
        // A single zero group is not shortened (section 4.2.2).
        ("2001:db8:0:1:1:1:1:1", 0x2001_0DB8_0000_0001, 0x0001_0001_0001_0001, "2001:db8:0:1:1:1:1:1"),
        ("ff02::1", 0xFF02_0000_0000_0000, 1, "ff02::1"),
        ("::ffff:10.0.0.1", 0, 0x0000_FFFF_0A00_0001, "::ffff:a00:1"),
        ("[fe80::1]", 0xFE80_0000_0000_0000, 1, "fe80::1"),
    ])
    func ipv6(text: String, high: UInt64, low: UInt64, canonical: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.family == .ipv6)
        #expect(address.high == high && address.low == low)
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test func zone() throws {
        let address = try #require(IPAddress("fe80::1%3"))
        #expect(address.scopeID == 3)
        #expect(address.description == "fe80::1%3")
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.0.0.1", "01.2.3.4", "1.2.3.-4", "a.b.c.d", "localhost", ":", ":::", "1::2::3",
        "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "::g", "1:2:3:4:5:6:7:", "fe80::1%", "fe80::1%x",
        "::1.2.3", "1.2.3.4::",
    ])
    func refuses(text: String) {
        #expect(IPAddress(text) == nil, "\(text)")
    }

    @Test func kinds() throws {
        #expect(try #require(IPAddress("239.1.2.3")).isMulticast)
        #expect(try #require(IPAddress("ff3e::1234")).isMulticast)
        #expect(try #require(IPAddress("192.168.0.1")).isMulticast == false)
        #expect(try #require(IPAddress("127.5.6.7")).isLoopback)
        #expect(try #require(IPAddress("::1")).isLoopback)
        #expect(IPAddress.unspecified(.ipv6).isUnspecified)
        #expect(IPAddress.loopback(.ipv4).description == "127.0.0.1")
    }

    @Test func endpoints() throws {
        #expect(Endpoint.loopback(.ipv4, port: 5004).description == "127.0.0.1:5004")
        #expect(Endpoint.loopback(.ipv6, port: 5004).description == "[::1]:5004")
        #expect(Endpoint.wildcard(.ipv4, port: 0).withPort(9).description == "0.0.0.0:9")
        #expect(try #require(IPAddress("10.0.0.1")).bytes == [10, 0, 0, 1])
        #expect(IPAddress.loopback(.ipv6).bytes == [UInt8](repeating: 0, count: 15) + [1])
    }
}
