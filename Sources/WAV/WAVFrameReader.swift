import Interfaces
import PCM

/// Streams the samples of a WAV file from any `ByteSource` through one read-ahead buffer, so memory
/// stays the same whatever the file's size.
public final class WAVFrameReader: FrameSource {
    public let format: PCMFormat
    public let layout: WAVLayout
    private let source: any ByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    /// Next byte of the data chunk to be handed out, relative to its start.
    private var position = 0
    /// Valid bytes in `buffer` start at `bufferStart`, end at `bufferEnd`; they hold data from `position` on.
    private var bufferStart = 0
    private var bufferEnd = 0

    /// The read-ahead size: a few tens of milliseconds of audio for most formats; refills are one pread(2).
    public static let defaultReadAheadBytes = 64 * 1024

    public init(source: any ByteSource, layout: WAVLayout, readAheadBytes: Int = defaultReadAheadBytes) {
        self.source = source
        self.layout = layout
        format = layout.format
        let capacity = max(readAheadBytes, 2 * layout.format.bytesPerFrame)
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    public var frameCount: Int? { layout.frameCount }

    public func nextFrames(_ count: Int) throws -> UnsafeRawBufferPointer {
        let bytesPerFrame = format.bytesPerFrame
        if count * bytesPerFrame > buffer.count {
            grow(to: 2 * count * bytesPerFrame)
        }
        let remaining = layout.dataByteCount - position
        let wanted = min(count * bytesPerFrame, remaining)
        if bufferEnd - bufferStart < wanted {
            do {
                try refill()
            } catch {
                // What was read before a failure goes out first; the next read meets the failure again.
                guard bufferEnd - bufferStart >= bytesPerFrame else { throw error }
            }
        }
        let available = min(wanted, bufferEnd - bufferStart)
        let frames = available - available % bytesPerFrame
        let slice = UnsafeRawBufferPointer(rebasing: buffer[bufferStart..<bufferStart + frames])
        bufferStart += frames
        position += frames
        return slice
    }

    public func rewind() {
        position = 0
        bufferStart = 0
        bufferEnd = 0
    }

    /// Makes the read-ahead buffer hold `capacity` bytes, keeping what it holds: once, when a packet is larger
    /// than the read-ahead, never again after.
    private func grow(to capacity: Int) {
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        let kept = bufferEnd - bufferStart
        if kept > 0, let base = buffer.baseAddress, let target = larger.baseAddress {
            target.copyMemory(from: base + bufferStart, byteCount: kept)
        }
        buffer.deallocate()
        buffer = larger
        bufferStart = 0
        bufferEnd = kept
    }

    /// Moves what is left to the front and fills the rest with the next bytes of the data chunk.
    private func refill() throws {
        let kept = bufferEnd - bufferStart
        if kept > 0, let base = buffer.baseAddress {
            base.copyMemory(from: base + bufferStart, byteCount: kept)
        }
        bufferStart = 0
        bufferEnd = kept
        let fileOffset = layout.dataOffset + position + kept
        let room = min(buffer.count - kept, layout.dataByteCount - position - kept)
        guard room > 0 else { return }
        let got = try source.read(
            at: fileOffset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[kept..<kept + room]))
        // The data chunk was held whole when the file was opened (`dataByteCount` counts what it held): nothing at
        // all where more must be means the file shrank since.
        if got == 0 && kept < format.bytesPerFrame {
            throw WAVError.endedEarly(atFrame: position / format.bytesPerFrame, of: layout.frameCount)
        }
        bufferEnd += got
    }
}
