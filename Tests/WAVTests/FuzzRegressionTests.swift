import Interfaces
import PCM
import Testing
import WAV

// Inputs the fuzz target Tests/Fuzz/WAV (`.ci/fuzz wav`) trips on, each cut to the bytes that matter; the same bytes
// are seeds in Tests/Fuzz/Corpus/wav/regression-*.

/// 16-bit PCM, 4096 channels at 768 kHz, no samples: every field within what the reader accepts (block align 8192
/// matches, the rate is in range), but the byte rate, 768 000 x 8192 = 6 291 456 000, does not fit the u32 that
/// WAVEFORMAT keeps it in. Tests/Fuzz/Corpus/wav/regression-byte-rate-over-32-bits.wav.
private let headerWithByteRateOver32Bits: [UInt8] = [
    0x52, 0x49, 0x46, 0x46,  // "RIFF"
    0x24, 0x00, 0x00, 0x00,  // RIFF size 36 = "WAVE"(4) + fmt chunk(8 + 16) + data chunk header(8)
    0x57, 0x41, 0x56, 0x45,  // "WAVE"
    0x66, 0x6D, 0x74, 0x20,  // "fmt "
    0x10, 0x00, 0x00, 0x00,  // fmt size 16
    0x01, 0x00,  // format tag 1 = PCM
    0x00, 0x10,  // 4096 channels
    0x00, 0xB8, 0x0B, 0x00,  // 768 000 Hz = 0x0BB800, the highest rate accepted
    0x00, 0x00, 0x00, 0x77,  // byte rate 6 291 456 000 mod 2^32 = 0x77000000 (the reader ignores it)
    0x00, 0x20,  // block align 8192 = 4096 channels x 2 bytes
    0x10, 0x00,  // 16 bits per sample
    0x64, 0x61, 0x74, 0x61,  // "data"
    0x00, 0x00, 0x00, 0x00,  // data size 0
]

/// The same header with 2796 channels: block align 5592, byte rate 768 000 x 5592 = 4 294 656 000 = 0xFFFB4000, the
/// largest a 768 kHz 16-bit format can have within 32 bits (2797 channels would be 4 296 192 000).
private let headerWithLargestByteRate: [UInt8] = {
    var bytes = headerWithByteRateOver32Bits
    bytes[22...23] = [0xEC, 0x0A]  // 2796 channels
    bytes[28...31] = [0x00, 0x40, 0xFB, 0xFF]  // byte rate 4 294 656 000
    bytes[32...33] = [0xD8, 0x15]  // block align 5592 = 2796 x 2
    return bytes
}()

@Suite struct WAVFuzzRegressionTests {
    /// Pinned: refused, `byteRateOutOfRange(6_291_456_000)`. The reader accepted this format and
    /// `WAVHeader.formatChunk` trapped converting the byte rate to UInt32 (`UInt32(format.sampleRate *
    /// format.bytesPerFrame)`), so the test ran in a child process. No WAV header can state this byte rate, so no file
    /// that says it is honest and no writer could write it back: refusing it in the reader, with the rate it computed,
    /// is right. The format one step inside the bound is read and both writers (`WAVHeader` and the recorder's
    /// `WAVFileLayout`) write a header that parses back to it, so the bound sits where the writers' limit is.
    @Test("a format whose byte rate exceeds 32 bits is refused by the reader; the largest within is written back")
    func byteRateOver32Bits() throws {
        #expect(throws: WAVError.byteRateOutOfRange(6_291_456_000)) {
            try WAVLayout(parsing: headerWithByteRateOver32Bits)
        }
        let layout = try WAVLayout(parsing: headerWithLargestByteRate)
        #expect(layout.format == PCMFormat(encoding: .signed16, channelCount: 2796, sampleRate: 768_000))
        let header = WAVHeader.bytes(format: layout.format, dataByteCount: 0)
        #expect(try WAVLayout(parsing: header).format == layout.format)
        let broadcast = BroadcastExtension(
            description: "", originator: "", originatorReference: "", originationDate: "", originationTime: "",
            timeReference: 0, codingHistory: "")
        let recorded = WAVFileLayout(format: layout.format, broadcast: broadcast).header(dataBytes: 0)
        #expect(try WAVLayout(parsing: recorded).format == layout.format)
    }
}
