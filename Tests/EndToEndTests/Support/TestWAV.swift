import Foundation
import PCM
import TestSupport
import WAV

/// A WAV file made for a test: pseudo-random samples across the whole range (extremes included),
/// and the bytes an L16/L24 receiver must produce from it, computed here independently of the sender.
struct TestWAV {
    let format: PCMFormat
    let frames: Int
    let samples: [UInt8]

    /// `seconds` of audio whose samples come from a fixed-seed generator.
    init(format: PCMFormat, seconds: Double, seed: UInt64 = 0x5EED) {
        self.format = format
        frames = Int(seconds * Double(format.sampleRate))
        var generator = SplitMix64(state: seed)
        var bytes = [UInt8]()
        bytes.reserveCapacity(frames * format.bytesPerFrame)
        for index in 0..<(frames * format.channelCount) {
            let z = generator.next()
            let width = format.encoding.byteCount
            for byte in 0..<width {
                var value = UInt8(truncatingIfNeeded: z >> (8 * UInt64(byte)))
                if index % 97 == 0 {
                    // Every 97th sample is full scale, so the edges of the range are exercised.
                    // Full scale: 0x7F..FF max or 0x80..00 min in the sample's own width.
                    let top = byte == width - 1
                    value = index % 194 == 0 ? (top ? 0x7F : 0xFF) : (top ? 0x80 : 0x00)
                    if format.encoding == .unsigned8 { value = index % 194 == 0 ? 0xFF : 0x00 }
                }
                bytes.append(value)
            }
        }
        samples = bytes
    }

    /// The whole file: header and samples.
    var fileBytes: [UInt8] { WAVHeader.bytes(format: format, dataByteCount: samples.count) + samples }

    func write(to path: String) throws {
        try Data(fileBytes).write(to: URL(fileURLWithPath: path))
    }

    /// What a receiver must decode: 16 and 24-bit samples byte-swapped to big-endian (L16/L24 carry them
    /// unchanged), 8-bit unsigned widened to 16-bit big-endian ((x - 128) << 8).
    var expectedBigEndian: [UInt8] {
        var out = [UInt8]()
        let width = format.encoding.byteCount
        out.reserveCapacity(samples.count * 2)
        for start in stride(from: 0, to: samples.count, by: width) {
            switch format.encoding {
            case .unsigned8:
                out += [samples[start] &- 128, 0]
            case .signed16, .signed24:
                out += samples[start..<start + width].reversed()
            default:
                preconditionFailure("test fixtures are 8, 16 or 24-bit")
            }
        }
        return out
    }
}
