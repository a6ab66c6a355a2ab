import Application
import Foundation

/// A network in memory, on manual clocks: what is sent is kept with its time and delivered to whoever listens on
/// the destination port, after a fixed delay; what a send returns and which datagrams are lost are the test's to
/// say. Waiting for a datagram is sleeping on the clocks, so the program under test sees the network's time.
final class MemoryNetwork: Network, @unchecked Sendable {
    // @unchecked: every mutable field is behind `lock`.
    struct Sent {
        var time: Int64
        var source: Endpoint
        var destination: Endpoint
        var bytes: [UInt8]
    }

    let clocks: ManualClocks
    /// The one-way delay of every datagram.
    let delay: Int64 = 1_000_000
    private let lock = NSLock()
    private var sentDatagrams: [Sent] = []
    private var listeners: [Int: MemorySocket] = [:]
    private var nextPort = 40_000
    /// What a send to a destination returns, given the monotonic time; `.sent` unless the test says otherwise.
    var result: @Sendable (Endpoint, Int64) -> SendResult = { _, _ in .sent }

    init(clocks: ManualClocks) {
        self.clocks = clocks
    }

    /// Every datagram sent so far, in order.
    var sent: [Sent] { lock.withLock { sentDatagrams } }

    static let local = IPAddress("127.0.0.1") ?? .loopback(.ipv4)

    func interfaceIndex(_ name: String) -> UInt32? { name == "lo" ? 1 : nil }

    func resolve(_ host: String) throws -> IPAddress {
        guard let address = IPAddress(host) else { throw ResolutionError(host: host, reason: "not in this network") }
        return address
    }

    func route(towards address: IPAddress, interface: UInt32) throws -> (localAddress: IPAddress, mtu: Int?) {
        (Self.local, 1500)
    }

    func openSending(_ plan: TrackPlan, interface: UInt32) throws -> SendingSockets {
        let rtp = socket(port: plan.sourcePort, destination: plan.destination)
        let rtcp = plan.rtcpMultiplexed ? rtp : socket(port: plan.sourceRTCPPort, destination: plan.rtcpDestination)
        return SendingSockets(rtp: rtp, rtcp: rtcp) { 1500 }
    }

    func openAnnouncing(family: IPAddress.Family, hops: Int, interface: UInt32, loop: Bool) throws
        -> any DatagramSocket
    {
        socket(port: nil, destination: nil)
    }

    func openListening(_ endpoint: Endpoint, group: IPAddress?, source: IPAddress?, interface: UInt32, dscp: Int?)
        throws -> any DatagramSocket
    {
        try lock.withLock {
            if listeners[endpoint.port] != nil {
                throw ListenFailure.bind(SystemError("bind", errno: 98))
            }
            let socket = MemorySocket(network: self, local: Endpoint(address: Self.local, port: endpoint.port))
            listeners[endpoint.port] = socket
            return socket
        }
    }

    func batchReceiver(_ sockets: [any DatagramSocket]) throws -> any DatagramBatchReceiving {
        MemoryReceiver(sockets: sockets.compactMap { $0 as? MemorySocket }, clocks: clocks)
    }

    func waiter(_ sockets: [any DatagramSocket]) -> any DatagramWaiting {
        MemoryWaiter(sockets: sockets.compactMap { $0 as? MemorySocket }, clocks: clocks)
    }

    private func socket(port: Int?, destination: Endpoint?) -> MemorySocket {
        lock.withLock {
            let chosen = port ?? nextPort
            nextPort += 2
            return MemorySocket(
                network: self, local: Endpoint(address: Self.local, port: chosen), destination: destination)
        }
    }

    /// A datagram from `source` to `destination`, sent now: kept, and queued where someone listens.
    func send(_ bytes: UnsafeRawBufferPointer, from source: Endpoint, to destination: Endpoint) -> SendResult {
        let now = clocks.monotonicNow()
        let outcome = result(destination, now)
        lock.withLock {
            sentDatagrams.append(Sent(time: now, source: source, destination: destination, bytes: Array(bytes)))
            if case .failed = outcome { return }
            listeners[destination.port]?.enqueue(Array(bytes), from: source, arrival: now + delay)
        }
        return outcome
    }

    /// Whether a socket listens on `port`.
    func isListening(port: Int) -> Bool { lock.withLock { listeners[port] != nil } }

    /// A datagram arriving at `port` at `arrival` (monotonic), as if sent by a host elsewhere.
    func inject(_ bytes: [UInt8], to port: Int, from source: Endpoint, arrival: Int64) {
        lock.withLock { listeners[port] }?.enqueue(bytes, from: source, arrival: arrival)
    }

