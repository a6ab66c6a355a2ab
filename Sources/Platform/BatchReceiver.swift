import CPlatformShims
import Glibc
import Interfaces

/// Reads many UDP sockets from one thread: poll(2) for readiness, then recvmmsg(2) batches with each datagram's
/// kernel receive time (SO_TIMESTAMPNS) and the socket's drop count (SO_RXQ_OVFL). The batch is made once; receiving
/// allocates nothing.
public final class BatchReceiver: DatagramBatchReceiving {
    public let sockets: [UDPSocket]
    private var table: [pollfd]
    private let batch: OpaquePointer
    private let batchCount: UInt32
    private var drops: [Int]

    /// The largest datagram it takes whole: a jumbo frame's payload.
    public static let datagramCapacity = 9_000

    /// Prepares `sockets` (timestamps, drop counting, `receiveBuffer` bytes of buffer each) for batches of
    /// `batchCount` datagrams.
    public init(sockets: [UDPSocket], batchCount: Int = 64, receiveBuffer: Int = 4 << 20) throws {
        self.sockets = sockets
        table = sockets.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
        drops = [Int](repeating: 0, count: sockets.count)
        self.batchCount = UInt32(batchCount)
        guard let batch = shim_batch_create(UInt32(batchCount), Self.datagramCapacity) else {
            throw SystemError("malloc", errno: ENOMEM)
        }
        self.batch = batch
        for socket in sockets {
            try socket.enableReceiveTimestamps()
            guard shim_enable_drop_count(socket.descriptor) == 0 else {
                shim_batch_destroy(batch)
                throw SystemError("setsockopt SO_RXQ_OVFL")
            }
            _ = shim_set_receive_buffer(socket.descriptor, Int32(receiveBuffer))
        }
    }

    deinit {
        shim_batch_destroy(batch)
    }

    public var socketCount: Int { sockets.count }

    public func kernelDrops(_ index: Int) -> Int { drops[index] }

    /// The receive buffer the kernel gave socket `index`, in bytes.
    public func receiveBufferBytes(_ index: Int) -> Int {
        var size: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(sockets[index].descriptor, SOL_SOCKET, SO_RCVBUF, &size, &length)
        return Int(size)
    }

    public func receive(
        waitingMilliseconds milliseconds: Int,
        _ body: (_ socket: Int, _ bytes: UnsafeRawBufferPointer, _ source: Endpoint, _ arrival: Int64) -> Void
    ) -> Int {
        let count = nfds_t(table.count)
        let ready = table.withUnsafeMutableBufferPointer { poll($0.baseAddress, count, Int32(max(0, milliseconds))) }
        guard ready > 0 else { return 0 }
        var total = 0
        for index in table.indices where table[index].revents & Int16(POLLIN) != 0 {
            // A few batches at most per socket, so one busy socket cannot starve the others.
            for _ in 0..<4 {
                let result = retryingInterrupts { shim_batch_receive(sockets[index].descriptor, batch) }
                guard case .returned(let received) = result, received > 0 else { break }
                for message in 0..<UInt32(received) {
                    let length = shim_batch_length(batch, message)
                    let bytes = UnsafeRawBufferPointer(start: shim_batch_bytes(batch, message), count: length)
                    let stamp = shim_batch_time(batch, message)
                    let source =
                        SocketAddress(storage: shim_batch_source(batch, message).pointee, length: 0).endpoint
                        ?? Endpoint(address: .unspecified(sockets[index].family), port: 0)
                    body(index, bytes, source, stamp.nanoseconds)
                }
                let dropped = shim_batch_drops(batch)
                if dropped >= 0 { drops[index] = dropped }
                total += Int(received)
                if received < Int32(batchCount) { break }
            }
        }
        return total
    }
}
