import PCM
import WAV

/// The demo's test signal: a 440 Hz sine on the left, 660 Hz on the right, at -12 dBFS, as a WAV in memory.
///
/// One second holds whole periods of both tones, so the signal loops without a click.
public enum TestSignal {
    public static let format = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)
    static let frequencies = [440.0, 660.0]
    static let amplitude = 0.25 * 32767.0

    /// A WAV file of `seconds` whole seconds of the signal.
    public static func wav(seconds: Int) -> [UInt8] {
        let frames = format.sampleRate * seconds
        var bytes = WAVHeader.bytes(format: format, dataByteCount: frames * format.bytesPerFrame)
        bytes.reserveCapacity(bytes.count + frames * format.bytesPerFrame)
        for frame in 0..<frames {
            let phase = Double(frame % format.sampleRate) / Double(format.sampleRate)
            for frequency in frequencies {
                let sample = Int16((amplitude * sin(2 * Double.pi * frequency * phase)).rounded())
                let bits = UInt16(bitPattern: sample)
                bytes.append(UInt8(truncatingIfNeeded: bits))
                bytes.append(UInt8(truncatingIfNeeded: bits >> 8))
            }
        }
        return bytes
    }

    /// A sine without Foundation: reduce to [-pi, pi], then a Taylor series good to 1e-12 there.
    static func sin(_ x: Double) -> Double {
        var angle = x.truncatingRemainder(dividingBy: 2 * Double.pi)
        if angle > Double.pi { angle -= 2 * Double.pi }
        if angle < -Double.pi { angle += 2 * Double.pi }
        var term = angle
        var sum = angle
        let square = angle * angle
        for n in stride(from: 2, through: 40, by: 2) {
            term *= -square / Double(n * (n + 1))
            sum += term
        }
        return sum
    }
}
