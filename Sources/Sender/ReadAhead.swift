import Interfaces
import PCM
import Synchronization

/// Frames read ahead of the deadlines by a reader thread, so the pacing thread never waits for the disk.
///
/// A single-producer, single-consumer ring: the reader thread (`ReadAheadThread`) appends frames from the inner
/// source, the pacing thread takes them. `produced` and `consumed` count bytes since the start and are the only
/// shared state (atomics, no locks). A slice handed to the pacing thread stays valid until its next call, because
/// it is released only then. With `loops` the reader starts the inner source again at its end, so the pacing
/// thread sees one endless stream.
public final class ReadAheadSource: FrameSource, @unchecked Sendable {
    // @unchecked: `inner` and `writeOffset` belong to the reader thread, `pending` and `scratch` to the pacing
    // thread; `ring` is shared under the produced/consumed protocol.
    public let format: PCMFormat
    public let frameCount: Int?
    let inner: any FrameSource
    let loops: Bool
    private let ring: UnsafeMutableRawBufferPointer
    private let scratch: UnsafeMutableRawBufferPointer
    private let produced = Atomic<Int>(0)
    private let consumed = Atomic<Int>(0)
    private let ended = Atomic<Bool>(false)
    private let failure = Mutex<String?>(nil)
    /// Bytes of the slice last handed out, released at the next call.
    private var pending = 0
    /// Times the pacing thread found the ring empty and had to wait.
    public let underruns = Atomic<Int>(0)
    /// What the pacing thread sleeps on while the ring is empty.
    private let clock: any PacingClock & Sendable
    /// Ends a wait for a reader that is stuck (a disk that no longer answers) when the stream is stopped.
    private let stop: StopSignal?

    /// - Parameters:
    ///   - capacity: ring size in bytes, rounded down to whole frames; at least two packets.
    ///   - maximumFrames: the most frames one `nextFrames` asks for (one packet).
    ///   - clock: what the pacing thread waits on when the ring runs dry.
    ///   - stop: when set, the pacing thread stops waiting for the reader and takes what there is.
    public init(
        _ inner: any FrameSource, capacity: Int, maximumFrames: Int, loops: Bool, clock: any PacingClock & Sendable,
        stop: StopSignal? = nil
    ) {
        self.inner = inner
        self.clock = clock
        self.stop = stop
        self.loops = loops
        format = inner.format
        frameCount = loops ? nil : inner.frameCount
        let bytesPerFrame = inner.format.bytesPerFrame
        let size = max(capacity, 4 * maximumFrames * bytesPerFrame)
        ring = UnsafeMutableRawBufferPointer.allocate(byteCount: size - size % bytesPerFrame, alignment: 16)
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: maximumFrames * bytesPerFrame, alignment: 16)
    }

    deinit {
        ring.deallocate()
        scratch.deallocate()
    }

    // MARK: The pacing thread's side

    public func nextFrames(_ count: Int) throws -> UnsafeRawBufferPointer {
        if pending > 0 {
            consumed.add(pending, ordering: .releasing)
            pending = 0
        }
        let bytesPerFrame = format.bytesPerFrame
        let wanted = min(count * bytesPerFrame, scratch.count)
        let start = consumed.load(ordering: .relaxed)
        var available = produced.load(ordering: .acquiring) - start
        while available < wanted && !ended.load(ordering: .acquiring) && stop?.isStopped != true {
            // The reader is behind (a slow disk): wait for it; the packet leaves late and is counted so.
            underruns.add(1, ordering: .relaxed)
            clock.sleep(until: clock.now() + Self.underrunWaitNanoseconds)
            available = produced.load(ordering: .acquiring) - start
        }
        // What was read before a failure goes out first (read again: the reader may have added some and then
        // ended since the last look); the failure once nothing is left.
        available = produced.load(ordering: .acquiring) - start
        if available < bytesPerFrame, let message = failure.withLock({ $0 }) { throw ReadAheadError(message: message) }
        let length = min(wanted, available) - min(wanted, available) % bytesPerFrame
        guard length > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        pending = length
        let offset = start % ring.count
        if offset + length <= ring.count {
            return UnsafeRawBufferPointer(rebasing: ring[offset..<offset + length])
        }
        // The slice wraps around the end of the ring: join its two parts in the scratch buffer.
        let first = ring.count - offset
        scratch.copyMemory(from: UnsafeRawBufferPointer(rebasing: ring[offset...]))
        UnsafeMutableRawBufferPointer(rebasing: scratch[first...])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: ring[0..<length - first]))
        return UnsafeRawBufferPointer(rebasing: scratch[0..<length])
    }

    /// The most one read of the inner source asks for: small enough that the chunk, and a bundle's sources
    /// interleaved into it, stay in the processor's cache on their way to the ring (a bundle of 8 mono 24-bit files
    /// cost 13 % of the process's CPU in the interleave at 393 KB per read).
    static let chunkBytes = 65_536

    /// How long the pacing thread waits before looking at an empty ring again.
    static let underrunWaitNanoseconds: Int64 = 100_000

    /// Not supported once reading ahead: with `loops` the reader starts over by itself.
    public func rewind() {}

    // MARK: The reader thread's side

    /// Fills free space with the inner source's next frames; returns false once the source has ended.
    func fill() -> Bool {
        guard !ended.load(ordering: .relaxed) else { return false }
        let bytesPerFrame = format.bytesPerFrame
        var rewound = false
        while true {
            let writeOffset = produced.load(ordering: .relaxed)
            let free = ring.count - (writeOffset - consumed.load(ordering: .acquiring))
            let room = min(free, ring.count - writeOffset % ring.count)
            let frames = room / bytesPerFrame
            guard frames > 0 else { return true }
            let chunk: UnsafeRawBufferPointer
            do {
                chunk = try inner.nextFrames(min(frames, max(1, Self.chunkBytes / bytesPerFrame)))
            } catch {
                failure.withLock { $0 = "\(error)" }
                ended.store(true, ordering: .releasing)
                return false
            }
            if chunk.isEmpty {
                // Started over and still nothing: the source has no frames any more; end instead of spinning.
                if loops && (inner.frameCount ?? 1) > 0 && !rewound {
                    inner.rewind()
                    rewound = true
                    continue
                }
                if rewound { failure.withLock { $0 = "no frames left to loop over" } }
                ended.store(true, ordering: .releasing)
                return false
            }
            rewound = false
            UnsafeMutableRawBufferPointer(rebasing: ring[(writeOffset % ring.count)...]).copyMemory(from: chunk)
            produced.add(chunk.count, ordering: .releasing)
        }
    }
}

/// A read failure the reader thread met, handed to the pacing thread.
public struct ReadAheadError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// What the one reader thread of a process does for every track's ring: fill them all, then look again every 2 ms,
/// until every source has ended or it is stopped.
public struct ReadAheadLoop: Sendable {
    public let sources: [ReadAheadSource]
    /// How long the reader rests between rounds.
    public static let restNanoseconds: Int64 = 2_000_000

    public init(sources: [ReadAheadSource]) {
        self.sources = sources
    }

    /// Fills every ring once, so the first packets find data; call it before the pacing starts.
    public func prime() {
        for source in sources { _ = source.fill() }
    }

    /// Keeps the rings filled until every source has ended or `stop` is set.
    public func run(clock: some PacingClock, stop: StopSignal) {
        while !stop.isStopped {
            var active = false
            for source in sources where source.fill() { active = true }
            if !active { return }
            clock.sleep(until: clock.now() + Self.restNanoseconds)
        }
    }
}
