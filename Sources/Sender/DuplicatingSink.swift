import Interfaces
import Synchronization

/// Sends every datagram on two legs (SMPTE ST 2022-7): the second right after the first, from the same deadline,
/// identical. What the first leg's send came to is the stream's; the second leg's failures are counted apart.
public final class DuplicatingSink: DatagramSink, Sendable {
    // Sendable: the legs are used from the pacing thread only; the count is atomic.
    nonisolated(unsafe) let first: any DatagramSink
    nonisolated(unsafe) let second: any DatagramSink
    /// Datagrams the second leg could not send.
    public let secondLegFailures = Atomic<Int>(0)

    public init(_ first: any DatagramSink, _ second: any DatagramSink) {
        self.first = first
        self.second = second
    }

    public func send(_ bytes: UnsafeRawBufferPointer) -> SendResult {
        let result = first.send(bytes)
        if case .failed = second.send(bytes) { secondLegFailures.add(1, ordering: .relaxed) }
        return result
    }
}
