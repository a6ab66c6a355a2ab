import Capture
import Testing

@Suite struct CaptureReaderTests {
    static let a: [UInt8] = [10, 0, 0, 1]
    static let b: [UInt8] = [239, 1, 2, 3]
    static let payload: [UInt8] = [0x80, 0x60, 0x00, 0x01, 1, 2, 3, 4]

    @Test(
        "pcap in both byte orders, microseconds and nanoseconds: the UDP datagram, its ends and its time",
        arguments: [(false, false), (true, false), (false, true), (true, true)])
    func pcapEveryKind(_ bigEndian: Bool, _ nanoseconds: Bool) throws {
        let frame = Fixture.ethernet(
            Fixture.ipv4(Self.a, Self.b, Fixture.udp(source: 5000, destination: 5004, Self.payload)))
        let bytes = Fixture.pcap(
            linkType: 1, bigEndian: bigEndian, nanoseconds: nanoseconds, [(1_700_000_000, 123_456, frame)])
        let found = try Fixture.datagrams(bytes)
        #expect(found.count == 1)
        let fraction: Int64 = nanoseconds ? 123_456 : 123_456_000
        #expect(found.first?.0 == 1_700_000_000 * 1_000_000_000 + fraction)
        #expect(found.first?.1 == "10.0.0.1:5000")
        #expect(found.first?.2 == "239.1.2.3:5004")
        #expect(found.first?.3 == Self.payload)
    }

    @Test("pcapng: two interfaces with their own resolutions and offset, Ethernet with VLAN tags and Linux SLL2")
    func pcapngInterfaces() throws {
        let first = Fixture.ethernet(
            Fixture.ipv4(Self.a, Self.b, Fixture.udp(source: 1, destination: 2, [7])), vlans: [100, 200])
        let second = Fixture.sll2(Fixture.ipv4(Self.b, Self.a, Fixture.udp(source: 3, destination: 4, [8, 9])))
        let bytes =
            Fixture.sectionHeader + Fixture.interface(linkType: 1)
            + Fixture.interface(linkType: 276, resolution: 9, offset: 10)
            // A block of another kind between them (a custom block) is read through.
            + Fixture.block(0x0000_0BAD, [1, 2, 3, 4, 5])
            + Fixture.enhanced(interface: 0, timestamp: 1_500_000_000_250_000, first)
            + Fixture.enhanced(interface: 1, timestamp: 1_500_000_000_000_000_007, second)
        let found = try Fixture.datagrams(bytes)
        #expect(found.count == 2)
        #expect(found.first?.0 == 1_500_000_000_250_000_000)
        #expect(found.first?.3 == [7])
        #expect(found.last?.0 == 1_500_000_010_000_000_007)
        #expect(found.last?.1 == "239.1.2.3:3")
        #expect(found.last?.3 == [8, 9])
    }

    @Test("a power-of-two resolution (if_tsresol with its high bit set): 2^-10 s units")
    func binaryResolution() throws {
        let frame = Fixture.ethernet(Fixture.ipv4(Self.a, Self.b, Fixture.udp(source: 1, destination: 2, [1])))
        let bytes =
            Fixture.sectionHeader + Fixture.interface(linkType: 1, resolution: 0x8A)
            + Fixture.enhanced(interface: 0, timestamp: 3 * 1024 + 512, frame)
        #expect(try Fixture.datagrams(bytes).first?.0 == 3_500_000_000)
    }

