import Planning
import TestSupport
import Testing

/// The take file reader is total: any bytes give a take file or a `TakeFileError`, never a trap.
@Suite struct TakeFileTotalityTests {
    @Test("10 000 mutated take files: every one parses or throws")
    func anyBytes() {
        let seed = Array(
            #"{"name": "t", "start_at": "2026-11-29T12:00:00Z", "port": 5004, "ptime": 1, "tracks": [{"file": "a.wav", "node": "n", "encoding": "L24", "sample_rate": 48000, "channels": 2, "ssrc": 7}]}"#
                .utf8)
        var random = SplitMix64(state: 0x5441_4B45)
        var parsed = 0
        for _ in 0..<10_000 {
            var bytes = seed
            for _ in 0..<(1 + random.next() % 3) {
                let index = Int(random.next() % UInt64(bytes.count))
                bytes[index] = UInt8(truncatingIfNeeded: random.next() % 128)
            }
            if (try? TakeFile(parsing: bytes)) != nil { parsed += 1 }
        }
        #expect(parsed > 100 && parsed < 10_000)
    }
}
