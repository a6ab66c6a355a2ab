import Interfaces
import Numbers
import PCM
import Planning

/// What a stream's description says that AES67, or an ST 2110-30 level, does not take, one finding each. The
/// packet times are AES67's (0.125, 0.25, 0.333, 1 and 4 ms, 1 ms the one every device must take); the clock
/// lines are RFC 7273's (`a=ts-refclk`, `a=mediaclk:direct=`), which AES67 and ST 2110-10 require, ST 2110-10 with
/// a media clock offset of 0; an IPv4 multicast `c=` carries a TTL (RFC 8866 section 5.7); a multicast stream
/// names its one source (`a=source-filter`, RFC 4570) as ST 2110 receivers expect; a payload of at most 1440 bytes
/// keeps a datagram inside a 1500-byte MTU. The levels are `ST2110Level`'s table.
public enum DescriptionFinding: Sendable, Hashable, CustomStringConvertible {
    case packetTime(frames: Int, sampleRate: Int)
    case sampleRate(Int)
    case noReferenceClock
    case localReferenceClock
    case noMediaClock
    case mediaClockOffset(UInt32)
    case noTTL
    case noSourceFilter
    case payloadTooLarge(bytes: Int)
    /// An ST 2110-30 level does not take the stream's rate, channels or packet time.
    case outsideLevel(ST2110Level, encoding: AudioPayloadEncoding, sampleRate: Int, channels: Int, frames: Int)

    /// Whether an ST 2110-30 level asked for (`--st2110-level`) makes this a failure, not a remark.
    public var failsLevel: Bool {
        switch self {
        case .outsideLevel, .mediaClockOffset, .noReferenceClock, .noMediaClock: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .packetTime(let frames, let rate):
            "a packet time of \(frames) frames at \(rate) Hz is none of AES67's (0.125, 0.25, 0.333, 1, 4 ms)"
        case .sampleRate(let rate): "\(rate) Hz is none of AES67's rates (44100, 48000, 96000)"
        case .noReferenceClock: "no a=ts-refclk: the reference clock is unsaid (RFC 7273, AES67)"
        case .localReferenceClock:
            "a=ts-refclk:local: the sender's own clock, not one receivers share (AES67 asks for PTP)"
        case .noMediaClock: "no a=mediaclk:direct=: the RTP clock is not tied to the reference (RFC 7273)"
        case .mediaClockOffset(let offset): "a=mediaclk:direct=\(offset): ST 2110-10 asks for 0"
        case .noTTL: "an IPv4 multicast c= without its /TTL (RFC 8866)"
        case .noSourceFilter: "a multicast stream without a=source-filter naming its sender (RFC 4570)"
        case .payloadTooLarge(let bytes): "\(bytes) bytes of payload, more than the 1440 a 1500-byte MTU carries"
        case .outsideLevel(let level, let encoding, let rate, let channels, let frames):
            "ST 2110-30 level \(level) does not take \(encoding) \(channels) channels at \(rate) Hz in \(frames)-frame packets (L24 only; its rates, channels and packet times)"
        }
    }
}

public enum DescriptionCheck {
    /// AES67's packet times in milliseconds.
    static let packetTimes: [Double] = [0.125, 0.25, 1.0 / 3.0, 1, 4]

    /// Every finding of `stream`'s description, against AES67 and, where given, an ST 2110-30 level.
    public static func findings(_ stream: StreamDescription, level: ST2110Level? = nil) -> [DescriptionFinding] {
        var found: [DescriptionFinding] = []
        let rate = stream.sampleRate
        if ![44_100, 48_000, 96_000].contains(rate) { found.append(.sampleRate(rate)) }
        // Within a frame of one of AES67's packet times (44.1 kHz has no whole number of frames in 1 ms).
        let frameMilliseconds = 1000 / Double(max(1, rate))
        let milliseconds = Double(stream.framesPerPacket) * frameMilliseconds
        if !packetTimes.contains(where: { abs($0 - milliseconds) < frameMilliseconds }) {
            found.append(.packetTime(frames: stream.framesPerPacket, sampleRate: rate))
        }
        switch stream.referenceClock {
        case nil: found.append(.noReferenceClock)
        case "local"?: found.append(.localReferenceClock)
        default: break
        }
        if let offset = stream.mediaClockOffset {
            if level != nil && offset != 0 { found.append(.mediaClockOffset(offset)) }
        } else {
            found.append(.noMediaClock)
        }
        if let address = IPAddress(stream.destination.address), address.isMulticast {
            if address.family == .ipv4 && stream.destination.ttl == nil { found.append(.noTTL) }
            if stream.sourceFilter == nil { found.append(.noSourceFilter) }
        }
        let payload = stream.framesPerPacket * stream.channelCount * stream.encoding.bytesPerSample
        if payload > 1440 { found.append(.payloadTooLarge(bytes: payload)) }
        if let level {
            let fits = level.modes.contains { mode in
                mode.sampleRate == rate && stream.channelCount <= mode.maximumChannels
                    && mode.packetTime.frames(atSampleRate: rate) == stream.framesPerPacket
            }
            if !fits || stream.encoding != .l24 {
                found.append(
                    .outsideLevel(
                        level, encoding: stream.encoding, sampleRate: rate, channels: stream.channelCount,
                        frames: stream.framesPerPacket))
            }
        }
        return found
    }
}
