/// Why a WAV file cannot be streamed. Each case renders as one line for the user.
public enum WAVError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case notRIFF
    case notWAVE
    case truncatedHeader(needed: Int, available: Int)
    case missingFormatChunk
    case missingDataChunk
    case formatChunkTooShort(size: Int)
    case unsupportedFormat(name: String)
    case unsupportedBitDepth(bits: Int, format: String)
    case zeroChannels
    case sampleRateOutOfRange(Int)
    case blockAlignMismatch(declared: Int, expected: Int)
    /// Bytes a second (rate x block align) beyond the 32 bits WAVEFORMAT keeps them in: no WAV file can say it.
    case byteRateOutOfRange(Int)
    case readFailed(String)
    /// The file holds fewer samples than when it was opened: it was cut short while being read.
    case endedEarly(atFrame: Int, of: Int)

    public var description: String {
        switch self {
        case .empty: "empty file"
        case .notRIFF: "not a RIFF file (no 'RIFF' at the start)"
        case .notWAVE: "RIFF file but not WAVE"
        case .truncatedHeader(let needed, let available):
            "truncated header: needs \(needed) bytes, file has \(available)"
        case .missingFormatChunk: "no fmt chunk before the data chunk"
        case .missingDataChunk: "no data chunk"
        case .formatChunkTooShort(let size): "fmt chunk too short (\(size) bytes)"
        case .unsupportedFormat(let name): "unsupported format \(name): only PCM and IEEE float can be streamed"
        case .unsupportedBitDepth(let bits, let format): "unsupported \(format) bit depth \(bits)"
        case .zeroChannels: "zero channels"
        case .sampleRateOutOfRange(let rate):
            "sample rate \(rate) Hz out of range (\(WAVFormat.sampleRateRange.lowerBound)...\(WAVFormat.sampleRateRange.upperBound))"
        case .blockAlignMismatch(let declared, let expected):
            "block align \(declared) does not match the format (expected \(expected))"
        case .byteRateOutOfRange(let rate): "\(rate) bytes a second is more than a WAV header can hold"
        case .readFailed(let reason): "read failed: \(reason)"
        case .endedEarly(let frame, let total):
            "the file ended at frame \(frame) of \(total): it was cut short while streaming"
        }
    }
}
