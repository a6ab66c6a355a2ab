import Interfaces
import SDP
import Sender
import Synchronization
import TestSupport
import Testing

/// A clock whose sleeps pass at once, and a hook that runs at given virtual times.
private final class VirtualClocks: Clocks, @unchecked Sendable {
    // @unchecked: used by the one thread the announcer runs on.
    var now: Int64 = 0
    var hooks: [(at: Int64, run: () -> Void)] = []

    func monotonicNow() -> Int64 { now }
    func wallNow() -> Int64 { now }
    func sleep(untilMonotonic deadline: Int64) {
        now = max(now, deadline)
        while let first = hooks.first, first.at <= now {
            hooks.removeFirst()
            first.run()
        }
    }
}

/// Every datagram sent, with the virtual time it left.
private final class CapturingSocket: DatagramSocket, @unchecked Sendable {
    // @unchecked: written by the announcer's one thread, read after it returns.
    let clocks: VirtualClocks
    var sent: [(at: Int64, packet: SAPPacket, to: Endpoint)] = []

    init(clocks: VirtualClocks) { self.clocks = clocks }

    func send(_ bytes: UnsafeRawBufferPointer, to destination: Endpoint) -> SendResult {
        if let packet = try? SAPPacket(parsing: Array(bytes)) { sent.append((clocks.now, packet, destination)) }
        return .sent
    }

    func receiveNow(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, source: Endpoint)? { nil }
}

@Suite struct SAPAnnouncerTests {
    static let group = Endpoint(address: IPAddress(ipv4: 0xEFFF_FFFF), port: 9875)
    static let first =
        "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=a\r\nc=IN IP4 239.1.1.1/1\r\nt=0 0\r\nm=audio 5004 RTP/AVP 96\r\n"
    static let second =
        "v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=a\r\nc=IN IP4 239.1.1.1/1\r\nt=0 0\r\nm=audio 5006 RTP/AVP 96\r\n"

    @Test(
        "announced at once, again every 20 to 40 s, replaced by deleting the old first, deleted three times at the end")
    func announcementsOverTime() throws {
        let clocks = VirtualClocks()
        let socket = CapturingSocket(clocks: clocks)
        let announcer = SAPAnnouncer(
            descriptions: [Self.first], socket: socket, destination: Self.group,
            origin: IPAddress(ipv4: 0x0A00_0001), random: SplitMix64(state: 7))
        let finished = StopSignal()
        let second: Int64 = 1_000_000_000
        clocks.hooks = [
            (at: 150 * second, run: { announcer.update([Self.second]) }),
            (at: 300 * second, run: { finished.stop() }),
        ]
        announcer.run(clocks: clocks, finished: finished, stop: StopSignal())

        #expect(socket.sent.allSatisfy { $0.to == Self.group })
        let announcements = socket.sent.filter { $0.packet.kind == .announcement }
        let deletions = socket.sent.filter { $0.packet.kind == .deletion }
        #expect(announcements.first?.at == 0 && announcements.first?.packet.payload == Self.first)
        // Before the update, the old description at RFC 2974's randomised ~30 s interval.
        let before = announcements.filter { $0.packet.payload == Self.first }.map(\.at)
        for (earlier, later) in zip(before, before.dropFirst()) {
            #expect((20 * second...40 * second).contains(later - earlier), "\(later - earlier) ns apart")
        }
        #expect(before.count >= 3)
        // The update: within 20 ms, the old one deleted, then the new one announced.
        let update = 150 * second
        let replaced = try #require(deletions.first)
        #expect(replaced.packet.payload == Self.first && (update...update + 20_000_000).contains(replaced.at))
        let announcedNew = try #require(announcements.first { $0.packet.payload == Self.second })
        #expect(announcedNew.at == replaced.at)
        #expect(announcedNew.packet.messageIDHash != replaced.packet.messageIDHash)
        // At the end: the current one deleted three times, 200 ms apart.
        let last = deletions.dropFirst().map(\.at)
        #expect(deletions.dropFirst().allSatisfy { $0.packet.payload == Self.second })
        #expect(last.count == 3 && zip(last, last.dropFirst()).allSatisfy { $1 - $0 == 200_000_000 }, "\(last)")
        #expect(announcer.sent.load(ordering: .relaxed) == socket.sent.count)
    }
}
