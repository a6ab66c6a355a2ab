import Synchronization

/// A ring of bytes between one producer thread and one consumer thread, without locks: the producer appends at
/// `produced`, the consumer takes from `consumed`, both counting bytes since the start; each side reads the other's
/// count with acquire ordering and publishes its own with release ordering, so the bytes between them are always
/// whole. Memory is fixed at creation.
public final class SPSCByteRing: @unchecked Sendable {
    // @unchecked: `storage` is shared under the produced/consumed protocol described above.
    public let capacity: Int
    private let storage: UnsafeMutableRawBufferPointer
    private let produced = Atomic<Int>(0)
    private let consumed = Atomic<Int>(0)

    public init(capacity: Int) {
        precondition(capacity > 0, "a ring holds at least one byte")
        self.capacity = capacity
        // Left untouched: its pages become resident as the ring first goes round, not all at once.
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    // MARK: The producer's side

    /// Bytes the producer may append now.
    public var freeBytes: Int { capacity - (produced.load(ordering: .relaxed) - consumed.load(ordering: .acquiring)) }

    /// Appends all of `bytes`, or nothing when they do not fit; returns whether they were appended.
    @discardableResult
    public func append(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count <= freeBytes else { return false }
        let start = produced.load(ordering: .relaxed)
        var done = 0
        while done < bytes.count {
            let offset = (start + done) % capacity
            let run = min(bytes.count - done, capacity - offset)
            UnsafeMutableRawBufferPointer(rebasing: storage[offset..<(offset + run)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[done..<(done + run)]))
            done += run
        }
        produced.store(start + bytes.count, ordering: .releasing)
        return true
    }

    // MARK: The consumer's side

    /// Bytes waiting for the consumer.
    public var availableBytes: Int { produced.load(ordering: .acquiring) - consumed.load(ordering: .relaxed) }

    /// Hands the waiting bytes (at most `limit` of them) to `body` in at most two contiguous runs (the ring wraps),
    /// then frees them.
    public func drain(upTo limit: Int = .max, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let start = consumed.load(ordering: .relaxed)
        let count = min(limit, produced.load(ordering: .acquiring) - start)
        var done = 0
        while done < count {
            let offset = (start + done) % capacity
            let run = min(count - done, capacity - offset)
            try body(UnsafeRawBufferPointer(rebasing: storage[offset..<(offset + run)]))
            done += run
        }
        consumed.store(start + count, ordering: .releasing)
    }
}
