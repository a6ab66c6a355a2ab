import Interfaces
import PCM
import Testing
import WAV

// RIFF/WAVE byte layouts built by hand. A RIFF file is "RIFF", a little-endian u32 size of what follows,
// "WAVE", then chunks: a 4-byte id, a little-endian u32 body size, the body, and one pad byte after an
// odd-sized body. The `fmt ` body is WAVEFORMAT(EX/EXTENSIBLE):
//   tag u16, channels u16, sample rate u32, byte rate u32, block align u16, bits per sample u16
//   [cbSize u16, valid bits u16, channel mask u32, SubFormat GUID 16 bytes (starts with the real tag)].

private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
private func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
private func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A chunk: id, size (the body's unless given), body, pad byte when the body is odd-sized.
private func chunk(_ id: String, _ body: [UInt8], declaredSize: UInt32? = nil) -> [UInt8] {
    ascii(id) + le32(declaredSize ?? UInt32(body.count)) + body + (body.count % 2 == 1 ? [0x00] : [])
}

/// "RIFF" + size + "WAVE" + chunks.
private func wave(_ chunks: [UInt8]...) -> [UInt8] {
    let body = ascii("WAVE") + chunks.flatMap { $0 }
    return ascii("RIFF") + le32(UInt32(body.count)) + body
}

/// A 16-byte WAVEFORMAT body; the byte rate is rate x block align (wrapping, for absurd rates).
private func formatBody(tag: UInt16, channels: UInt16, rate: UInt32, blockAlign: UInt16, bits: UInt16) -> [UInt8] {
    le16(tag) + le16(channels) + le32(rate) + le32(rate &* UInt32(blockAlign)) + le16(blockAlign) + le16(bits)
}

/// A 40-byte WAVE_FORMAT_EXTENSIBLE body whose SubFormat GUID is {0000xxxx-0000-0010-8000-00AA00389B71}.
private func extensibleBody(subFormat: UInt16, channels: UInt16, rate: UInt32, blockAlign: UInt16, bits: UInt16)
    -> [UInt8]
{
    formatBody(tag: 0xFFFE, channels: channels, rate: rate, blockAlign: blockAlign, bits: bits)
        + le16(22)  // cbSize: 22 more bytes follow
        + le16(bits)  // valid bits per sample
        + le32(0x3)  // channel mask: front left | front right
        + le16(subFormat) + [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
}

/// 16-bit stereo 48 kHz: block align 4.
private let stereo16 = formatBody(tag: 1, channels: 2, rate: 48_000, blockAlign: 4, bits: 16)

private func layout(_ bytes: [UInt8]) throws(WAVError) -> WAVLayout {
    try WAVLayout(reading: MemoryByteSource(bytes))
}

@Suite struct WAVLayoutTests {
    /// The smallest PCM file, every byte written out: 16-bit stereo 48 kHz, two frames.
    static let minimalFile: [UInt8] = [
        0x52, 0x49, 0x46, 0x46,  // "RIFF"
        0x2C, 0x00, 0x00, 0x00,  // RIFF size 44 = "WAVE"(4) + fmt chunk(8 + 16) + data chunk(8 + 8)
        0x57, 0x41, 0x56, 0x45,  // "WAVE"
        0x66, 0x6D, 0x74, 0x20,  // "fmt "
        0x10, 0x00, 0x00, 0x00,  // fmt size 16
        0x01, 0x00,  // format tag 1 = PCM
        0x02, 0x00,  // 2 channels
        0x80, 0xBB, 0x00, 0x00,  // 48000 Hz = 0xBB80
        0x00, 0xEE, 0x02, 0x00,  // byte rate 192000 = 0x2EE00 = 48000 x 4
        0x04, 0x00,  // block align 4 = 2 channels x 2 bytes
        0x10, 0x00,  // 16 bits per sample
        0x64, 0x61, 0x74, 0x61,  // "data"
        0x08, 0x00, 0x00, 0x00,  // data size 8 = 2 frames
        0x01, 0x00, 0xFF, 0xFF,  // frame 0: L = +1, R = -1
        0xFF, 0x7F, 0x00, 0x80,  // frame 1: L = +32767, R = -32768
    ]

    @Test func minimalPCMFile() throws {
        let found = try layout(Self.minimalFile)
        #expect(found.format == PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000))
        #expect(found.dataOffset == 44)  // 12 (RIFF header) + 24 (fmt chunk) + 8 (data chunk header)
        #expect(found.dataByteCount == 8)
        #expect(found.declaredDataByteCount == 8)
        #expect(found.frameCount == 2)
        #expect(!found.isTruncated)
    }

    /// WAVHeader writes the same 44 header bytes for the same format.
    @Test func headerWriterMatchesTheMinimalFile() {
        let format = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)
        #expect(WAVHeader.bytes(format: format, dataByteCount: 8) == Array(Self.minimalFile[0..<44]))
    }

    /// An 18-byte fmt chunk (WAVEFORMATEX with cbSize 0), as many tools write.
    @Test func formatChunkWithCBSize() throws {
        let bytes = wave(chunk("fmt ", stereo16 + le16(0)), chunk("data", [0, 0, 0, 0]))
        let found = try layout(bytes)
        #expect(found.format == PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000))
        #expect(found.dataOffset == 12 + 8 + 18 + 8)
    }

    @Test func skipsChunksBeforeFormatAndBetweenFormatAndData() throws {
        // JUNK: 28 bytes reserved for a later ds64 (RF64 habit).
        let junk = chunk("JUNK", [UInt8](repeating: 0, count: 28))
        // LIST/INFO with one INAM sub-chunk "tone": "INFO"(4) + "INAM"(4) + size(4) + "tone"(4) = 16 bytes.
        let list = chunk("LIST", ascii("INFO") + ascii("INAM") + le32(4) + ascii("tone"))
        // bext: the Broadcast Wave extension, 602 bytes of fixed fields.
        let bext = chunk("bext", [UInt8](repeating: 0x20, count: 602))
        let samples: [UInt8] = [0x01, 0x00, 0x02, 0x00]
        let bytes = wave(junk, list, chunk("fmt ", stereo16), bext, chunk("data", samples))
        let found = try layout(bytes)
        #expect(found.format == PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000))
        // 12 RIFF header + (8 + 28) JUNK + (8 + 16) LIST + (8 + 16) fmt + (8 + 602) bext + 8 data header.
        #expect(found.dataOffset == 12 + 36 + 24 + 24 + 610 + 8)
        #expect(Array(bytes[found.dataOffset..<found.dataOffset + 4]) == samples)
        #expect(found.dataByteCount == 4)
    }

    @Test func oddSizedChunkIsPadded() throws {
        // An unknown chunk with a 3-byte body is followed by one pad byte; fmt comes after it.
        let odd = ascii("abcd") + le32(3) + [0x11, 0x22, 0x33] + [0x00]
        // A second odd chunk (5 bytes + pad) sits between fmt and data.
        let odd2 = ascii("wxyz") + le32(5) + [1, 2, 3, 4, 5] + [0x00]
        let bytes = wave(odd, chunk("fmt ", stereo16), odd2, chunk("data", [0, 0, 0, 0]))
        let found = try layout(bytes)
        #expect(found.format.encoding == .signed16)
        // 12 + (8 + 3 + 1) + (8 + 16) + (8 + 5 + 1) + 8.
        #expect(found.dataOffset == 12 + 12 + 24 + 14 + 8)
        #expect(found.dataByteCount == 4)
    }

    @Test func extensiblePCM() throws {
        // 24-bit PCM, 6 channels, 96 kHz: block align 18; SubFormat KSDATAFORMAT_SUBTYPE_PCM (tag 1).
        let body = extensibleBody(subFormat: 1, channels: 6, rate: 96_000, blockAlign: 18, bits: 24)
        #expect(body.count == 40)
        let found = try layout(wave(chunk("fmt ", body), chunk("data", [UInt8](repeating: 0, count: 36))))
        #expect(found.format == PCMFormat(encoding: .signed24, channelCount: 6, sampleRate: 96_000))
        #expect(found.dataOffset == 12 + 48 + 8)
        #expect(found.frameCount == 2)
    }

    @Test func extensibleFloat() throws {
        // 32-bit float stereo 44.1 kHz: block align 8; SubFormat KSDATAFORMAT_SUBTYPE_IEEE_FLOAT (tag 3).
        let body32 = extensibleBody(subFormat: 3, channels: 2, rate: 44_100, blockAlign: 8, bits: 32)
        let found32 = try layout(wave(chunk("fmt ", body32), chunk("data", [UInt8](repeating: 0, count: 8))))
        #expect(found32.format == PCMFormat(encoding: .float32, channelCount: 2, sampleRate: 44_100))
        // 64-bit float mono 48 kHz: block align 8.
        let body64 = extensibleBody(subFormat: 3, channels: 1, rate: 48_000, blockAlign: 8, bits: 64)
        let found64 = try layout(wave(chunk("fmt ", body64), chunk("data", [UInt8](repeating: 0, count: 8))))
        #expect(found64.format == PCMFormat(encoding: .float64, channelCount: 1, sampleRate: 48_000))
    }

    /// A plain WAVE_FORMAT_IEEE_FLOAT (tag 3) fmt chunk.
    @Test func plainFloat() throws {
        let body = formatBody(tag: 3, channels: 2, rate: 48_000, blockAlign: 8, bits: 32)
        let found = try layout(wave(chunk("fmt ", body), chunk("data", [UInt8](repeating: 0, count: 8))))
        #expect(found.format == PCMFormat(encoding: .float32, channelCount: 2, sampleRate: 48_000))
    }

    /// 8-bit PCM is unsigned.
    @Test func eightBitPCM() throws {
        let body = formatBody(tag: 1, channels: 1, rate: 8_000, blockAlign: 1, bits: 8)
        let found = try layout(wave(chunk("fmt ", body), chunk("data", [0x80, 0x80, 0x80])))
        #expect(found.format == PCMFormat(encoding: .unsigned8, channelCount: 1, sampleRate: 8_000))
        #expect(found.dataByteCount == 3)
    }

    @Test func dataChunkClaimingMoreThanTheFile() throws {
        // The data chunk says 1000 bytes; the file ends after 10: two whole 4-byte frames and half of a third.
        let bytes = wave(chunk("fmt ", stereo16)) + ascii("data") + le32(1000) + [UInt8](repeating: 0x01, count: 10)
        let found = try layout(bytes)
        #expect(found.isTruncated)
        #expect(found.declaredDataByteCount == 1000)
        #expect(found.dataByteCount == 8)
        #expect(found.frameCount == 2)
    }

    /// A data chunk that holds a trailing partial frame, all of which is in the file, is not truncated;
    /// only the whole frames are streamed.
    @Test func trailingPartialFrameIsNotTruncation() throws {
        let bytes = wave(chunk("fmt ", stereo16), chunk("data", [UInt8](repeating: 0x01, count: 10)))
        let found = try layout(bytes)
        #expect(!found.isTruncated)
        #expect(found.declaredDataByteCount == 10)
        #expect(found.dataByteCount == 8)
    }

    /// `isTruncated` is documented as "the data chunk claims more bytes than the file holds". Here it claims
    /// 11 bytes (2 frames and 3 bytes) and the file holds 10: short by one byte, so truncated.
    @Test func dataChunkShortByLessThanAFrameIsTruncated() throws {
        let bytes = wave(chunk("fmt ", stereo16)) + ascii("data") + le32(11) + [UInt8](repeating: 0x01, count: 10)
        let found = try layout(bytes)
        #expect(found.declaredDataByteCount == 11)
        #expect(found.dataByteCount == 8)
        #expect(found.isTruncated, "the data chunk claims 11 bytes, the file holds 10")
    }

    // MARK: - Errors

    @Test func emptyFile() {
        #expect(throws: WAVError.empty) { try layout([]) }
    }

    @Test func notRIFF() {
        // "RIFX" (big-endian RIFF) is not accepted.
        let bytes = ascii("RIFX") + le32(4) + ascii("WAVE")
        #expect(throws: WAVError.notRIFF) { try layout(bytes) }
    }

    @Test func notWAVE() {
        // An AVI file is RIFF too.
        let bytes = ascii("RIFF") + le32(4) + ascii("AVI ")
        #expect(throws: WAVError.notWAVE) { try layout(bytes) }
    }

    @Test func truncatedRIFFHeader() {
        // Four bytes of a 12-byte RIFF header.
        #expect(throws: WAVError.truncatedHeader(needed: 12, available: 4)) { try layout(ascii("RIFF")) }
    }

    @Test func truncatedFormatChunk() {
        // fmt claims 16 bytes; only 6 follow: the body would end at 12 + 8 + 16 = 36, the file is 26 long.
        let bytes = wave(ascii("fmt ") + le32(16) + Array(stereo16[0..<6]))
        #expect(bytes.count == 26)
        #expect(throws: WAVError.truncatedHeader(needed: 36, available: 26)) { try layout(bytes) }
    }

    @Test func missingFormatChunk() {
        // Nothing after "WAVE".
        #expect(throws: WAVError.missingFormatChunk) { try layout(wave()) }
        // A data chunk before any fmt chunk.
        #expect(throws: WAVError.missingFormatChunk) { try layout(wave(chunk("data", [0, 0, 0, 0]))) }
        // Only other chunks.
        #expect(throws: WAVError.missingFormatChunk) { try layout(wave(chunk("LIST", ascii("INFO")))) }
    }

    @Test func missingDataChunk() {
        // fmt and nothing else.
        #expect(throws: WAVError.missingDataChunk) { try layout(wave(chunk("fmt ", stereo16))) }
        // fmt, then a LIST chunk, then the end.
        #expect(throws: WAVError.missingDataChunk) {
            try layout(wave(chunk("fmt ", stereo16), chunk("LIST", ascii("INFO"))))
        }
    }

    @Test func formatChunkTooShort() {
        // 14 bytes: the old WAVEFORMAT without bits per sample.
        #expect(throws: WAVError.formatChunkTooShort(size: 14)) {
            try layout(wave(chunk("fmt ", Array(stereo16[0..<14])), chunk("data", [0, 0, 0, 0])))
        }
        // WAVE_FORMAT_EXTENSIBLE needs 40 bytes; 18 (cbSize 0) is not enough to find the SubFormat.
        let short = formatBody(tag: 0xFFFE, channels: 2, rate: 48_000, blockAlign: 6, bits: 24) + le16(0)
        #expect(throws: WAVError.formatChunkTooShort(size: 18)) {
            try layout(wave(chunk("fmt ", short), chunk("data", [0, 0, 0, 0, 0, 0])))
        }
    }

    /// Compressed formats are refused by name (tags from Microsoft's mmreg.h).
    @Test(arguments: [
        (UInt16(0x0002), "Microsoft ADPCM"), (0x0006, "A-law"), (0x0007, "mu-law"), (0x0011, "IMA ADPCM"),
        (0x0055, "MPEG Layer 3"), (0x1234, "format tag 0x1234"),
    ])
    func unsupportedFormat(tag: UInt16, name: String) {
        let body = formatBody(tag: tag, channels: 1, rate: 8_000, blockAlign: 1, bits: 8)
        #expect(throws: WAVError.unsupportedFormat(name: name)) {
            try layout(wave(chunk("fmt ", body), chunk("data", [0, 0])))
        }
        #expect(WAVError.unsupportedFormat(name: name).description.contains(name))
    }

    /// An extensible header is judged by its SubFormat: A-law inside WAVE_FORMAT_EXTENSIBLE is still A-law.
    @Test func unsupportedExtensibleSubFormat() {
        let body = extensibleBody(subFormat: 6, channels: 1, rate: 8_000, blockAlign: 1, bits: 8)
        #expect(throws: WAVError.unsupportedFormat(name: "A-law")) {
            try layout(wave(chunk("fmt ", body), chunk("data", [0, 0])))
        }
    }

    @Test func unsupportedBitDepth() {
        // 12-bit PCM in 2-byte containers.
        let pcm12 = formatBody(tag: 1, channels: 1, rate: 48_000, blockAlign: 2, bits: 12)
        #expect(throws: WAVError.unsupportedBitDepth(bits: 12, format: "PCM")) {
            try layout(wave(chunk("fmt ", pcm12), chunk("data", [0, 0])))
        }
        // 16-bit float (half precision).
        let float16 = formatBody(tag: 3, channels: 1, rate: 48_000, blockAlign: 2, bits: 16)
        #expect(throws: WAVError.unsupportedBitDepth(bits: 16, format: "IEEE float")) {
            try layout(wave(chunk("fmt ", float16), chunk("data", [0, 0])))
        }
        // 24-bit float via WAVE_FORMAT_EXTENSIBLE.
        let float24 = extensibleBody(subFormat: 3, channels: 1, rate: 48_000, blockAlign: 3, bits: 24)
        #expect(throws: WAVError.unsupportedBitDepth(bits: 24, format: "IEEE float")) {
            try layout(wave(chunk("fmt ", float24), chunk("data", [0, 0, 0])))
        }
    }

    @Test func zeroChannels() {
        let body = formatBody(tag: 1, channels: 0, rate: 48_000, blockAlign: 0, bits: 16)
        #expect(throws: WAVError.zeroChannels) { try layout(wave(chunk("fmt ", body), chunk("data", []))) }
    }

    @Test(arguments: [999, 768_001, 0, 4_000_000_000])
    func sampleRateOutOfRange(rate: Int) {
        let body = formatBody(tag: 1, channels: 1, rate: UInt32(rate), blockAlign: 2, bits: 16)
        #expect(throws: WAVError.sampleRateOutOfRange(rate)) {
            try layout(wave(chunk("fmt ", body), chunk("data", [0, 0])))
        }
    }

    /// The ends of the accepted range, 1000 and 768000 Hz, are accepted.
    @Test(arguments: [1_000, 768_000])
    func sampleRateAtTheLimits(rate: Int) throws {
        let body = formatBody(tag: 1, channels: 1, rate: UInt32(rate), blockAlign: 2, bits: 16)
        let found = try layout(wave(chunk("fmt ", body), chunk("data", [0, 0])))
        #expect(found.format.sampleRate == rate)
    }

    @Test func blockAlignMismatch() {
        // 16-bit stereo needs 4 bytes per frame; the header says 2.
        let stereo = formatBody(tag: 1, channels: 2, rate: 48_000, blockAlign: 2, bits: 16)
        #expect(throws: WAVError.blockAlignMismatch(declared: 2, expected: 4)) {
            try layout(wave(chunk("fmt ", stereo), chunk("data", [0, 0, 0, 0])))
        }
        // 24-bit stereo is 6 bytes per frame; 8 would be 24-in-32 containers, which this reader does not take.
        let padded = formatBody(tag: 1, channels: 2, rate: 48_000, blockAlign: 8, bits: 24)
        #expect(throws: WAVError.blockAlignMismatch(declared: 8, expected: 6)) {
            try layout(wave(chunk("fmt ", padded), chunk("data", [UInt8](repeating: 0, count: 8))))
        }
    }

    /// A source whose reads fail: the error is passed on as text.
    @Test func readFailure() {
        struct DiskError: Error, CustomStringConvertible {
            var description: String { "EIO" }
        }
        struct FailingSource: ByteSource {
            var byteCount: Int { 100 }
            func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int { throw DiskError() }
        }
        #expect(throws: WAVError.readFailed("EIO")) { try WAVLayout(reading: FailingSource()) }
    }

    /// A source that delivers fewer bytes than it claims to hold: a header read comes up short.
    @Test func shortRead() {
        struct ShortSource: ByteSource {
            var byteCount: Int { 100 }
            func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int { 0 }
        }
        // The 12-byte RIFF header at offset 0: needed up to byte 12, got bytes up to 0.
        #expect(throws: WAVError.truncatedHeader(needed: 12, available: 0)) { try WAVLayout(reading: ShortSource()) }
    }

    // MARK: - Round trip through WAVHeader

    /// Formats with the header size WAVHeader must use: 44 bytes with a plain 16-byte fmt (at most two channels
    /// of at most 16 bits), 68 with the 40-byte WAVE_FORMAT_EXTENSIBLE one.
    @Test(arguments: [
        (PCMFormat(encoding: .unsigned8, channelCount: 1, sampleRate: 8_000), 44),
        (PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 44_100), 44),
        (PCMFormat(encoding: .signed16, channelCount: 4, sampleRate: 48_000), 68),
        (PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000), 68),
        (PCMFormat(encoding: .signed24, channelCount: 8, sampleRate: 96_000), 68),
        (PCMFormat(encoding: .signed32, channelCount: 2, sampleRate: 192_000), 68),
        (PCMFormat(encoding: .float32, channelCount: 2, sampleRate: 48_000), 68),
        (PCMFormat(encoding: .float64, channelCount: 1, sampleRate: 44_100), 68),
        (PCMFormat(encoding: .float64, channelCount: 6, sampleRate: 768_000), 68),
    ])
    func headerRoundTrip(format: PCMFormat, headerSize: Int) throws {
        let frames = 3
        let dataByteCount = frames * format.bytesPerFrame
        let header = WAVHeader.bytes(format: format, dataByteCount: dataByteCount)
        #expect(header.count == headerSize)
        // Samples, then the pad byte RIFF wants after odd-sized data.
        let file = header + [UInt8](repeating: 0x5A, count: dataByteCount) + (dataByteCount % 2 == 1 ? [0] : [])
        // The RIFF size field covers everything after its own 8 bytes, pad byte included.
        #expect(Array(file[4..<8]) == le32(UInt32(file.count - 8)))
        let found = try layout(file)
        #expect(found.format == format)
        #expect(found.dataOffset == headerSize)
        #expect(found.dataByteCount == dataByteCount)
        #expect(found.frameCount == frames)
        #expect(!found.isTruncated)
    }

    /// An odd data size gets a pad byte counted in the RIFF size (8-bit mono, 3 frames).
    @Test func headerCountsThePadByteOfOddData() {
        let format = PCMFormat(encoding: .unsigned8, channelCount: 1, sampleRate: 8_000)
        let header = WAVHeader.bytes(format: format, dataByteCount: 3)
        // RIFF size = 4 ("WAVE") + 24 (fmt) + 8 (data header) + 3 (samples) + 1 (pad) = 40.
        #expect(Array(header[4..<8]) == le32(40))
        #expect(Array(header[40..<44]) == le32(3))
    }
}
