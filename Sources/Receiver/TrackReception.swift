import PCM
import RTP

/// What receiving one track needs to know, as plain values: the stream it expects and how its packets are placed.
/// The recording plan says it; the receiver knows nothing of takes, SDP or take files.
public struct TrackReception: Sendable, Hashable {
    public var name: String
    public var payloadType: UInt8
    public var encoding: AudioPayloadEncoding
    public var sampleRate: Int
    public var channelCount: Int
    /// Frames in a full packet, the timestamp step between consecutive sequence numbers.
    public var framesPerPacket: Int
    /// Whether RTCP arrives on the RTP port (RFC 5761).
    public var rtcpMultiplexed: Bool
    /// The SSRC to expect, when the description names one; otherwise the first one heard.
    public var expectedSSRC: UInt32?
    public var clock: TimelineClock
    /// TAI - UTC in seconds, for a media clock on PTP time.
    public var taiOffsetSeconds: Int
    /// How many frames late a packet may be and still take its place.
    public var latencyFrames: Int
    /// Whether the stream comes on two networks (SMPTE ST 2022-7), its copies merged.
    public var redundant = false

    public init(
        name: String, payloadType: UInt8, encoding: AudioPayloadEncoding, sampleRate: Int, channelCount: Int,
        framesPerPacket: Int, rtcpMultiplexed: Bool, expectedSSRC: UInt32?, clock: TimelineClock,
        taiOffsetSeconds: Int, latencyFrames: Int
    ) {
        self.name = name
        self.payloadType = payloadType
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.framesPerPacket = framesPerPacket
        self.rtcpMultiplexed = rtcpMultiplexed
        self.expectedSSRC = expectedSSRC
        self.clock = clock
        self.taiOffsetSeconds = taiOffsetSeconds
        self.latencyFrames = latencyFrames
    }

    /// The format of the track's file: the payload's samples as a WAV holds them.
    public var format: PCMFormat {
        PCMFormat(encoding: encoding.fileEncoding, channelCount: channelCount, sampleRate: sampleRate)
    }
}
