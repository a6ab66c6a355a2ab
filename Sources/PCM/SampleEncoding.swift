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

    /// The payload that carries this encoding without loss where one exists: 8 and 16-bit become L16,
    /// everything wider becomes L24.
    public var naturalPayload: AudioPayloadEncoding {
        switch self {
        case .unsigned8, .signed16: .l16
        case .signed24, .signed32, .float32, .float64: .l24
        }
    }
}

/// The linear PCM payloads of RTP: signed big-endian integer samples, interleaved in channel order, frames in time
/// order. L16: RFC 3551 section 4.5.11; L24: RFC 3190 section 4.
public enum AudioPayloadEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
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

    /// The encoding a WAV file of this payload stores losslessly.
    public var fileEncoding: SampleEncoding {
        switch self {
        case .l16: .signed16
        case .l24: .signed24
        }
    }

    /// Parses a user's or an SDP's spelling (`L16`, `l24`).
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }

    public var description: String { rawValue }
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
