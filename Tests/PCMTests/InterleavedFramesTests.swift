import PCM
import Testing

/// Frames from memory: sample n of channel c is the byte `first + n` (every byte of it), for `frames` frames.
private final class CountingSource: FrameSource {
    let format: PCMFormat
    let frames: Int
    let first: UInt8
    private var position = 0
    private var buffer: [UInt8] = []

    init(_ format: PCMFormat, frames: Int, first: UInt8) {
        self.format = format
        self.frames = frames
        self.first = first
    }

    var frameCount: Int? { frames }

    func nextFrames(_ count: Int) throws -> UnsafeRawBufferPointer {
        let take = min(count, frames - position)
        buffer = (0..<take).flatMap { frame in
            [UInt8](repeating: first &+ UInt8(truncatingIfNeeded: position + frame), count: format.bytesPerFrame)
        }
        position += take
        return buffer.withUnsafeBytes { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count) }
    }

    func rewind() { position = 0 }
}

/// Frames from memory whose every byte differs from its neighbours: byte k of the stream is `seed + 7k` (mod 256).
private final class PatternSource: FrameSource {
    let format: PCMFormat
    let bytes: [UInt8]
    private var position = 0
    private var buffer: [UInt8] = []

    init(_ format: PCMFormat, frames: Int, seed: UInt8) {
        self.format = format
        bytes = (0..<(frames * format.bytesPerFrame)).map { seed &+ UInt8(truncatingIfNeeded: 7 * $0) }
    }

    var frameCount: Int? { bytes.count / format.bytesPerFrame }

    func nextFrames(_ count: Int) throws -> UnsafeRawBufferPointer {
        let take = min(count * format.bytesPerFrame, bytes.count - position)
        buffer = Array(bytes[position..<(position + take)])
        position += take
        return buffer.withUnsafeBytes { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count) }
    }

    func rewind() { position = 0 }
}

@Suite struct InterleavedFramesTests {
    static let mono16 = PCMFormat(encoding: .signed16, channelCount: 1, sampleRate: 48_000)
    static let stereo16 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)

    static func read(_ source: InterleavedFrames, in pieces: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        while true {
            let part = try source.nextFrames(pieces)
            if part.isEmpty { return out }
            out += part
        }
    }

    @Test("each frame holds the sources' channels in order; a source that ended is silence until the longest ends")
    func interleavesAndPads() throws {
        let bundle = InterleavedFrames([
            CountingSource(Self.mono16, frames: 5, first: 10), CountingSource(Self.stereo16, frames: 3, first: 100),
        ])
        #expect(bundle.format == PCMFormat(encoding: .signed16, channelCount: 3, sampleRate: 48_000))
        #expect(bundle.frameCount == 5)
        let bytes = try Self.read(bundle, in: 2)
        let expected = (0..<5).flatMap { frame -> [UInt8] in
            let mono = [UInt8](repeating: UInt8(10 + frame), count: 2)
            let stereo = frame < 3 ? [UInt8](repeating: UInt8(100 + frame), count: 4) : [0, 0, 0, 0]
            return mono + stereo
        }
        #expect(bytes == expected)
        bundle.rewind()
        #expect(try Self.read(bundle, in: 5) == expected)
    }

    @Test("8-bit unsigned sources are padded with their silence, 0x80")
    func unsignedSilence() throws {
        let mono8 = PCMFormat(encoding: .unsigned8, channelCount: 1, sampleRate: 8_000)
        let bundle = InterleavedFrames([
            CountingSource(mono8, frames: 1, first: 1), CountingSource(mono8, frames: 2, first: 5),
        ])
        #expect(try Self.read(bundle, in: 4) == [1, 5, 0x80, 6])
    }

    @Test(
        "every byte lands in its place whatever a source's frame width (1 to 18 bytes: the unrolled and general copies)",
        arguments: [
            (SampleEncoding.unsigned8, 1), (.signed16, 1), (.signed24, 1), (.signed16, 2), (.signed24, 2),
            (.signed32, 2), (.signed24, 6),
        ])
    func everyWidth(_ encoding: SampleEncoding, _ channels: Int) throws {
        let format = PCMFormat(encoding: encoding, channelCount: channels, sampleRate: 48_000)
        let sources = [
            PatternSource(format, frames: 37, seed: 1), PatternSource(format, frames: 37, seed: 2),
            PatternSource(format, frames: 37, seed: 3),
        ]
        let width = format.bytesPerFrame
        let expected = (0..<37).flatMap { frame in
            sources.flatMap { $0.bytes[(frame * width)..<((frame + 1) * width)] }
        }
        #expect(try Self.read(InterleavedFrames(sources), in: 10) == expected)
    }
}