    /// The wall clock of a monotonic instant.
    func wall(_ monotonic: Int64) -> Int64 { monotonic + clocks.wallNow() - clocks.monotonicNow() }
}

/// A socket of the memory network: sends through it, holds what arrives for it.
final class MemorySocket: DatagramSocket, DatagramSink, @unchecked Sendable {
    // @unchecked: `queue` is behind `lock`; the rest is immutable.
    unowned let network: MemoryNetwork
    let local: Endpoint
    let destination: Endpoint?
    private let lock = NSLock()
    private var queue: [(bytes: [UInt8], source: Endpoint, arrival: Int64)] = []

    init(network: MemoryNetwork, local: Endpoint, destination: Endpoint? = nil) {
        self.network = network
        self.local = local
        self.destination = destination
    }

    func send(_ bytes: UnsafeRawBufferPointer) -> SendResult {
        guard let destination else { return .failed(errno: 89) }
        return network.send(bytes, from: local, to: destination)
    }

    func send(_ bytes: UnsafeRawBufferPointer, to destination: Endpoint) -> SendResult {
        network.send(bytes, from: local, to: destination)
    }

    func receiveNow(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, source: Endpoint)? {
        guard let datagram = take(by: network.clocks.monotonicNow()) else { return nil }
        let count = min(buffer.count, datagram.bytes.count)
        buffer.copyBytes(from: datagram.bytes.prefix(count))
        return (count, datagram.source)
    }

    func enqueue(_ bytes: [UInt8], from source: Endpoint, arrival: Int64) {
        lock.withLock {
            queue.append((bytes, source, arrival))
            queue.sort { $0.arrival < $1.arrival }
        }
    }

    /// The first datagram arrived by `now`, taken out.
    func take(by now: Int64) -> (bytes: [UInt8], source: Endpoint, arrival: Int64)? {
        lock.withLock {
            guard let first = queue.first, first.arrival <= now else { return nil }
            return queue.removeFirst()
        }
    }

    /// When the next datagram arrives, if one is on its way.
    var nextArrival: Int64? { lock.withLock { queue.first?.arrival } }
}

/// Waits on memory sockets by sleeping on the clocks until a datagram arrives or the time is up.
final class MemoryWaiter: DatagramWaiting {
    let memorySockets: [MemorySocket]
    let clocks: ManualClocks
    private var readable: [Bool]

    init(sockets: [MemorySocket], clocks: ManualClocks) {
        memorySockets = sockets
        self.clocks = clocks
        readable = Array(repeating: false, count: sockets.count)
    }

    var sockets: [any DatagramSocket] { memorySockets }

    func wait(milliseconds: Int) -> Bool {
        let until = clocks.monotonicNow() + Int64(max(0, milliseconds)) * 1_000_000
        let next = memorySockets.compactMap(\.nextArrival).min() ?? until
        clocks.sleep(untilMonotonic: min(until, next))
        let now = clocks.monotonicNow()
        readable = memorySockets.map { ($0.nextArrival ?? .max) <= now }
        return readable.contains(true)
    }

    func isReadable(_ index: Int) -> Bool { readable[index] }
}

/// Reads memory sockets as the recorder's batch receiver reads real ones: every datagram arrived, with its arrival
/// time on the wall clock.
final class MemoryReceiver: DatagramBatchReceiving {
    let sockets: [MemorySocket]
    let clocks: ManualClocks

    init(sockets: [MemorySocket], clocks: ManualClocks) {
        self.sockets = sockets
        self.clocks = clocks
    }

    var socketCount: Int { sockets.count }

    func receive(
        waitingMilliseconds milliseconds: Int,
        _ body: (_ socket: Int, _ bytes: UnsafeRawBufferPointer, _ source: Endpoint, _ arrival: Int64) -> Void
    ) -> Int {
        let until = clocks.monotonicNow() + Int64(milliseconds) * 1_000_000
        let next = sockets.compactMap(\.nextArrival).min() ?? until
        clocks.sleep(untilMonotonic: min(until, next))
        let now = clocks.monotonicNow()
        let toWall = clocks.wallNow() - now
        var count = 0
        for (index, socket) in sockets.enumerated() {
            while let datagram = socket.take(by: now) {
                datagram.bytes.withUnsafeBytes { body(index, $0, datagram.source, datagram.arrival + toWall) }
                count += 1
            }
        }
        return count
    }

    func kernelDrops(_ index: Int) -> Int { 0 }
}
