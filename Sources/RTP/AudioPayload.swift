/// The linear PCM payload formats audiostreamer sends.
///
/// L16: 16-bit signed, network byte order (RFC 3551 section 4.5.11).
/// L24: 24-bit signed, network byte order (RFC 3190 section 4).
/// Samples of a frame are interleaved in channel order, frames in time order.
public enum AudioPayloadEncoding: String, Sendable, Hashable, CaseIterable {
    case l16 = "L16"
    case l24 = "L24"

    /// The encoding name as it stands in an SDP rtpmap.
    public var name: String { rawValue }

    /// Bytes per sample on the wire.
    public var bytesPerSample: Int {
        switch self {
        case .l16: 2
        case .l24: 3
        }
    }

    /// Parses a user's spelling (`L16`, `l24`).
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }
}

/// RTP payload type numbers, RFC 3551 section 6.
public enum RTPPayloadType {
    /// L16, 44100 Hz, 2 channels.
    public static let l16Stereo: UInt8 = 10
    /// L16, 44100 Hz, 1 channel.
    public static let l16Mono: UInt8 = 11
    /// The first payload type of the dynamic range 96-127; the usual choice for linear audio.
    public static let firstDynamic: UInt8 = 96
    public static let dynamicRange: ClosedRange<UInt8> = 96...127

    /// The static payload type RFC 3551 assigns to this stream, if any: only L16 at 44100 Hz, mono or stereo.
    public static func staticType(encoding: AudioPayloadEncoding, sampleRate: Int, channelCount: Int) -> UInt8? {
        guard encoding == .l16, sampleRate == 44_100 else { return nil }
        switch channelCount {
        case 1: return l16Mono
        case 2: return l16Stereo
        default: return nil
        }
    }

    /// Whether `payloadType` may carry this stream: a dynamic type always, a static one only where RFC 3551 says so.
    public static func allows(
        _ payloadType: UInt8, encoding: AudioPayloadEncoding, sampleRate: Int, channelCount: Int
    ) -> Bool {
        dynamicRange.contains(payloadType)
            || staticType(encoding: encoding, sampleRate: sampleRate, channelCount: channelCount) == payloadType
    }
}
