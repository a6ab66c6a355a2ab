import Application
import Testing

/// The send command's monitor on hand-made snapshots: each change told once, in order.
@Suite struct SendMonitorTests {
    static let destination = Endpoint.loopback(.ipv4, port: 5004)

    static func track(_ name: String, packets: Int, refused: Int = 0, failed: Int = 0, errno: Int32 = 0)
        -> SendMonitor.Snapshot.Track
    {
        var counters = TrackCounters().snapshot
        counters.packets = packets
        counters.refusedSends = refused
        counters.failedSends = failed
        counters.lastSendError = errno
        return SendMonitor.Snapshot.Track(
            name: name, destination: destination, sampleRate: 48_000, plannedFrames: nil, counters: counters,
            receivers: [], datagramBytes: 300, pathMTU: 1280)
    }

    /// The events of each snapshot, named.
    static func names(_ monitor: inout SendMonitor, _ snapshots: [SendMonitor.Snapshot]) -> [[String]] {
        snapshots.map { snapshot in
            monitor.events(for: snapshot).map { event in
                switch event {
                case .delivery(let track, _, let change, _): "\(track) \(change)"
                case .stall(let worst, let sent, let skipped, _): "stall \(Int(worst * 1000)) ms \(sent)+\(skipped)"
                case .datagramTooLarge(let track, let bytes, let mtu): "\(track) too large \(bytes) > \(mtu ?? 0)"
                case .clockChanged(let status, _): "clock \(status.isSynchronized ? "synchronised" : "lost")"
                case .progress(let progress): "progress\(progress.isFinal ? " final" : "")"
                default: "other"
                }
            }
        }
    }

    static func snapshot(
        _ elapsed: Double, _ tracks: [SendMonitor.Snapshot.Track], stalls: [Stall?] = [],
        synchronized: Bool? = true, final: Bool = false
    ) -> SendMonitor.Snapshot {
        SendMonitor.Snapshot(
            elapsedSeconds: elapsed, isFinal: final, tracks: tracks, stalls: stalls,
            clockStatus: synchronized.map {
                ClockSyncStatus(isSynchronized: $0, estimatedErrorMicroseconds: 0, maximumErrorMicroseconds: 0)
            })
    }

    @Test("a refusing destination, then a listening one: each told once, with the progress after every look")
    func refusedThenListening() {
        var monitor = SendMonitor(trackCount: 1, synchronized: true)
        let told = Self.names(
            &monitor,
            [
                Self.snapshot(0.5, [Self.track("a", packets: 500, refused: 2)]),
                Self.snapshot(1.0, [Self.track("a", packets: 1000, refused: 3)]),
                Self.snapshot(4.5, [Self.track("a", packets: 4500, refused: 3)]),
                Self.snapshot(5.0, [Self.track("a", packets: 5000, refused: 3)], final: true),
            ])
        #expect(told[0] == ["a refused", "progress"])
        #expect(told[1] == ["progress"])
        #expect(told[2].count == 2 && told[2][0].hasPrefix("a listening(refused: 3") && told[2][1] == "progress")
        #expect(told[3] == ["progress final"])
    }

    @Test("the stalls of two pacing threads since the last look are told as one; an old stall is not told again")
    func stallsTogether() {
        var monitor = SendMonitor(trackCount: 1, synchronized: true)
        let track = Self.track("a", packets: 10)
        let first = Stall(count: 1, worstNanoseconds: 40_000_000, sent: 20, skipped: 0)
        let second = Stall(count: 1, worstNanoseconds: 250_000_000, sent: 5, skipped: 45)
        let told = Self.names(
            &monitor,
            [
                Self.snapshot(0.5, [track], stalls: [nil, nil]),
                Self.snapshot(1.0, [track], stalls: [first, second]),
                Self.snapshot(1.5, [track], stalls: [first, second]),
            ])
        #expect(told == [["progress"], ["stall 250 ms 25+45", "progress"], ["progress"]])
    }

    @Test("datagrams too large for the path: told once per track; the clock's changes told as they come")
    func tooLargeAndClock() {
        var monitor = SendMonitor(trackCount: 2, synchronized: true)
        let large = Self.track("b", packets: 0, failed: 3, errno: SystemError.messageTooLarge)
        let told = Self.names(
            &monitor,
            [
                Self.snapshot(0.5, [Self.track("a", packets: 10), large], synchronized: false),
                Self.snapshot(1.0, [Self.track("a", packets: 20), large], synchronized: nil),
                Self.snapshot(1.5, [Self.track("a", packets: 30), large], synchronized: true),
            ])
        #expect(told[0] == ["b too large 300 > 1280", "clock lost", "progress"])
        #expect(told[1] == ["progress"])
        #expect(told[2] == ["clock synchronised", "progress"])
    }
}
