/// What became of one datagram.
public enum SendResult: Sendable, Hashable {
    case sent
    /// Sent, after the send reported an ICMP port unreachable that came back for an earlier datagram (nobody listens
    /// yet): information, nothing lost.
    case sentAfterRefusal
    /// Another error (socket buffer full, no route, ...) with its errno; this one was not sent.
    case failed(errno: Int32)
}

/// Where a stream's RTP datagrams go: a connected UDP socket in use, a recorder in tests.
public protocol DatagramSink: AnyObject {
    /// Sends one datagram to the sink's fixed destination. Must not allocate or block.
    func send(_ bytes: UnsafeRawBufferPointer) -> SendResult
}

/// A socket that sends to any address and receives from anyone: what an RTCP participant talks through.
public protocol DatagramSocket: AnyObject, Sendable {
    /// Sends one datagram to `destination` without blocking.
    func send(_ bytes: UnsafeRawBufferPointer, to destination: Endpoint) -> SendResult
    /// Receives one datagram if one is queued, without waiting: its length and sender.
    func receiveNow(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, source: Endpoint)?
}

/// Waits on several sockets at once (poll(2) in use).
public protocol DatagramWaiting: AnyObject {
    /// The sockets it waits on, in a fixed order.
    var sockets: [any DatagramSocket] { get }
    /// Waits until one of the sockets has a datagram or `milliseconds` pass; returns whether any has. Allocates
    /// nothing.
    func wait(milliseconds: Int) -> Bool
    /// Whether socket `index` was readable at the last `wait`.
    func isReadable(_ index: Int) -> Bool
}

/// Receives datagrams from several sockets in batches with their kernel arrival times (recvmmsg(2) and
/// SO_TIMESTAMPNS in use): what the recorder's one receive thread reads through.
public protocol DatagramBatchReceiving: AnyObject {
    /// How many sockets it reads.
    var socketCount: Int { get }
    /// Waits up to `milliseconds` for a datagram on any socket, then reads what every readable socket holds (a
    /// bounded batch each) and hands each datagram to `body` with its socket's index, its sender and its arrival time
    /// (wall clock, Unix nanoseconds). The bytes are valid during the call only. Returns how many it read.
    func receive(
        waitingMilliseconds milliseconds: Int,
        _ body: (_ socket: Int, _ bytes: UnsafeRawBufferPointer, _ source: Endpoint, _ arrival: Int64) -> Void
    ) -> Int
    /// Datagrams the kernel dropped on socket `index` because its buffer was full (SO_RXQ_OVFL), so far.
    func kernelDrops(_ index: Int) -> Int
}
