import Numbers
import PCM

/// The level of each channel of a stream, from its L16 or L24 samples as they arrive: the peak and the RMS over the
/// whole stream and over each `windowFrames` of media time, clipped samples (at either end of the scale) and
/// whether a channel held anything but zeros. Levels are in dBFS as AES17 reads them: a full-scale square wave's
/// peak and a full-scale sine's RMS are 0 dBFS (the RMS against full scale, plus 3.01 dB).
public struct ChannelLevels: Sendable, Hashable {
    public let channelCount: Int
    public let encoding: AudioPayloadEncoding
    public let windowFrames: Int
    public private(set) var peaks: [Int32]
    public private(set) var clipped: [Int]
    private var squares: [Double]
    public private(set) var frames = 0
    /// Per window and channel, the peak and the RMS (dBFS; nil for digital silence).
    public private(set) var windows: [[Level]] = []
    private var windowPeaks: [Int32]
    private var windowSquares: [Double]
    private var windowFill = 0
    /// The most windows kept (an hour of 1 s windows); beyond, the totals alone grow.
    public static let maximumWindows = 3600

    public struct Level: Sendable, Hashable {
        public var peak: Double?
        public var rms: Double?
    }

    public init(channelCount: Int, encoding: AudioPayloadEncoding, windowFrames: Int) {
        self.channelCount = max(1, channelCount)
        self.encoding = encoding
        self.windowFrames = max(1, windowFrames)
        peaks = [Int32](repeating: 0, count: self.channelCount)
        clipped = [Int](repeating: 0, count: self.channelCount)
        squares = [Double](repeating: 0, count: self.channelCount)
        windowPeaks = peaks
        windowSquares = squares
    }

    /// Full scale: the largest magnitude a sample of this width holds.
    var fullScale: Double { encoding == .l16 ? 32_768 : 8_388_608 }

    /// Takes a packet's payload (whole frames; a partial frame at its end is ignored).
    public mutating func take(payload: UnsafeRawBufferPointer) {
        let width = encoding.bytesPerSample
        let frameBytes = width * channelCount
        let count = payload.count / frameBytes
        let top: Int32 = encoding == .l16 ? 32_767 : 8_388_607
        let bottom: Int32 = -top - 1
        var at = 0
        for _ in 0..<count {
            for channel in 0..<channelCount {
                let sample: Int32
                if width == 2 {
                    sample = Int32(Int16(bitPattern: UInt16(payload[at]) << 8 | UInt16(payload[at + 1])))
                } else {
                    let bits = Int32(payload[at]) << 24 | Int32(payload[at + 1]) << 16 | Int32(payload[at + 2]) << 8
                    sample = bits >> 8
                }
                at += width
                let magnitude = sample == bottom ? top : abs(sample)
                if sample == top || sample == bottom { clipped[channel] += 1 }
                windowPeaks[channel] = max(windowPeaks[channel], magnitude)
                windowSquares[channel] += Double(sample) * Double(sample)
            }
            windowFill += 1
            frames += 1
            if windowFill == windowFrames { closeWindow() }
        }
    }

    /// Ends the window under way (at the end of a stream).
    public mutating func finish() {
        if windowFill > 0 { closeWindow() }
    }

    private mutating func closeWindow() {
        if windows.count < Self.maximumWindows {
            windows.append(
                (0..<channelCount).map { channel in
                    Level(
                        peak: Decibels.fullScale(Double(windowPeaks[channel]) / fullScale),
                        rms: Self.rms(windowSquares[channel], count: windowFill, fullScale: fullScale))
                })
        }
        for channel in 0..<channelCount {
            peaks[channel] = max(peaks[channel], windowPeaks[channel])
            squares[channel] += windowSquares[channel]
        }
        windowPeaks = [Int32](repeating: 0, count: channelCount)
        windowSquares = [Double](repeating: 0, count: channelCount)
        windowFill = 0
    }

    /// The whole stream's level of `channel` so far (closed windows).
    public func level(_ channel: Int) -> Level {
        Level(
            peak: Decibels.fullScale(Double(peaks[channel]) / fullScale),
            rms: Self.rms(squares[channel], count: frames - windowFill, fullScale: fullScale))
    }

    /// AES17's RMS level: a full-scale sine (RMS 1/sqrt 2 of full scale) reads 0 dBFS.
    static func rms(_ sum: Double, count: Int, fullScale: Double) -> Double? {
        guard count > 0 else { return nil }
        let mean = sum / Double(count)
        return Decibels.fullScale((mean * 2).squareRoot() / fullScale)
    }
}
