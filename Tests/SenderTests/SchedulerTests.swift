import Interfaces
import PCM
import Sender
import Testing
import WAV

// The scheduler's timeline: packet n of a track leaves at start + (its first frame) / rate, in integer
// nanoseconds, i.e. start + floor(n x framesPerPacket x 10^9 / rate) for full packets. The expectations
// below compute that from the packet number alone, independently of the scheduler and of each other.

/// The deadline of packet `n` of a track, computed from scratch.
private func deadline(start: Int64, packet n: Int, framesPerPacket: Int, sampleRate: Int) -> Int64 {
    start + Int64(n) * Int64(framesPerPacket) * 1_000_000_000 / Int64(sampleRate)
}

private let millisecond: Int64 = 1_000_000

@Suite struct SchedulerTests {
    /// 44.1 kHz in 44-frame packets: a packet lasts 997 732.426... ns, so a scheduler that added a rounded
    /// period each time would drift by 0.426 ns a packet (over 2 us by packet 4999).
    @Test func noCumulativeDrift() throws {
        let start: Int64 = 5_000_000_000
        let clock = ManualClock(time: start - 3 * millisecond)
        let packets = 5_000
        let (track, sink) = try makeTrack(
            sampleRate: 44_100, framesPerPacket: 44, frames: packets * 44, clock: clock, initialTimestamp: 0xFFFF_0000)
        Scheduler(tracks: [track], clock: clock).run(start: start, stop: StopSignal())

        #expect(sink.datagrams.count == packets)
        for (n, datagram) in sink.datagrams.enumerated() {
            let due = deadline(start: start, packet: n, framesPerPacket: 44, sampleRate: 44_100)
            #expect(datagram.time == due, "packet \(n)")
            // RTP timestamp = initial + 44 n, modulo 2^32 (it wraps at packet 1490).
            let stamp = UInt32(truncatingIfNeeded: 0xFFFF_0000 + 44 * n)
            #expect(datagram.timestamp == stamp, "packet \(n)")
            if datagram.time != due || datagram.timestamp != stamp { break }  // one report is enough
        }
        // The test can tell: an accumulated rounded period lands elsewhere for the last packet.
        let lastDeadline = deadline(start: start, packet: packets - 1, framesPerPacket: 44, sampleRate: 44_100)
        #expect(start + Int64(packets - 1) * (44 * 1_000_000_000 / 44_100) != lastDeadline)
        #expect(sink.datagrams.last?.time == start + 4_987_664_399)  // floor(4999 x 44 x 10^9 / 44100)
        #expect(track.counters.snapshot.packets == packets)
        #expect(track.counters.snapshot.latePackets == 0)
        #expect(track.isFinished)
    }

    /// Before a far start the scheduler sleeps in steps no longer than its stop-check interval, and the
    /// first packet still leaves exactly at the start.
    @Test func farStartSleepsInShortSteps() throws {
        let start: Int64 = 1_000_000_000
        let clock = ManualClock(time: start - 100 * millisecond)
        let (track, sink) = try makeTrack(sampleRate: 48_000, framesPerPacket: 48, frames: 96, clock: clock)
        Scheduler(tracks: [track], clock: clock).run(start: start, stop: StopSignal())
        #expect(sink.datagrams.map(\.time) == [start, start + millisecond])
        let interval = Scheduler<ManualClock>.stopCheckInterval
        #expect(interval == 20 * millisecond)
        for sleep in clock.sleeps {
            #expect(sleep.until - sleep.from <= interval)
        }
        // 100 ms in steps of at most 20 ms: at least 5 sleeps before the first packet.
        #expect(clock.sleeps.filter { $0.until <= start }.count >= 5)
    }

    /// A 10 ms stall before packet 5 (1 ms packets): packets 5-15 are due by the time the thread wakes at
    /// start + 15 ms and go out at once, in order; from packet 16 on the original timeline holds.
    @Test func stallSendsBacklogThenReturnsToTimeline() throws {
        let start: Int64 = 2_000_000_000
        let clock = ManualClock(time: start - millisecond)
        let (track, sink) = try makeTrack(sampleRate: 48_000, framesPerPacket: 48, frames: 30 * 48, clock: clock)
        clock.injectStall(atFirstSleepUntil: start + 5 * millisecond, nanoseconds: 10 * millisecond)
        Scheduler(tracks: [track], clock: clock).run(start: start, stop: StopSignal())

        let sent = sink.datagrams
        try #require(sent.count == 30)
        for n in 0..<5 {
            #expect(sent[n].time == start + Int64(n) * millisecond, "packet \(n) before the stall")
        }
        for n in 5...15 {
            #expect(sent[n].time == start + 15 * millisecond, "packet \(n) in the backlog")
            #expect(sent[n].wakeUp == sent[5].wakeUp, "packet \(n) in the same wake-up")
        }
        for n in 16..<30 {
            #expect(sent[n].time == start + Int64(n) * millisecond, "packet \(n) back on the timeline")
        }
        // Sequence numbers and timestamps follow the media, not the sending time.
        #expect(sent.map(\.sequenceNumber) == (0..<30).map { UInt16($0) })
        #expect(sent.map(\.timestamp) == (0..<30).map { UInt32($0 * 48) })
        // Packets 5...14 left 10, 9, ..., 1 ms late: a whole packet time or more. Packet 15 was on time.
        let counters = track.counters.snapshot
        #expect(counters.latePackets == 10)
        #expect(counters.worstLatenessNanoseconds == 10 * millisecond)
        #expect(counters.packets == 30)
    }

