import PCM

/// The `fmt ` chunk's format tags this reader knows by name (Microsoft's mmreg.h registry).
public enum WAVFormatTag {
    public static let pcm: UInt16 = 0x0001
    public static let ieeeFloat: UInt16 = 0x0003
    public static let extensible: UInt16 = 0xFFFE

    /// A readable name for a format tag, for error messages.
    public static func name(of tag: UInt16) -> String {
        switch tag {
        case 0x0001: "PCM"
        case 0x0002: "Microsoft ADPCM"
        case 0x0003: "IEEE float"
        case 0x0006: "A-law"
        case 0x0007: "mu-law"
        case 0x0011: "IMA ADPCM"
        case 0x0031: "GSM 6.10"
        case 0x0050: "MPEG"
        case 0x0055: "MPEG Layer 3"
        case 0x0092: "Dolby AC-3 SPDIF"
        case 0x0161, 0x0162, 0x0163: "Windows Media Audio"
        case 0x2000: "AC-3"
        case 0xF1AC: "FLAC"
        default: "format tag 0x\(String(tag, radix: 16, uppercase: true))"
        }
    }
}

/// What a WAV file's `fmt ` chunk says about its samples.
public struct WAVFormat: Sendable, Hashable {
    /// Sample rates the reader accepts; anything outside is taken as a corrupt header.
    public static let sampleRateRange = 1_000...768_000

    public var pcm: PCMFormat
    /// WAVEFORMATEXTENSIBLE's dwChannelMask: the speaker positions of the channels, in order; 0 where the file
    /// names none (or has no extensible format).
    public var channelMask: UInt32 = 0

    public init(_ pcm: PCMFormat) {
        self.pcm = pcm
    }

    /// Parses a `fmt ` chunk body (WAVEFORMATEX, optionally WAVEFORMATEXTENSIBLE).
    public init(chunk body: [UInt8]) throws(WAVError) {
        guard body.count >= 16 else { throw .formatChunkTooShort(size: body.count) }
        var tag = body.littleEndianUInt16(at: 0)
        let channels = Int(body.littleEndianUInt16(at: 2))
        let rate = Int(body.littleEndianUInt32(at: 4))
        let blockAlign = Int(body.littleEndianUInt16(at: 12))
        let bits = Int(body.littleEndianUInt16(at: 14))
        if tag == WAVFormatTag.extensible {
            // cbSize(2) validBits(2) channelMask(4) SubFormat GUID(16): the GUID starts with the real tag.
            guard body.count >= 40 else { throw .formatChunkTooShort(size: body.count) }
            tag = body.littleEndianUInt16(at: 24)
            channelMask = body.littleEndianUInt32(at: 20)
        }
        let encoding: SampleEncoding
        switch tag {
        case WAVFormatTag.pcm:
            switch bits {
            case 8: encoding = .unsigned8
            case 16: encoding = .signed16
            case 24: encoding = .signed24
            case 32: encoding = .signed32
            default: throw .unsupportedBitDepth(bits: bits, format: "PCM")
            }
        case WAVFormatTag.ieeeFloat:
            switch bits {
            case 32: encoding = .float32
            case 64: encoding = .float64
            default: throw .unsupportedBitDepth(bits: bits, format: "IEEE float")
            }
        default:
            throw .unsupportedFormat(name: WAVFormatTag.name(of: tag))
        }
        guard channels > 0 else { throw .zeroChannels }
        guard Self.sampleRateRange.contains(rate) else { throw .sampleRateOutOfRange(rate) }
        let format = PCMFormat(encoding: encoding, channelCount: channels, sampleRate: rate)
        guard blockAlign == format.bytesPerFrame else {
            throw .blockAlignMismatch(declared: blockAlign, expected: format.bytesPerFrame)
        }
        let byteRate = rate * format.bytesPerFrame
        guard byteRate <= Int(UInt32.max) else { throw .byteRateOutOfRange(byteRate) }
        self.pcm = format
    }
}

extension [UInt8] {
    func littleEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    func littleEndianUInt32(at offset: Int) -> UInt32 {
        UInt32(littleEndianUInt16(at: offset)) | UInt32(littleEndianUInt16(at: offset + 2)) << 16
    }
}
