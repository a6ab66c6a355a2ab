import PCM

/// Writes the header of a WAV file: RIFF, `fmt ` and the `data` chunk header.
///
/// Used by tests to make fixtures; the recorder's files are laid out by `WAVFileLayout`, which shares the `fmt `
/// chunk. Integer formats of up to two channels and 16 bits use plain WAVE_FORMAT_PCM; wider or multichannel ones use
/// WAVE_FORMAT_EXTENSIBLE, as Microsoft asks for them.
public enum WAVHeader {
    /// The header bytes for `dataByteCount` bytes of samples in `format`.
    public static func bytes(format: PCMFormat, dataByteCount: Int) -> [UInt8] {
        let formatChunk = formatChunk(format)
        var out: [UInt8] = []
        out.reserveCapacity(20 + formatChunk.count)
        out += Array("RIFF".utf8)
        out.appendLittleEndian(UInt32(4 + formatChunk.count + 8 + dataByteCount + (dataByteCount & 1)))
        out += Array("WAVE".utf8)
        out += formatChunk
        out += Array("data".utf8)
        out.appendLittleEndian(UInt32(dataByteCount))
        return out
    }

    /// The whole `fmt ` chunk, header included: WAVEFORMATEX, or WAVEFORMATEXTENSIBLE for more than two channels or
    /// more than 16 bits.
    public static func formatChunk(_ format: PCMFormat) -> [UInt8] {
        let isFloat = format.encoding == .float32 || format.encoding == .float64
        let tag = isFloat ? WAVFormatTag.ieeeFloat : WAVFormatTag.pcm
        let extensible = format.channelCount > 2 || format.encoding.byteCount > 2
        let formatBodySize = extensible ? 40 : 16
        var out: [UInt8] = []
        out.reserveCapacity(8 + formatBodySize)
        out += Array("fmt ".utf8)
        out.appendLittleEndian(UInt32(formatBodySize))
        out.appendLittleEndian(extensible ? WAVFormatTag.extensible : tag)
        out.appendLittleEndian(UInt16(format.channelCount))
        out.appendLittleEndian(UInt32(format.sampleRate))
        out.appendLittleEndian(UInt32(format.sampleRate * format.bytesPerFrame))
        out.appendLittleEndian(UInt16(format.bytesPerFrame))
        out.appendLittleEndian(UInt16(format.encoding.byteCount * 8))
        if extensible {
            out.appendLittleEndian(UInt16(22))  // cbSize
            out.appendLittleEndian(UInt16(format.encoding.byteCount * 8))  // valid bits
            out.appendLittleEndian(UInt32(0))  // channel mask: no speaker positions
            out.appendLittleEndian(tag)  // SubFormat GUID 0000xxxx-0000-0010-8000-00AA00389B71
            out += [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        }
        return out
    }
}

extension [UInt8] {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