    /// Lateness under one packet time is recorded as the worst lateness but does not make a packet late.
    @Test func latenessBelowOnePacketTimeIsNotLate() throws {
        let start: Int64 = 2_000_000_000
        let clock = ManualClock(time: start)
        let (track, sink) = try makeTrack(sampleRate: 48_000, framesPerPacket: 48, frames: 10 * 48, clock: clock)
        clock.injectStall(atFirstSleepUntil: start + 5 * millisecond, nanoseconds: millisecond - 1)
        Scheduler(tracks: [track], clock: clock).run(start: start, stop: StopSignal())
        #expect(sink.datagrams.count == 10)
        #expect(sink.datagrams[5].time == start + 6 * millisecond - 1)
        #expect(sink.datagrams[6].time == start + 6 * millisecond)
        #expect(track.counters.snapshot.latePackets == 0)
        #expect(track.counters.snapshot.worstLatenessNanoseconds == millisecond - 1)
    }

    /// Exactly one packet time late is late.
    @Test func latenessOfOnePacketTimeIsLate() throws {
        let start: Int64 = 2_000_000_000
        let clock = ManualClock(time: start)
        let (track, sink) = try makeTrack(sampleRate: 48_000, framesPerPacket: 48, frames: 10 * 48, clock: clock)
        clock.injectStall(atFirstSleepUntil: start + 5 * millisecond, nanoseconds: millisecond)
        Scheduler(tracks: [track], clock: clock).run(start: start, stop: StopSignal())
        // Packets 5 and 6 leave together at start + 6 ms: 5 is 1 ms late, 6 on time.
        #expect(sink.datagrams[5].time == start + 6 * millisecond)
        #expect(sink.datagrams[6].time == start + 6 * millisecond)
        #expect(track.counters.snapshot.latePackets == 1)
        #expect(track.counters.snapshot.worstLatenessNanoseconds == millisecond)
    }

    @Test func stopBeforeRunSendsNothing() throws {
        let clock = ManualClock(time: 0)
        let (track, sink) = try makeTrack(sampleRate: 48_000, framesPerPacket: 48, frames: 480, clock: clock)
        let stop = StopSignal()
        stop.stop()
        Scheduler(tracks: [track], clock: clock).run(start: millisecond, stop: stop)
        #expect(sink.datagrams.isEmpty)
        #expect(!track.isFinished)
    }

    /// An endless (looping) track runs until the stop signal, which the scheduler sees after the send that set it.
    @Test func stopSignalStopsAnEndlessTrack() throws {
        let start: Int64 = 1_000_000_000
        let clock = ManualClock(time: start)
        let (track, sink) = try makeTrack(
            sampleRate: 48_000, framesPerPacket: 48, frames: 96, clock: clock, loops: true)
        let stop = StopSignal()
        sink.afterSend = { count in
            if count == 7 { stop.stop() }
        }
        Scheduler(tracks: [track], clock: clock).run(start: start, stop: stop)
        #expect(sink.datagrams.count == 7)
        #expect(sink.datagrams.last?.time == start + 6 * millisecond)
        // The 96-frame source looped: packet 2 starts again at sample 0 while its timestamp goes on.
        #expect(Array(sink.datagrams[2].bytes[12..<14]) == [0x00, 0x00])
        #expect(sink.datagrams[2].timestamp == 96)
        #expect(!track.isFinished)
    }

