import PCM

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
