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

@Suite struct WAVFuzzRegressionTests {
    /// A format the chunk walker accepts is one the writers can write: either `WAVLayout` refuses the file, or
    /// `WAVHeader` and the recorder's `WAVFileLayout` write a header for its format that parses back to it. The reader
    /// accepted it and `WAVHeader.formatChunk` trapped converting the byte rate to UInt32
    /// (`UInt32(format.sampleRate * format.bytesPerFrame)`), so the round trip runs in a child process. The reader
    /// now refuses a byte rate beyond 32 bits.
    @Test("a format whose byte rate exceeds 32 bits is refused by the reader or written by the writers")
    func byteRateOver32Bits() async {
        await #expect(processExitsWith: .success) {
            guard let layout = try? WAVLayout(parsing: headerWithByteRateOver32Bits) else { return }
            let header = WAVHeader.bytes(format: layout.format, dataByteCount: 0)
            precondition((try? WAVLayout(parsing: header))?.format == layout.format, "WAVHeader round trip")
            let broadcast = BroadcastExtension(
                description: "", originator: "", originatorReference: "", originationDate: "", originationTime: "",
                timeReference: 0, codingHistory: "")
            let recorded = WAVFileLayout(format: layout.format, broadcast: broadcast).header(dataBytes: 0)
            precondition((try? WAVLayout(parsing: recorded))?.format == layout.format, "WAVFileLayout round trip")
        }
    }
}
