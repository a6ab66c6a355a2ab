import Interfaces
import Rings
import Synchronization

/// A track's output as the receive thread sees it: a ring the writer thread empties into the file. The receive
/// thread never touches the disk.
public final class RingOutput: TrackOutput, @unchecked Sendable {
    // @unchecked: the ring is single-producer single-consumer; `write` runs on the producer's thread only.
    public let ring: SPSCByteRing
    /// Set when the writer could not keep up for a whole second: the take ends.
    public let overflowed = Atomic<Bool>(false)
    /// What the receive thread waits on while the ring is full.
    let clock: MonotonicTimeline
    /// Whether the file is the track's own, so it may take the channel count the wire carries.
    let ownsFile: Bool
    /// The channels the track follows instead of the described ones (0: as described), stored before the first
    /// byte enters the ring: a writer that sees bytes sees it.
    public let followedChannels = Atomic<Int>(0)

    public init(capacity: Int, clock: MonotonicTimeline, ownsFile: Bool) {
        ring = SPSCByteRing(capacity: capacity)
        self.clock = clock
        self.ownsFile = ownsFile
    }

    public func follow(channelCount: Int) -> Bool {
        guard ownsFile, ring.availableBytes == 0 else { return false }
        followedChannels.store(channelCount, ordering: .releasing)
        return true
    }

    public func write(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            // In pieces of at most a quarter of the ring, waiting for the writer while it is full.
            let piece = min(bytes.count - offset, ring.capacity / 4)
            let part = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + piece)])
            let deadline = clock.now() + 1_000_000_000
            while !ring.append(part) {
                guard clock.now() < deadline else {
                    overflowed.store(true, ordering: .relaxed)
                    return
                }
                clock.sleep(until: clock.now() + 1_000_000)
            }
            offset += piece
        }
    }
}
