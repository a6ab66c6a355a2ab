/// How one PCM sample is stored in a WAV file: little-endian, as RIFF stores everything.
public enum SampleEncoding: Sendable, Hashable, CustomStringConvertible {
    /// 8-bit unsigned integer, 128 is silence.
    case unsigned8
    /// 16-bit signed integer.
    case signed16
    /// 24-bit signed integer, packed in three bytes.
    case signed24
    /// 32-bit signed integer.
    case signed32
    /// 32-bit IEEE 754 float, full scale at +-1.0.
    case float32
    /// 64-bit IEEE 754 float, full scale at +-1.0.
    case float64

    /// Bytes one sample takes in the file.
    public var byteCount: Int {
        switch self {
        case .unsigned8: 1
        case .signed16: 2
        case .signed24: 3
        case .signed32, .float32: 4
        case .float64: 8
        }
    }

    public var description: String {
        switch self {
        case .unsigned8: "8-bit unsigned"
        case .signed16: "16-bit"
        case .signed24: "24-bit"
        case .signed32: "32-bit integer"
        case .float32: "32-bit float"
        case .float64: "64-bit float"
        }
    }

    /// The network sample width that carries this encoding without loss where one exists:
    /// 8 and 16-bit become L16, everything wider becomes L24.
    public var naturalNetworkWidth: NetworkSampleWidth {
        switch self {
        case .unsigned8, .signed16: .bits16
        case .signed24, .signed32, .float32, .float64: .bits24
        }
    }
}

/// A signed big-endian integer sample as RTP's linear audio payloads carry it
/// (L16: RFC 3551 section 4.5.11; L24: RFC 3190 section 4).
public enum NetworkSampleWidth: Int, Sendable, Hashable {
    case bits16 = 2
    case bits24 = 3

    /// Bytes one sample takes on the wire.
    public var byteCount: Int { rawValue }
}

/// The shape of interleaved PCM audio: sample encoding, channels per frame, frames per second.
public struct PCMFormat: Sendable, Hashable {
    public var encoding: SampleEncoding
    public var channelCount: Int
    public var sampleRate: Int

    public init(encoding: SampleEncoding, channelCount: Int, sampleRate: Int) {
        self.encoding = encoding
        self.channelCount = channelCount
        self.sampleRate = sampleRate
    }

    /// Bytes one frame (one sample of every channel) takes.
    public var bytesPerFrame: Int { encoding.byteCount * channelCount }
}
