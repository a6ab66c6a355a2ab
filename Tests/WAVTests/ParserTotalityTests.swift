import Interfaces
import PCM
import TestSupport
import Testing
import WAV

/// The WAV chunk walker is total: any bytes give a layout or a `WAVError`, never a trap.
@Suite struct WAVParserTotalityTests {
    @Test("10 000 mutated and cut WAV headers: every one parses or throws")
    func anyBytes() {
        var random = SplitMix64(state: 0x5741_5645)
        let formats = [
            PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000),
            PCMFormat(encoding: .signed24, channelCount: 8, sampleRate: 96_000),
            PCMFormat(encoding: .float32, channelCount: 1, sampleRate: 44_100),
        ]
        var parsed = 0
        for round in 0..<10_000 {
            var bytes =
                WAVHeader.bytes(format: formats[round % 3], dataByteCount: 64) + [UInt8](repeating: 7, count: 64)
            for _ in 0..<(1 + random.next() % 6) {
                let index = Int(random.next() % UInt64(bytes.count))
                bytes[index] = UInt8(truncatingIfNeeded: random.next())
            }
            if round % 3 == 0 { bytes.removeLast(Int(random.next() % UInt64(bytes.count))) }
            if (try? WAVLayout(parsing: bytes)) != nil { parsed += 1 }
        }
        #expect(parsed > 100 && parsed < 10_000)
    }
}