    /// A sender report made while a packet is being sent counts that packet, which may reach the receiver first: a
    /// count that lagged the wire made a late-listening recorder count one packet lost that it had received.
    @Test func aPacketIsCountedBeforeItLeavesAndTakenBackIfItFails() throws {
        let clock = ManualClock(time: 0)
        let (track, sink) = try makeTrack(sampleRate: 48_000, framesPerPacket: 48, frames: 480, clock: clock)
        var countsDuringSend: [Int] = []
        sink.afterSend = { _ in countsDuringSend.append(track.counters.snapshot.packets) }
        Scheduler(tracks: [track], clock: clock).run(start: millisecond, stop: StopSignal())
        #expect(countsDuringSend == Array(1...10))
        #expect(track.counters.snapshot.packets == 10 && track.counters.snapshot.payloadOctets == 960)

        let failing = FailingSink()
        let refused = Track(
            name: "refused", source: try makeFrameReader(sampleRate: 48_000, frames: 480),
            packetizer: Packetizer(
                source: .signed16, encoding: .l16, channelCount: 1, framesPerPacket: 48, payloadType: 96, ssrc: 1,
                initialSequenceNumber: 0, initialTimestamp: 0),
            sink: failing)
        failing.counters = refused.counters
        Scheduler(tracks: [refused], clock: ManualClock(time: 0)).run(start: millisecond, stop: StopSignal())
        #expect(failing.countsDuringSend == Array(repeating: 1, count: 10))
        let counts = refused.counters.snapshot
        #expect(counts.packets == 0 && counts.payloadOctets == 0 && counts.failedSends == 10)
    }

    /// A stop while waiting for a far start is seen within one stop-check interval.
    @Test func stopWhileWaitingForTheStart() throws {
        let origin: Int64 = 0
        let clock = ManualClock(time: origin)
        let (track, sink) = try makeTrack(sampleRate: 48_000, framesPerPacket: 48, frames: 480, clock: clock)
        let stop = StopSignal()
        clock.afterSleep = { _ in stop.stop() }
        Scheduler(tracks: [track], clock: clock).run(start: origin + 10_000 * millisecond, stop: stop)
        #expect(sink.datagrams.isEmpty)
        #expect(clock.wakeUps == 1)
        #expect(clock.time <= origin + Scheduler<ManualClock>.stopCheckInterval)
    }

    /// 44.1 kHz in 441-frame packets and 48 kHz in 480-frame packets are both exactly 10 ms: every deadline
    /// coincides, and both packets go out in the same wake-up.
    @Test func coincidingDeadlinesShareAWakeUp() throws {
        let start: Int64 = 3_000_000_000
        let clock = ManualClock(time: start - 5 * millisecond)
        let (first, firstSink) = try makeTrack(
            name: "a", sampleRate: 44_100, framesPerPacket: 441, frames: 8 * 441, clock: clock)
        let (second, secondSink) = try makeTrack(
            name: "b", sampleRate: 48_000, framesPerPacket: 480, frames: 8 * 480, clock: clock)
        Scheduler(tracks: [first, second], clock: clock).run(start: start, stop: StopSignal())

        try #require(firstSink.datagrams.count == 8)
        try #require(secondSink.datagrams.count == 8)
        for n in 0..<8 {
            let due = start + Int64(n) * 10 * millisecond
            #expect(firstSink.datagrams[n].time == due)
            #expect(secondSink.datagrams[n].time == due)
            #expect(firstSink.datagrams[n].wakeUp == secondSink.datagrams[n].wakeUp, "packet \(n)")
        }
        // One wake-up per deadline: the wake-up counts of successive packets differ by exactly one.
        let wakeUps = firstSink.datagrams.map(\.wakeUp)
        #expect(zip(wakeUps, wakeUps.dropFirst()).allSatisfy { $1 == $0 + 1 })
    }

    /// The packets of one deadline are built before it: at the deadline the three tracks' sends follow each
    /// other with no read or conversion between them, and the next packets are read only after the burst.
    @Test func packetsAreBuiltBeforeTheirDeadline() throws {
        let start: Int64 = 3_000_000_000
        let clock = ManualClock(time: start - 5 * millisecond)
        let log = EventLog()
        let tracks = try ["a", "b", "c"].map { name in
            let (track, _) = try makeTrack(
                name: name, sampleRate: 48_000, framesPerPacket: 48, frames: 4 * 48, clock: clock)
            return Track(
                name: name, source: LoggingSource(track.source, name: name, log: log), packetizer: track.packetizer,
                sink: LoggingSink(name: name, log: log, clock: clock))
        }
        Scheduler(tracks: tracks, clock: clock).run(start: start, stop: StopSignal())

        // Four packets per track, then the read that finds the end.
        let expected =
            ["read a", "read b", "read c"]
            + (0..<4).flatMap { n -> [String] in
                let due = start + Int64(n) * millisecond
                return ["send a at \(due)", "send b at \(due)", "send c at \(due)", "read a", "read b", "read c"]
            }
        #expect(log.events == expected)
        #expect(tracks.map(\.isFinished) == [true, true, true])
    }

