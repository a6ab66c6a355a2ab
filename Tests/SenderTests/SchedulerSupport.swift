import Interfaces
import PCM
import Platform
import Sender
import WAV

/// A clock driven by hand: `sleep(until:)` jumps straight to the deadline (or stays put if it has passed),
/// optionally overshooting once by an injected stall, as a descheduled thread would.
final class ManualClock: PacingClock {
    /// One call of `sleep(until:)`: when it was made, what it asked for, when it woke.
    struct Sleep: Equatable {
        let from: Int64
        let until: Int64
        let woke: Int64
    }

    private(set) var time: Int64
    private(set) var sleeps: [Sleep] = []
    private var stall: (from: Int64, nanoseconds: Int64)?
    /// Called after every sleep with the time of waking.
    var afterSleep: ((Int64) -> Void)?

    init(time: Int64) {
        self.time = time
    }

    /// Wake-ups so far: the number of `sleep(until:)` calls.
    var wakeUps: Int { sleeps.count }

    func now() -> Int64 { time }

    func sleep(until deadline: Int64) {
        var woke = max(time, deadline)
        if let pending = stall, deadline >= pending.from {
            woke += pending.nanoseconds
            stall = nil
        }
        sleeps.append(Sleep(from: time, until: deadline, woke: woke))
        time = woke
        afterSleep?(woke)
    }

    /// The first sleep towards `deadline` or later wakes `nanoseconds` late.
    func injectStall(atFirstSleepUntil deadline: Int64, nanoseconds: Int64) {
        stall = (deadline, nanoseconds)
    }
}

/// A sink that keeps a copy of every datagram with the manual clock's time and wake-up count at sending.
final class RecordingSink: DatagramSink {
    struct Datagram {
        let time: Int64
        /// `ManualClock.wakeUps` when it was sent: equal values went out in the same wake-up.
        let wakeUp: Int
        let bytes: [UInt8]

        /// Bytes 2-3 of the RTP header.
        var sequenceNumber: UInt16 { UInt16(bytes[2]) << 8 | UInt16(bytes[3]) }
        /// Bytes 4-7 of the RTP header.
        var timestamp: UInt32 { bytes[4..<8].reduce(0) { $0 << 8 | UInt32($1) } }
    }

    let clock: ManualClock
    private(set) var datagrams: [Datagram] = []
    /// Called after every send with the number sent so far.
    var afterSend: ((Int) -> Void)?

    init(clock: ManualClock) {
        self.clock = clock
    }

    func send(_ bytes: UnsafeRawBufferPointer) -> SendResult {
        datagrams.append(Datagram(time: clock.now(), wakeUp: clock.wakeUps, bytes: Array(bytes)))
        afterSend?(datagrams.count)
        return .sent
    }
}

/// A WAV file in memory: 16-bit mono (or `channelCount` channels) whose sample n of every channel is
/// n mod 2^16, read through `WAVFrameReader`.
func makeFrameReader(sampleRate: Int, frames: Int, channelCount: Int = 1) throws -> WAVFrameReader {
    let format = PCMFormat(encoding: .signed16, channelCount: channelCount, sampleRate: sampleRate)
    var file = WAVHeader.bytes(format: format, dataByteCount: frames * format.bytesPerFrame)
    for frame in 0..<frames {
        for _ in 0..<channelCount {
            file += [UInt8(truncatingIfNeeded: frame), UInt8(truncatingIfNeeded: frame >> 8)]
        }
    }
    let source = MemoryByteSource(file)
    return WAVFrameReader(source: source, layout: try WAVLayout(reading: source))
}

/// A track of `frames` frames of 16-bit mono sent as L16 in packets of `framesPerPacket`, into a recorder.
func makeTrack(
    name: String = "track", sampleRate: Int, framesPerPacket: Int, frames: Int, clock: ManualClock,
    initialTimestamp: UInt32 = 0, loops: Bool = false, frameLimit: Int? = nil
) throws -> (track: Track, sink: RecordingSink) {
    let reader = try makeFrameReader(sampleRate: sampleRate, frames: frames)
    let packetizer = Packetizer(
        source: .signed16, encoding: .l16, channelCount: 1, framesPerPacket: framesPerPacket, payloadType: 96,
        ssrc: 0x5353_5243, initialSequenceNumber: 0, initialTimestamp: initialTimestamp)
    let sink = RecordingSink(clock: clock)
    let track = Track(
        name: name, source: reader, packetizer: packetizer, sink: sink, frameLimit: frameLimit, loops: loops)
    return (track, sink)
}

/// What happened, in order, across the sources and sinks of several tracks.
final class EventLog {
    private(set) var events: [String] = []
    func append(_ event: String) { events.append(event) }
}

/// A frame source that logs every read before passing it on.
final class LoggingSource: FrameSource {
    let inner: any FrameSource
    let name: String
    let log: EventLog

    init(_ inner: any FrameSource, name: String, log: EventLog) {
        self.inner = inner
        self.name = name
        self.log = log
    }

    var format: PCMFormat { inner.format }
    var frameCount: Int? { inner.frameCount }
    func nextFrames(_ count: Int) throws -> UnsafeRawBufferPointer {
        log.append("read \(name)")
        return try inner.nextFrames(count)
    }
    func rewind() { inner.rewind() }
}

/// A sink that logs every send with the manual clock's time.
final class LoggingSink: DatagramSink {
    let name: String
    let log: EventLog
    let clock: ManualClock

    init(name: String, log: EventLog, clock: ManualClock) {
        self.name = name
        self.log = log
        self.clock = clock
    }

    func send(_ bytes: UnsafeRawBufferPointer) -> SendResult {
        log.append("send \(name) at \(clock.now())")
        return .sent
    }
}

/// A clock that stands still and never sleeps: for engines that must be given a clock but, in the test, never wait.
struct StillClock: PacingClock, Sendable {
    func now() -> Int64 { 0 }
    func sleep(until deadline: Int64) {}
}
