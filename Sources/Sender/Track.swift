import Interfaces
import PCM
import RTP
import Synchronization

/// Counters of one track, written by the pacing thread and read by anyone (relaxed atomics, no locks).
public final class TrackCounters: Sendable {
    /// RTP packets handed to the network.
    public let packets = Atomic<Int>(0)
    /// RTP payload octets in those packets (RFC 3550's sender octet count).
    public let payloadOctets = Atomic<Int>(0)
    /// Frames sent: the media position.
    public let frames = Atomic<Int>(0)
    /// Packets that left a whole packet time or more after their deadline.
    public let latePackets = Atomic<Int>(0)
    /// The worst lateness seen, in nanoseconds.
    public let worstLatenessNanoseconds = Atomic<Int64>(0)
    /// ICMP port unreachable reports (nobody listened yet); each such datagram was sent nonetheless.
    public let refusedSends = Atomic<Int>(0)
    /// Datagrams lost to other send errors (buffer full, no route); the stream goes on.
    public let failedSends = Atomic<Int>(0)
    /// Packets not sent because they were more than the allowed lateness behind after a stall: their media time
    /// and sequence numbers pass as if they had been lost on the way.
    public let skippedPackets = Atomic<Int>(0)
    /// The errno of the last failed send.
    public let lastSendError = Atomic<Int32>(0)
    /// Samples that had to be clipped to fit the payload's width.
    public let clippedSamples = Atomic<Int>(0)

    public init() {}

    /// A plain copy of the counters.
    public var snapshot: Snapshot {
        Snapshot(
            packets: packets.load(ordering: .relaxed), payloadOctets: payloadOctets.load(ordering: .relaxed),
            frames: frames.load(ordering: .relaxed), latePackets: latePackets.load(ordering: .relaxed),
            worstLatenessNanoseconds: worstLatenessNanoseconds.load(ordering: .relaxed),
            refusedSends: refusedSends.load(ordering: .relaxed), failedSends: failedSends.load(ordering: .relaxed),
            skippedPackets: skippedPackets.load(ordering: .relaxed),
            lastSendError: lastSendError.load(ordering: .relaxed),
            clippedSamples: clippedSamples.load(ordering: .relaxed))
    }

    public struct Snapshot: Sendable, Hashable {
        public var packets: Int
        public var payloadOctets: Int
        public var frames: Int
        public var latePackets: Int
        public var worstLatenessNanoseconds: Int64
        public var refusedSends: Int
        public var failedSends: Int
        public var skippedPackets: Int
        public var lastSendError: Int32
        public var clippedSamples: Int
    }
}

/// One stream: frames from a source, packetized, sent to a sink on its own timeline.
///
/// Each packet is built ahead of its deadline (`prepareNext`), so that at the deadline sending it is a single
/// system call: the packets of many tracks then leave back to back, without sample conversion between them.
public final class Track {
    public let name: String
    public let source: any FrameSource
    public let packetizer: Packetizer
    public let sink: any DatagramSink
    public let counters = TrackCounters()
    /// Frames to send before stopping; nil sends the source once (or forever when looping).
    public let frameLimit: Int?
    public let loops: Bool
    /// Why the track stopped early, if it did (a read error).
    public private(set) var failure: String?
    /// No packet is left to send: the media ended (or failed) and the last packet has gone.
    public private(set) var isFinished = false
    let sampleRate: Int
    /// The media time of a full packet.
    public let packetNanoseconds: Int64
    /// The packet built for the next deadline, in the packetizer's buffer; nil when none is built yet.
    private var prepared: (bytes: UnsafeRawBufferPointer, clipped: Int)?

    public init(
        name: String, source: any FrameSource, packetizer: Packetizer, sink: any DatagramSink, frameLimit: Int? = nil,
        loops: Bool = false
    ) {
        self.name = name
        self.source = source
        self.packetizer = packetizer
        self.sink = sink
        self.frameLimit = frameLimit
        self.loops = loops
        sampleRate = source.format.sampleRate
        packetNanoseconds = MediaTime.nanoseconds(frames: packetizer.framesPerPacket, sampleRate: sampleRate)
    }

    /// What RTCP needs to know of this stream, which never changes.
    public var identity: StreamIdentity {
        StreamIdentity(
            ssrc: packetizer.ssrc, sampleRate: sampleRate, initialTimestamp: packetizer.initialTimestamp,
            packetNanoseconds: packetNanoseconds)
    }

