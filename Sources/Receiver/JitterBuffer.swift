import PCM

/// A stream's reorder window: packets placed by their media position (frames), released in order once they are old
/// enough, every frame never heard in between released as silence and counted.
///
/// Positions are frames of one stream segment's extended RTP timestamps. The window holds `capacity` frames from
/// `releasedUpTo`; memory is fixed at creation, whatever arrives. Samples are stored as the file will hold them
/// (little-endian), converted from the network's big-endian on the way in.
public final class JitterBuffer {
    public let bytesPerFrame: Int
    public let capacity: Int
    let reader: NetworkSampleReader
    let channelCount: Int
    private let ring: UnsafeMutableRawBufferPointer
    private var present: [UInt64]
    /// The first frame not yet released: everything before it has gone out.
    public private(set) var releasedUpTo: Int64
    /// One past the last frame placed so far; nil before the first.
    public private(set) var highestEnd: Int64?
    /// The first frame placed (the lowest), where the stream's audio begins.
    public private(set) var lowestStart: Int64?

    /// What became of a packet offered to the window.
    public enum Placement: Sendable, Hashable {
        /// Placed (all of it, or the part still in the window when `lateFrames` > 0).
        case placed(lateFrames: Int)
        /// Every frame of it was here already.
        case duplicate
        /// All of it lies before the window: released already.
        case late
        /// It lies beyond the window's end: release up to `releaseTo` first, then offer it again.
        case beyondWindow(releaseTo: Int64)
    }

    /// - Parameters:
    ///   - start: the first position the window holds.
    public init(encoding: AudioPayloadEncoding, channelCount: Int, capacity: Int, start: Int64) {
        precondition(capacity > 0 && channelCount > 0, "a window holds at least one frame")
        self.channelCount = channelCount
        bytesPerFrame = encoding.bytesPerSample * channelCount
        self.capacity = capacity
        reader = NetworkSampleReader(encoding)
        ring = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity * bytesPerFrame, alignment: 16)
        ring.initializeMemory(as: UInt8.self, repeating: 0)
        present = [UInt64](repeating: 0, count: (capacity + 63) / 64)
        releasedUpTo = start
    }

    deinit {
        ring.deallocate()
    }

    /// Offers a packet of network samples whose first frame is at `position`; returns what became of it and, when
    /// placed, the peak magnitude of its samples, the sum of their squares at 16-bit precision and how many there
    /// were (for level meters).
    public func place(position: Int64, payload: UnsafeRawBufferPointer) -> (
        placement: Placement, peak: Int32, squares: Int, samples: Int
    ) {
        let frames = payload.count / bytesPerFrame
        guard frames > 0 else { return (.duplicate, 0, 0, 0) }
        let end = position + Int64(frames)
        if end <= releasedUpTo { return (.late, 0, 0, 0) }
        if end > releasedUpTo + Int64(capacity) { return (.beyondWindow(releaseTo: end - Int64(capacity)), 0, 0, 0) }
        let skip = Int(max(0, releasedUpTo - position))
        var fresh = false
        for frame in Int64(skip)..<Int64(frames) where !isPresent(position + frame) {
            fresh = true
            break
        }
        guard fresh else { return (skip > 0 ? .late : .duplicate, 0, 0, 0) }
        var peak: Int32 = 0
        var squares = 0
        var offset = skip
        while offset < frames {
            // The ring wraps: copy up to its end, then from its start.
            let slot = slot(of: position + Int64(offset))
            let run = min(frames - offset, capacity - slot)
            let input = UnsafeRawBufferPointer(
                rebasing: payload[(offset * bytesPerFrame)..<((offset + run) * bytesPerFrame)])
            let output = UnsafeMutableRawBufferPointer(
                rebasing: ring[(slot * bytesPerFrame)..<((slot + run) * bytesPerFrame)])
            peak = max(peak, reader.convert(input, into: output, sampleCount: run * channelCount, squares: &squares))
            for index in slot..<(slot + run) { present[index >> 6] |= 1 << UInt64(index & 63) }
            offset += run
        }
        highestEnd = max(highestEnd ?? end, end)
        let start = position + Int64(skip)
        lowestStart = min(lowestStart ?? start, start)
        return (.placed(lateFrames: skip), peak, squares, (frames - skip) * channelCount)
    }

    /// Whether the frame at `position` (inside the window) has been placed.
    public func isPresent(_ position: Int64) -> Bool {
        let index = slot(of: position)
        return present[index >> 6] & (1 << UInt64(index & 63)) != 0
    }

    @inline(__always)
    private func slot(of position: Int64) -> Int {
        let remainder = Int(position % Int64(capacity))
        return remainder < 0 ? remainder + capacity : remainder
    }

    /// Releases every frame before `position` (at most to the window's end), in order, as runs handed to `body`:
    /// the bytes of frames that were placed, or nil for a run of frames never heard (silence, `count` frames long).
    /// The bytes are valid during the call only.
    public func release(
        upTo position: Int64, _ body: (_ start: Int64, _ count: Int, _ bytes: UnsafeRawBufferPointer?) -> Void
    ) {
        let target = min(position, releasedUpTo + Int64(capacity))
        while releasedUpTo < target {
            let slot = slot(of: releasedUpTo)
            let limit = min(Int(target - releasedUpTo), capacity - slot)
            let placed = isPresent(releasedUpTo)
            var run = 1
            while run < limit && isPresent(releasedUpTo + Int64(run)) == placed { run += 1 }
            if placed {
                body(
                    releasedUpTo, run,
                    UnsafeRawBufferPointer(rebasing: ring[(slot * bytesPerFrame)..<((slot + run) * bytesPerFrame)]))
            } else {
                body(releasedUpTo, run, nil)
            }
            for index in slot..<(slot + run) { present[index >> 6] &= ~(1 << UInt64(index & 63)) }
            releasedUpTo += Int64(run)
        }
    }

    /// Moves the window to start at `position` without releasing anything: before the first release, for frames
    /// that will never be written (before the take's start).
    public func discard(upTo position: Int64) {
        release(upTo: position) { _, _, _ in }
        releasedUpTo = max(releasedUpTo, position)
    }
}
