import CPlatformShims
import Glibc
import Interfaces

/// A UDP socket (socket(2) SOCK_DGRAM), closed when released.
public final class UDPSocket: DatagramSink, DatagramSocket, @unchecked Sendable {
    // @unchecked: the descriptor never changes; the kernel serialises calls on it.
    public let descriptor: Int32
    public let family: IPAddress.Family

    /// Opens a socket of `family` with socket(2).
    public init(family: IPAddress.Family) throws {
        self.family = family
        descriptor = try retryingInterrupts("socket") {
            socket(family == .ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Fixes the peer with connect(2): `send` then needs no address, and ICMP errors come back as errno.
    public func connect(to endpoint: Endpoint) throws {
        let address = SocketAddress(endpoint)
        _ = try address.withSocketAddress { raw, length in
            try retryingInterrupts("connect") { Glibc.connect(descriptor, raw, length) }
        }
    }

    /// Binds the socket with bind(2), after setting SO_REUSEADDR when `reusingAddress` (which for UDP lets other
    /// sockets bind the same port too: a receiver that must own its port passes false, and a port in use fails).
    public func bind(to endpoint: Endpoint, reusingAddress: Bool = true) throws {
        if reusingAddress {
            var on: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        let address = SocketAddress(endpoint)
        _ = try address.withSocketAddress { raw, length in
            try retryingInterrupts("bind \(endpoint)") { Glibc.bind(descriptor, raw, length) }
        }
    }

    /// The local address and port, from getsockname(2).
    public func localEndpoint() throws -> Endpoint {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                try retryingInterrupts("getsockname") { getsockname(descriptor, raw, &length) }
            }
        }
        guard let endpoint = SocketAddress(storage: storage, length: length).endpoint else {
            throw SystemError("getsockname", errno: EAFNOSUPPORT)
        }
        return endpoint
    }

    /// Sends one datagram on a connected socket with send(2), without blocking.
    ///
    /// Allocates nothing and throws nothing: the pacing loop counts failures and goes on.
    @inline(__always)
    public func send(_ bytes: UnsafeRawBufferPointer) -> SendResult {
        var refused = false
        while true {
            switch retryingInterrupts({ Glibc.send(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT)) }) {
            case .returned: return refused ? .sentAfterRefusal : .sent
            // The ICMP port unreachable of an earlier datagram, reported by this send, which therefore sent nothing:
            // the error is cleared, so sending again puts this one on the wire.
            case .failed(let errno) where errno == ECONNREFUSED && !refused: refused = true
            case .failed(let errno): return .failed(errno: errno)
            }
        }
    }

    /// Sends one datagram to `destination` with sendto(2), without blocking.
    public func send(_ bytes: UnsafeRawBufferPointer, to destination: Endpoint) -> SendResult {
        let address = SocketAddress(destination)
        return address.withSocketAddress { raw, length in
            let result = retryingInterrupts {
                sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT), raw, length)
            }
            return switch result {
            case .returned: .sent
            case .failed(let errno): .failed(errno: errno)
            }
        }
    }

    /// Receives one datagram without waiting (recvfrom(2), MSG_DONTWAIT): its length and sender, or nil when
    /// none is queued.
    public func receiveNow(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, source: Endpoint)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let count = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                recvfrom(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT), raw, &length)
            }
        }
        guard count >= 0 else { return nil }
        let source =
            SocketAddress(storage: storage, length: length).endpoint
            ?? Endpoint(address: .unspecified(family), port: 0)
        return (count, source)
    }

    /// Marks outgoing datagrams with `dscp` (IP_TOS or IPV6_TCLASS): 34 (AF41) is what AES67 asks for media.
    public func setDSCP(_ dscp: Int) throws {
        guard shim_set_dscp(descriptor, family == .ipv6 ? 1 : 0, Int32(dscp)) == 0 else {
            throw SystemError(family == .ipv6 ? "setsockopt IPV6_TCLASS" : "setsockopt IP_TOS")
        }
    }

    /// Sets Don't Fragment (IP_MTU_DISCOVER IP_PMTUDISC_DO, IPV6_DONTFRAG): a datagram larger than the path MTU
    /// fails with EMSGSIZE instead of leaving in fragments. Off, the kernel fragments it.
    public func setDontFragment(_ on: Bool) throws {
        guard shim_set_dont_fragment(descriptor, family == .ipv6 ? 1 : 0, on ? 1 : 0) == 0 else {
            throw SystemError(family == .ipv6 ? "setsockopt IPV6_DONTFRAG" : "setsockopt IP_MTU_DISCOVER")
        }
    }

    /// The path MTU the kernel knows for this connected socket (IP_MTU, IPV6_MTU), or nil.
    public var pathMTU: Int? {
        let mtu = shim_path_mtu(descriptor, family == .ipv6 ? 1 : 0)
        return mtu > 0 ? Int(mtu) : nil
    }

    /// Multicast sending: the hop limit (IP_MULTICAST_TTL, IPV6_MULTICAST_HOPS), the outgoing interface by index
    /// (IP_MULTICAST_IF, IPV6_MULTICAST_IF; 0 leaves the routing table's), and whether this host's own sockets hear
    /// the datagrams (IP_MULTICAST_LOOP, IPV6_MULTICAST_LOOP).
    public func setMulticast(hops: Int, interface: UInt32, loop: Bool) throws {
        let ipv6: Int32 = family == .ipv6 ? 1 : 0
        guard shim_set_multicast_hops(descriptor, ipv6, Int32(hops)) == 0 else {
            throw SystemError("setsockopt multicast hops")
        }
        if interface != 0, shim_set_multicast_interface(descriptor, ipv6, interface) != 0 {
            throw SystemError("setsockopt multicast interface")
        }
        guard shim_set_multicast_loop(descriptor, ipv6, loop ? 1 : 0) == 0 else {
            throw SystemError("setsockopt multicast loop")
        }
    }

    /// Joins `group` on the interface of index `interface` (0: the routing table's), from any source
    /// (MCAST_JOIN_GROUP) or only from `source` (MCAST_JOIN_SOURCE_GROUP, source-specific multicast).
    public func join(group: IPAddress, source: IPAddress?, interface: UInt32) throws {
        let groupAddress = SocketAddress(Endpoint(address: group, port: 0))
        let ipv6: Int32 = family == .ipv6 ? 1 : 0
        let result: Int32
        if let source {
            let sourceAddress = SocketAddress(Endpoint(address: source, port: 0))
            result = withUnsafePointer(to: groupAddress.storage) { groupPointer in
                withUnsafePointer(to: sourceAddress.storage) { sourcePointer in
                    shim_join_group(descriptor, ipv6, interface, groupPointer, sourcePointer)
                }
            }
        } else {
            result = withUnsafePointer(to: groupAddress.storage) {
                shim_join_group(descriptor, ipv6, interface, $0, nil)
            }
        }
        guard result == 0 else {
            throw SystemError(source.map { "join \(group) from \($0)" } ?? "join \(group)")
        }
    }

    /// Sets SO_SNDBUF or SO_RCVBUF; the kernel may round or cap it.
    public func setBufferSize(send: Int? = nil, receive: Int? = nil) {
        if var size = send.map(Int32.init) {
            setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        if var size = receive.map(Int32.init) {
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Sets SO_RCVTIMEO so `receive` gives up after `milliseconds`.
    public func setReceiveTimeout(milliseconds: Int) {
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Turns on kernel receive timestamps (SO_TIMESTAMPNS).
    public func enableReceiveTimestamps() throws {
        guard shim_enable_receive_timestamps(descriptor) == 0 else { throw SystemError("setsockopt SO_TIMESTAMPNS") }
    }

    /// Receives one datagram with its kernel receive time in CLOCK_REALTIME nanoseconds (0 when none).
    /// Returns nil when the receive timeout expired.
    public func receive(into buffer: UnsafeMutableRawBufferPointer) throws -> (count: Int, realtimeNanoseconds: Int64)?
    {
        var stamp = timespec()
        switch retryingInterrupts({ shim_receive_timestamped(descriptor, buffer.baseAddress, buffer.count, &stamp) }) {
        case .returned(let count): return (Int(count), stamp.nanoseconds)
        case .failed(let errno) where errno == EAGAIN || errno == EWOULDBLOCK: return nil
        case .failed(let errno): throw SystemError("recvmsg", errno: errno)
        }
    }
}

/// A readable text for an errno value (strerror(3)).
public func errorText(_ errno: Int32) -> String {
    String(cString: strerror(errno))
}

/// Waits for datagrams on several sockets with poll(2), reusing one descriptor table (no allocation per wait).
public final class SocketPoller: DatagramWaiting {
    public let udpSockets: [UDPSocket]
    private var table: [pollfd]

    public init(_ sockets: [UDPSocket]) {
        udpSockets = sockets
        table = sockets.map { pollfd(fd: $0.descriptor, events: Int16(POLLIN), revents: 0) }
    }

    /// The same sockets, as `DatagramWaiting` names them.
    public var sockets: [any DatagramSocket] { udpSockets }

    /// Waits until a socket is readable or `milliseconds` pass; returns whether any is.
    public func wait(milliseconds: Int) -> Bool {
        let count = nfds_t(table.count)
        return table.withUnsafeMutableBufferPointer { poll($0.baseAddress, count, Int32(max(0, milliseconds))) } > 0
    }

    /// Whether socket `index` was readable at the last `wait`.
    public func isReadable(_ index: Int) -> Bool {
        table[index].revents & Int16(POLLIN) != 0
    }
}

/// Datagrams of one size to several destinations, sent by one sendmmsg(2) call on an unconnected socket.
///
/// The message table is built once, so a send allocates nothing. audiostreamer sends on connected sockets, one
/// send(2) per packet; this is for measuring what batching would save (the benchmark's send-cost comparison).
public final class DatagramBatch {
    /// The datagrams' bytes, `datagramSize` each, in the order of the destinations.
    public let bytes: UnsafeMutableRawBufferPointer
    private let addresses: UnsafeMutablePointer<sockaddr_storage>
    private let vectors: UnsafeMutablePointer<iovec>
    private let messages: UnsafeMutablePointer<shim_message>
    private let count: Int

    public init(destinations: [Endpoint], datagramSize: Int) {
        count = destinations.count
        bytes = .allocate(byteCount: max(1, count * datagramSize), alignment: 16)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
        addresses = .allocate(capacity: max(1, count))
        vectors = .allocate(capacity: max(1, count))
        messages = .allocate(capacity: max(1, count))
        for (index, destination) in destinations.enumerated() {
            let address = SocketAddress(destination)
            (addresses + index).initialize(to: address.storage)
            let datagram = UnsafeMutableRawBufferPointer(
                rebasing: bytes[index * datagramSize..<(index + 1) * datagramSize])
            (vectors + index).initialize(to: iovec(iov_base: datagram.baseAddress, iov_len: datagramSize))
            var header = msghdr()
            header.msg_name = UnsafeMutableRawPointer(addresses + index)
            header.msg_namelen = address.length
            header.msg_iov = vectors + index
            header.msg_iovlen = 1
            (messages + index).initialize(to: shim_message(header: header, length: 0))
        }
    }

    deinit {
        bytes.deallocate()
        addresses.deallocate()
        vectors.deallocate()
        messages.deallocate()
    }

    /// Sends every datagram with as few sendmmsg(2) calls as the kernel allows; returns how many were sent.
    public func send(on socket: UDPSocket) -> Int {
        var sent = 0
        while sent < count {
            let result = retryingInterrupts { shim_send_many(socket.descriptor, messages + sent, UInt32(count - sent)) }
            guard case .returned(let batch) = result else { break }
            sent += Int(batch)
        }
        return sent
    }
}

/// Network interfaces by name or address.
public enum NetworkInterface {
    /// The index of the interface called `name` (if_nametoindex(3)), or of the one holding the address `name`
    /// (getifaddrs(3)); nil when there is none.
    public static func index(_ name: String) -> UInt32? {
        if let address = IPAddress(name) {
            let storage = SocketAddress(Endpoint(address: address, port: 0)).storage
            let index = withUnsafePointer(to: storage) { shim_interface_with_address($0) }
            return index == 0 ? nil : index
        }
        let index = shim_interface_index(name)
        return index == 0 ? nil : index
    }
}