    /// Frames this track will send in all, or nil when it runs until stopped.
    public var plannedFrames: Int? {
        if let frameLimit { return frameLimit }
        return loops ? nil : source.frameCount
    }

    /// The media time of everything sent so far, in nanoseconds, which is when the next packet is due after the
    /// start; readable from any thread (it comes from the counters).
    public var sentMediaNanoseconds: Int64 {
        MediaTime.nanoseconds(frames: counters.frames.load(ordering: .relaxed), sampleRate: sampleRate)
    }

    /// Whether a packet is built and waiting for its deadline.
    var hasPreparedPacket: Bool { prepared != nil }

    /// Reads and packetizes the next packet, unless one is waiting already; marks the track finished when the
    /// media has ended (or a read failed) and nothing is left to send.
    func prepareNext() {
        guard prepared == nil, !isFinished else { return }
        var wanted = packetizer.framesPerPacket
        if let frameLimit { wanted = min(wanted, frameLimit - packetizer.framePosition) }
        if wanted > 0 {
            do {
                var read = try source.nextFrames(wanted)
                if read.isEmpty && loops {
                    source.rewind()
                    read = try source.nextFrames(wanted)
                }
                if !read.isEmpty {
                    prepared = packetizer.packet(from: read)
                    return
                }
            } catch {
                failure = "\(error)"
            }
        }
        isFinished = true
    }

    /// Sends the prepared packet; returns whether it left. `lateness` is how long after its deadline it leaves;
    /// only a packet that left counts as late.
    @discardableResult
    func sendPrepared(lateness: Int64) -> Bool {
        guard let (bytes, clipped) = prepared else { return false }
        prepared = nil
        var left = true
        // Counted before it leaves, so that no sender report counts fewer packets than a receiver may already hold
        // (a report made while this send is under way would otherwise miss a packet that arrives before it), and
        // taken back if it never left.
        let payloadOctets = bytes.count - RTPHeader.fixedByteCount
        counters.packets.add(1, ordering: .relaxed)
        counters.payloadOctets.add(payloadOctets, ordering: .relaxed)
        let result = sink.send(bytes)
        switch result {
        case .sent: break
        case .sentAfterRefusal: counters.refusedSends.add(1, ordering: .relaxed)
        case .failed(let errno):
            counters.packets.subtract(1, ordering: .relaxed)
            counters.payloadOctets.subtract(payloadOctets, ordering: .relaxed)
            counters.failedSends.add(1, ordering: .relaxed)
            counters.lastSendError.store(errno, ordering: .relaxed)
            left = false
        }
        counters.frames.store(packetizer.framePosition, ordering: .relaxed)
        if clipped > 0 { counters.clippedSamples.add(clipped, ordering: .relaxed) }
        if left && lateness >= packetNanoseconds { counters.latePackets.add(1, ordering: .relaxed) }
        if left && lateness > counters.worstLatenessNanoseconds.load(ordering: .relaxed) {
            counters.worstLatenessNanoseconds.store(lateness, ordering: .relaxed)
        }
        return left
    }

    /// Drops the prepared packet unsent: its media time passes and its sequence number is used, as if the network
    /// had lost it, so receivers place what follows where it belongs and count the gap.
    func skipPrepared() {
        guard let (_, clipped) = prepared else { return }
        prepared = nil
        counters.skippedPackets.add(1, ordering: .relaxed)
        counters.frames.store(packetizer.framePosition, ordering: .relaxed)
        if clipped > 0 { counters.clippedSamples.add(clipped, ordering: .relaxed) }
    }
}

/// What a stream's RTCP participant needs to know of it, fixed at the start: its SSRC and media clock.
public struct StreamIdentity: Sendable, Hashable {
    public var ssrc: UInt32
    public var sampleRate: Int
    /// The RTP timestamp of the first frame.
    public var initialTimestamp: UInt32
    /// The media time of a full packet.
    public var packetNanoseconds: Int64

    public init(ssrc: UInt32, sampleRate: Int, initialTimestamp: UInt32, packetNanoseconds: Int64) {
        self.ssrc = ssrc
        self.sampleRate = sampleRate
        self.initialTimestamp = initialTimestamp
        self.packetNanoseconds = packetNanoseconds
    }

    /// The RTP timestamp of media position `frame`.
    public func timestamp(atFrame frame: Int) -> UInt32 {
        MediaTime.rtpTimestamp(initial: initialTimestamp, frame: frame)
    }
}
