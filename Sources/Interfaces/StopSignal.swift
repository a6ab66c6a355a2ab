import Synchronization

/// A flag one thread sets to stop the work of others: a signal's stop, the end of pacing. Set once, never cleared.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func stop() { flag.store(true, ordering: .releasing) }
    public var isStopped: Bool { flag.load(ordering: .acquiring) }
}
