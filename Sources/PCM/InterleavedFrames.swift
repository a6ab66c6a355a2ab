/// Several sources of one rate and sample encoding read as one: each frame holds the first source's channels, then
/// the second's, and so on. A source that has ended gives silence while another goes on; the whole ends with the
/// longest. What a bundle of files sends as one multichannel stream.
public final class InterleavedFrames: FrameSource {
    public let format: PCMFormat
    let sources: [any FrameSource]
    private var buffer: UnsafeMutableRawBufferPointer
    private let silence: UInt8
    /// Frames each source gave in the last read.
    private var held: [Int]

    /// - Precondition: the sources share rate and encoding (the bundling rule refuses others).
    public init(_ sources: [any FrameSource]) {
        precondition(!sources.isEmpty, "a bundle has at least one source")
        let first = sources[0].format
        precondition(
            sources.allSatisfy { $0.format.sampleRate == first.sampleRate && $0.format.encoding == first.encoding },
            "the sources of a bundle share rate and encoding")
        self.sources = sources
        format = PCMFormat(
            encoding: first.encoding, channelCount: sources.reduce(0) { $0 + $1.format.channelCount },
            sampleRate: first.sampleRate)
        silence = first.encoding == .unsigned8 ? 0x80 : 0
        held = [Int](repeating: 0, count: sources.count)
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    public var frameCount: Int? {
        var longest = 0
        for source in sources {
            guard let count = source.frameCount else { return nil }
            longest = max(longest, count)
        }
        return longest
    }

    public func nextFrames(_ count: Int) throws -> UnsafeRawBufferPointer {
        let width = format.bytesPerFrame
        if buffer.count < count * width {
            // Grows to the largest read asked for, once: a read-ahead chunk's worth.
            buffer.deallocate()
            buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count * width, alignment: 16)
        }
        // Each source's frames into its columns as they come (a source's frames are valid until its next read).
        // Raw pointers held in locals: the loops touch no property of this object (each such access is checked).
        let buffer = self.buffer
        guard let target = buffer.baseAddress else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        var column = 0
        var frames = 0
        for index in sources.indices {
            let part = try sources[index].nextFrames(count)
            let sourceWidth = sources[index].format.bytesPerFrame
            let got = part.count / sourceWidth
            if got > 0, let from = part.baseAddress {
                Self.scatter(from, width: sourceWidth, into: target + column, stride: width, frames: got)
            }
            held[index] = got
            frames = max(frames, got)
            column += sourceWidth
        }
        // Silence where a source ended before the longest.
        column = 0
        for index in sources.indices {
            let sourceWidth = sources[index].format.bytesPerFrame
            for frame in held[index]..<frames {
                (target + frame * width + column).initializeMemory(
                    as: UInt8.self, repeating: silence, count: sourceWidth)
            }
            column += sourceWidth
        }
        return UnsafeRawBufferPointer(rebasing: buffer[0..<(frames * width)])
    }

    /// Copies `frames` frames of `width` bytes each, packed at `from`, to every `stride` bytes from `into`.
    @inline(__always)
    static func scatter(
        _ from: UnsafeRawPointer, width: Int, into: UnsafeMutableRawPointer, stride: Int, frames: Int
    ) {
        var source = from
        var target = into
        // The common widths unrolled (a mono or stereo file of 16 or 24 bits): a loop per frame costs more than the
        // bytes it moves.
        switch width {
        case 2:
            for _ in 0..<frames {
                target.storeBytes(of: source.loadUnaligned(as: UInt16.self), as: UInt16.self)
                source += 2
                target += stride
            }
        case 3:
            for _ in 0..<frames {
                target.storeBytes(of: source.loadUnaligned(as: UInt16.self), as: UInt16.self)
                (target + 2).storeBytes(of: (source + 2).load(as: UInt8.self), as: UInt8.self)
                source += 3
                target += stride
            }
        case 4:
            for _ in 0..<frames {
                target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
                source += 4
                target += stride
            }
        case 6:
            for _ in 0..<frames {
                target.storeBytes(of: source.loadUnaligned(as: UInt32.self), as: UInt32.self)
                (target + 4).storeBytes(of: (source + 4).loadUnaligned(as: UInt16.self), as: UInt16.self)
                source += 6
                target += stride
            }
        default:
            for _ in 0..<frames {
                target.copyMemory(from: source, byteCount: width)
                source += width
                target += stride
            }
        }
    }

    public func rewind() {
        for source in sources { source.rewind() }
    }
}