    /// Tracks at 1 ms and 2 ms: every second deadline of the first is a deadline of the second.
    @Test func partlyCoincidingDeadlines() throws {
        let start: Int64 = 3_000_000_000
        let clock = ManualClock(time: start - 5 * millisecond)
        let (fast, fastSink) = try makeTrack(
            name: "fast", sampleRate: 48_000, framesPerPacket: 48, frames: 10 * 48, clock: clock)
        let (slow, slowSink) = try makeTrack(
            name: "slow", sampleRate: 96_000, framesPerPacket: 192, frames: 5 * 192, clock: clock)
        Scheduler(tracks: [fast, slow], clock: clock).run(start: start, stop: StopSignal())

        try #require(fastSink.datagrams.count == 10)
        try #require(slowSink.datagrams.count == 5)
        #expect(fastSink.datagrams.map(\.time) == (0..<10).map { start + Int64($0) * millisecond })
        #expect(slowSink.datagrams.map(\.time) == (0..<5).map { start + Int64($0) * 2 * millisecond })
        for k in 0..<5 {
            #expect(slowSink.datagrams[k].wakeUp == fastSink.datagrams[2 * k].wakeUp, "slow packet \(k)")
        }
    }

    /// `FrameSource.nextFrames` promises fewer frames than asked only at the end. 100 ms of 48 kHz stereo
    /// float64 is 4800 frames = 76 800 source bytes, more than the reader's 64 KiB read-ahead; as L24 it is
    /// 28 800 bytes of payload, which `--allow-fragmentation` permits. Every packet must still hold 4800 frames
    /// (the SDP announces ptime 100), with deadlines 100 ms apart.
    @Test func packetLargerThanTheReadAheadGoesOutWhole() throws {
        let start: Int64 = 1_000_000_000
        let clock = ManualClock(time: start)
        let format = PCMFormat(encoding: .float64, channelCount: 2, sampleRate: 48_000)
        let framesPerPacket = 4_800
        let dataByteCount = 3 * framesPerPacket * format.bytesPerFrame
        let file =
            WAVHeader.bytes(format: format, dataByteCount: dataByteCount) + [UInt8](repeating: 0, count: dataByteCount)
        let source = MemoryByteSource(file)
        let reader = WAVFrameReader(source: source, layout: try WAVLayout(reading: source))
        #expect(framesPerPacket * format.bytesPerFrame > WAVFrameReader.defaultReadAheadBytes)
        let packetizer = Packetizer(
            source: .float64, encoding: .l24, channelCount: 2, framesPerPacket: framesPerPacket, payloadType: 96,
            ssrc: 1, initialSequenceNumber: 0, initialTimestamp: 0)
        let sink = RecordingSink(clock: clock)
        let track = Track(name: "wide", source: reader, packetizer: packetizer, sink: sink)
        Scheduler(tracks: [track], clock: clock).run(start: start, stop: StopSignal())
        // 12 header bytes + 4800 frames x 2 channels x 3 bytes, three times.
        #expect(sink.datagrams.map(\.bytes.count) == [28_812, 28_812, 28_812])
        #expect(sink.datagrams.map(\.timestamp) == [0, 4_800, 9_600])
        #expect(sink.datagrams.map(\.time) == [start, start + 100 * millisecond, start + 200 * millisecond])
    }

    /// A frame limit ends a track with a short packet at its own deadline.
    @Test func frameLimitEndsWithAShortPacket() throws {
        let start: Int64 = 1_000_000_000
        let clock = ManualClock(time: start)
        // 100 frames of a 1000-frame file in 48-frame packets: 48, 48, 4.
        let (track, sink) = try makeTrack(
            sampleRate: 48_000, framesPerPacket: 48, frames: 1_000, clock: clock, frameLimit: 100)
        Scheduler(tracks: [track], clock: clock).run(start: start, stop: StopSignal())
        #expect(sink.datagrams.map(\.bytes.count) == [12 + 96, 12 + 96, 12 + 8])
        #expect(sink.datagrams.map(\.time) == [start, start + millisecond, start + 2 * millisecond])
        #expect(track.counters.snapshot.frames == 100)
        #expect(track.counters.snapshot.payloadOctets == 200)
        #expect(track.isFinished)
    }
}

/// A sink whose every send fails, noting the track's packet count while each send is under way.
final class FailingSink: DatagramSink {
    var counters: TrackCounters?
    private(set) var countsDuringSend: [Int] = []

    func send(_ bytes: UnsafeRawBufferPointer) -> SendResult {
        countsDuringSend.append(counters?.snapshot.packets ?? -1)
        return .failed(errno: 105)
    }
}