    @Test("IPv4 fragments out of order and IPv6 fragments put back together; raw IP and loopback link types")
    func fragments() throws {
        let datagram = Fixture.udp(source: 6000, destination: 6002, (0..<3000).map { UInt8($0 % 251) })
        let pieces = [(1480, 1480, true), (0, 1480, true), (2960, datagram.count - 2960, false)]
        let v4 = pieces.map { offset, count, more in
            Fixture.ipv4(
                Self.a, Self.b, Array(datagram[offset..<(offset + count)]), identification: 77, offset: offset,
                more: more)
        }
        let v6Source = [UInt8](repeating: 0, count: 15) + [1]
        let v6Destination = [0xFF, 0x02] + [UInt8](repeating: 0, count: 13) + [5]
        let v6 = [(0, 1448, true), (1448, datagram.count - 1448, false)].map { offset, count, more in
            Fixture.ipv6(
                v6Source, v6Destination, Array(datagram[offset..<(offset + count)]),
                fragment: (identification: 9, offset: offset, more: more))
        }
        let raw = Fixture.pcap(linkType: 101, v4.enumerated().map { (10, $0.offset, $0.element) })
        let rawFound = try Fixture.datagrams(raw)
        #expect(rawFound.count == 1)
        #expect(rawFound.first?.0 == 10_000_002_000)
        #expect(rawFound.first?.3 == Array(datagram[8...]))
        let loopback = Fixture.pcap(linkType: 0, v6.map { (11, 0, Fixture.le32(30) + $0) })
        let loopFound = try Fixture.datagrams(loopback)
        #expect(loopFound.count == 1)
        #expect(loopFound.first?.2 == "[ff02::5]:6002")
        #expect(loopFound.first?.3 == Array(datagram[8...]))
    }

    @Test("frames of other protocols are counted and passed over")
    func otherFrames() throws {
        let arp = Fixture.ethernet([UInt8](repeating: 0, count: 28), etherType: 0x0806)
        let tcp = Fixture.ethernet([0x45, 0, 0, 20, 0, 1, 0, 0, 64, 6, 0, 0] + Self.a + Self.b)
        let udp = Fixture.ethernet(Fixture.ipv4(Self.a, Self.b, Fixture.udp(source: 1, destination: 2, [3])))
        let reader = DatagramReader(
            try CaptureReader(bytes: Fixture.pcap(linkType: 1, [(1, 0, arp), (2, 0, tcp), (3, 0, udp)])))
        #expect(try reader.next()?.payload.first == 3)
        #expect(try reader.next() == nil)
        #expect(reader.otherFrames == 2)
    }

    @Test("a packet cut short by the snapshot length is marked truncated")
    func snapshotLength() throws {
        let frame = Fixture.ethernet(Fixture.ipv4(Self.a, Self.b, Fixture.udp(source: 1, destination: 2, Self.payload)))
        let reader = DatagramReader(
            try CaptureReader(bytes: Fixture.pcap(linkType: 1, [(1, 0, frame)], capturedLimit: frame.count - 3)))
        let datagram = try #require(try reader.next())
        #expect(datagram.truncated)
        #expect(Array(datagram.payload) == Array(Self.payload.dropLast(3)))
    }

    @Test("bad inputs end in a typed error naming the record")
    func errors() throws {
        let frame = Fixture.ethernet(Fixture.ipv4(Self.a, Self.b, Fixture.udp(source: 1, destination: 2, [1])))
        #expect(throws: CaptureError.notACapture(magic: 0x5249_4646)) {
            try CaptureReader(bytes: Array("RIFF....WAVE".utf8))
        }
        #expect(throws: CaptureError.truncated(record: 1, needed: 4, available: 0)) {
            try CaptureReader(bytes: [])
        }
        let whole = Fixture.pcap(linkType: 1, [(1, 0, frame), (2, 0, frame)])
        let cut = try CaptureReader(bytes: Array(whole.dropLast(5)))
        _ = try cut.next()
        #expect(throws: CaptureError.truncated(record: 3, needed: 16 + frame.count, available: 11 + frame.count)) {
            try cut.next()
        }
        let unknown = try CaptureReader(
            bytes: Fixture.sectionHeader + Fixture.interface(linkType: 1)
                + Fixture.enhanced(interface: 3, timestamp: 1, frame))
        #expect(throws: CaptureError.unknownInterface(record: 3, interface: 3)) { try unknown.next() }
        var odd = Fixture.sectionHeader + Fixture.interface(linkType: 1)
        odd += Fixture.le32(6) + Fixture.le32(13) + [0, 0, 0, 0, 0]
        let oddReader = try CaptureReader(bytes: odd)
        #expect(throws: CaptureError.badLength(record: 3, length: 13)) { try oddReader.next() }
    }
}
