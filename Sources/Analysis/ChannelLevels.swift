import Numbers
import PCM

/// The level of each channel of a stream, from its L16 or L24 samples as they arrive: the peak and the RMS over the
/// whole stream and over windows of media time (100 ms to begin with; when `maximumWindows` are full, neighbours
/// are merged and the window doubles, so an hour and a minute cost the same memory), clipped samples (at either end
/// of the scale). Levels are in dBFS as AES17 reads them: a full-scale square wave's peak and a full-scale sine's
/// RMS are 0 dBFS (the RMS against full scale, plus 3.01 dB). Taking a packet allocates nothing.
public struct ChannelLevels: Sendable {
    public let channelCount: Int
    public let encoding: AudioPayloadEncoding
    /// Frames per window now.
    public private(set) var windowFrames: Int
    public private(set) var clipped: [Int]
    public private(set) var frames = 0
    /// Closed windows, channel by channel within each: peak magnitude and sum of squares.
    private var windowPeaks: [Int32]
    private var windowSquares: [Double]
    public private(set) var windowCount = 0
    /// The window under way.
    private var currentPeaks: [Int32]
    private var currentSquares: [Double]
    private var currentFill = 0
    public static let maximumWindows = 2048

    public struct Level: Sendable, Hashable {
        public var peak: Double?
        public var rms: Double?
    }

    public init(channelCount: Int, encoding: AudioPayloadEncoding, windowFrames: Int) {
        self.channelCount = max(1, channelCount)
        self.encoding = encoding
        self.windowFrames = max(1, windowFrames)
        clipped = [Int](repeating: 0, count: self.channelCount)
        currentPeaks = [Int32](repeating: 0, count: self.channelCount)
        currentSquares = [Double](repeating: 0, count: self.channelCount)
        windowPeaks = [Int32](repeating: 0, count: self.channelCount * Self.maximumWindows)
        windowSquares = [Double](repeating: 0, count: self.channelCount * Self.maximumWindows)
    }

    /// Full scale: the largest magnitude a sample of this width holds.
    var fullScale: Double { encoding == .l16 ? 32_768 : 8_388_608 }

    /// Takes a packet's payload (whole frames; a partial frame at its end is ignored).
    public mutating func take(payload: UnsafeRawBufferPointer) {
        let width = encoding.bytesPerSample
        let frameBytes = width * channelCount
        guard let base = payload.baseAddress else { return }
        var remaining = payload.count / frameBytes
        var at = base
        while remaining > 0 {
            let run = min(remaining, windowFrames - currentFill)
            accumulate(at, frames: run, width: width)
            at += run * frameBytes
            remaining -= run
            currentFill += run
            frames += run
            if currentFill == windowFrames { closeWindow() }
        }
    }

    /// Adds `count` frames at `bytes` to the window under way, a channel at a time: its extremes and sum of
    /// squares kept in registers over the packet (integer squares: at most 2^46 each, a packet's sum far from
    /// overflowing), through raw pointers; clipped samples counted in a second pass only where an extreme reached
    /// full scale.
    private mutating func accumulate(_ bytes: UnsafeRawPointer, frames count: Int, width: Int) {
        let channels = channelCount
        let stride = width * channels
        let top = width == 2 ? 32_767 : 8_388_607
        let bottom = -top - 1
        let input = bytes.assumingMemoryBound(to: UInt8.self)
        @inline(__always) func sample(_ at: Int) -> Int {
            if width == 2 { return Int(Int16(bitPattern: UInt16(input[at]) << 8 | UInt16(input[at + 1]))) }
            return Int((Int32(input[at]) << 24 | Int32(input[at + 1]) << 16 | Int32(input[at + 2]) << 8) >> 8)
        }
        for channel in 0..<channels {
            var highest = 0
            var lowest = 0
            var sum = 0
            var at = channel * width
            for _ in 0..<count {
                let value = sample(at)
                at += stride
                highest = max(highest, value)
                lowest = min(lowest, value)
                sum += value * value
            }
            if highest == top || lowest == bottom {
                at = channel * width
                for _ in 0..<count {
                    let value = sample(at)
                    at += stride
                    if value == top || value == bottom { clipped[channel] += 1 }
                }
            }
            currentPeaks[channel] = max(currentPeaks[channel], Int32(min(top, max(highest, -lowest))))
            currentSquares[channel] += Double(sum)
        }
    }

    /// Ends the window under way (at the end of a stream).
    public mutating func finish() {
        // Twice at most: a merge may make room first.
        while currentFill > 0 { closeWindow() }
    }

    private mutating func closeWindow() {
        if windowCount == Self.maximumWindows {
            // The windows kept become half as many, twice as long; the one under way is half of the next one.
            mergeNeighbours()
            if currentFill < windowFrames { return }
        }
        let base = windowCount * channelCount
        for channel in 0..<channelCount {
            windowPeaks[base + channel] = currentPeaks[channel]
            windowSquares[base + channel] = currentSquares[channel]
            currentPeaks[channel] = 0
            currentSquares[channel] = 0
        }
        windowCount += 1
        currentFill = 0
    }

    /// Halves the windows kept: each pair becomes one (the larger peak, the summed squares), twice as long.
    private mutating func mergeNeighbours() {
        for pair in 0..<(windowCount / 2) {
            for channel in 0..<channelCount {
                let a = 2 * pair * channelCount + channel
                let b = a + channelCount
                windowPeaks[pair * channelCount + channel] = max(windowPeaks[a], windowPeaks[b])
                windowSquares[pair * channelCount + channel] = windowSquares[a] + windowSquares[b]
            }
        }
        windowCount /= 2
        windowFrames *= 2
    }

    /// Window `index`'s level of `channel` (the last window may be shorter: its frames are the remainder).
    public func level(window index: Int, channel: Int) -> Level {
        let frames = index == windowCount - 1 ? self.frames - index * windowFrames : windowFrames
        let slot = index * channelCount + channel
        return Level(
            peak: Decibels.fullScale(Double(windowPeaks[slot]) / fullScale),
            rms: Self.rms(windowSquares[slot], count: min(frames, windowFrames), fullScale: fullScale))
    }

    /// The whole stream's level of `channel` (closed windows).
    public func level(_ channel: Int) -> Level {
        var peak: Int32 = 0
        var squares = 0.0
        for index in 0..<windowCount {
            peak = max(peak, windowPeaks[index * channelCount + channel])
            squares += windowSquares[index * channelCount + channel]
        }
        return Level(
            peak: Decibels.fullScale(Double(peak) / fullScale),
            rms: Self.rms(squares, count: frames - currentFill, fullScale: fullScale))
    }

    /// AES17's RMS level: a full-scale sine (RMS 1/sqrt 2 of full scale) reads 0 dBFS.
    static func rms(_ sum: Double, count: Int, fullScale: Double) -> Double? {
        guard count > 0 else { return nil }
        return Decibels.fullScale((sum / Double(count) * 2).squareRoot() / fullScale)
    }
}
