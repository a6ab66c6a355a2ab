import Synchronization

/// Where a track's released audio goes, in order: the file, through the writer.
public protocol TrackOutput: AnyObject {
    /// Appends whole frames of samples (silence included) as the file holds them.
    func write(_ bytes: UnsafeRawBufferPointer)
    /// Before anything is written: whether the output can take `channelCount` channels instead of the described
    /// ones (a file of its own can; a track interleaved with others cannot), and if so, takes them.
    func follow(channelCount: Int) -> Bool
}

/// One track's figures, written by the receive thread and read by anyone (relaxed atomics, no locks).
public final class ReceiverCounters: Sendable {
    /// Distinct RTP packets placed or found late.
    public let received = Atomic<Int>(0)
    /// Packets expected from the sequence numbers of every segment so far.
    public let expected = Atomic<Int>(0)
    /// Packets that came after their place had been written (dropped), and frames of them.
    public let late = Atomic<Int>(0)
    /// Packets that came after one with a higher sequence number.
    public let reordered = Atomic<Int>(0)
    /// Packets that came twice (the copy dropped).
    public let duplicated = Atomic<Int>(0)
    /// Datagrams for this track that were not valid RTP, or not from its source or payload type (ignored).
    public let malformed = Atomic<Int>(0)
    public let unexpected = Atomic<Int>(0)
    /// Packets of the stream whose format is not the described one (not recorded).
    public let mismatched = Atomic<Int>(0)
    /// Each leg's figures, for an ST 2022-7 stream received on two networks (empty for one).
    public let legs: [LegCounters]
    /// Frames of heard audio written (silence not counted): none, from a track that received packets, means its
    /// audio stood wholly outside the take.
    public let heardFrames = Atomic<Int>(0)
    /// The channels the track records where it follows the wire's count instead of the described (0: as described).
    public let followedChannels = Atomic<Int>(0)
    /// Frames written, and frames of them that are silence standing for packets never heard inside a segment.
    public let framesWritten = Atomic<Int>(0)
    public let lostFrames = Atomic<Int>(0)
    /// Frames dropped because they lay before the take's start, or overlapped audio already written.
    public let droppedFrames = Atomic<Int>(0)
    /// Interarrival jitter in microseconds.
    public let jitterMicroseconds = Atomic<Int>(0)
    /// The largest sample magnitude since it was last read (see `takePeak`).
    public let peak = Atomic<Int>(0)
    /// The sum of the squares of the samples placed since they were last read, at 16-bit precision, and how many
    /// (see `takeMeanSquare`).
    public let squares = Atomic<Int>(0)
    public let levelSamples = Atomic<Int>(0)
    public let segments = Atomic<Int>(0)
    public let reports = Atomic<Int>(0)
    public let goodbyes = Atomic<Int>(0)

    public init(legs: Int = 0) {
        self.legs = (0..<legs).map { _ in LegCounters() }
    }

    /// The largest magnitude since the last call, resetting it.
    public func takePeak() -> Int { peak.exchange(0, ordering: .relaxed) }

    /// The mean square of the samples placed since the last call, as a fraction of full scale squared; nil when
    /// none was placed.
    public func takeMeanSquare() -> Double? {
        let count = levelSamples.exchange(0, ordering: .relaxed)
        let sum = squares.exchange(0, ordering: .relaxed)
        guard count > 0 else { return nil }
        return Double(sum) / Double(count) / (32_768.0 * 32_768.0)
    }

    /// Packets lost: expected less received (never negative).
    public var lost: Int { max(0, expected.load(ordering: .relaxed) - received.load(ordering: .relaxed)) }
}

/// Something about a track the user should hear about.
public enum ReceiverEvent: Sendable, Hashable {
    /// A new segment began: a new SSRC on the port, or the timestamps or sequence numbers jumped (a restart).
    case segmentStarted(track: String, ssrc: UInt32, index: Int, reason: SegmentReason)
    /// The segment's first sample stands at this position of the track (frames from time zero), mapped as said.
    case segmentPlaced(track: String, index: Int, position: Int64, mapping: MappingSource)
    /// Two sources of a segment's place disagree by more than a frame: `frames` is where `other` puts it less
    /// where `followed` (the one used) does.
    case sourcesDisagree(track: String, followed: MappingSource, other: MappingSource, frames: Int64, sampleRate: Int)
    /// The sender said goodbye (RTCP BYE).
    case goodbye(track: String)
    /// Packets of another payload type than described arrive: counted, not recorded.
    case payloadTypeMismatch(track: String, described: UInt8, heard: UInt8)
    /// The packets carry another format than described (their payload length against the timestamp step):
    /// nothing of them is recorded.
    case formatMismatch(track: String, FormatMismatch)
    /// The packets carry another channel count than described, unambiguously, from the first: the track is
    /// recorded as the wire carries it, `FormatMismatch.heardChannels` channels.
    case followsWire(track: String, FormatMismatch)
    /// A leg of an ST 2022-7 stream went silent while the other is heard (`leg` from 0).
    case legSilent(track: String, leg: Int)
    /// A silent leg is heard again, after `silentNanoseconds`.
    case legBack(track: String, leg: Int, silentNanoseconds: Int64)
}

/// What a stream's packets carry against what its description says: bytes per frame (the payload length over the
/// timestamp step between consecutive packets), and the channels that makes at the described sample width, when it
/// makes a whole number of them.
public struct FormatMismatch: Sendable, Hashable {
    public var describedChannels: Int
    public var heardChannels: Int?
    public var describedBytesPerFrame: Int
    public var heardBytesPerFrame: Int

    public init(describedChannels: Int, heardChannels: Int?, describedBytesPerFrame: Int, heardBytesPerFrame: Int) {
        self.describedChannels = describedChannels
        self.heardChannels = heardChannels
        self.describedBytesPerFrame = describedBytesPerFrame
        self.heardBytesPerFrame = heardBytesPerFrame
    }

    /// The mismatch a packet of `payloadBytes` shows when the next packet's timestamp is `step` frames on, if any;
    /// nil where they agree or the step says nothing (zero, or not dividing the payload).
    public static func check(
        payloadBytes: Int, step: Int, channels: Int, bytesPerSample: Int
    ) -> FormatMismatch? {
        guard step > 0, payloadBytes % step == 0 else { return nil }
        let heard = payloadBytes / step
        let described = channels * bytesPerSample
        guard heard != described else { return nil }
        return FormatMismatch(
            describedChannels: channels, heardChannels: heard % bytesPerSample == 0 ? heard / bytesPerSample : nil,
            describedBytesPerFrame: described, heardBytesPerFrame: heard)
    }
}

/// Why a segment began.
public enum SegmentReason: Sendable, Hashable {
    case first
    case newSSRC
    case jump
}

/// How a segment's RTP timestamps were placed on the timeline.
public enum MappingSource: Sendable, Hashable {
    /// RFC 7273 `a=mediaclk:direct`.
    case mediaClock
    /// The stream's RTCP sender reports.
    case senderReports
    /// No mapping came within the window: the first packet's arrival time.
    case arrival
}

/// Where one segment of a track stands on the timeline, for the statistics.
public struct SegmentSummary: Sendable, Hashable {
    public var ssrc: UInt32
    /// Its first sample's position in the track's file, frames from time zero.
    public var position: Int64
    public var mapping: MappingSource
}
