import CPlatformShims
import Glibc
import Interfaces

/// An `Endpoint` as the socket calls take it: a `sockaddr_in` or `sockaddr_in6` in a `sockaddr_storage`.
struct SocketAddress {
    var storage = sockaddr_storage()
    var length: socklen_t

    init(_ endpoint: Endpoint) {
        let port = UInt16(truncatingIfNeeded: endpoint.port).bigEndian
        switch endpoint.family {
        case .ipv4:
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port
            address.sin_addr.s_addr = endpoint.address.ipv4Bits.bigEndian
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &storage) { target in
                withUnsafeBytes(of: address) { target.copyMemory(from: $0) }
            }
        case .ipv6:
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port
            address.sin6_scope_id = endpoint.address.scopeID
            withUnsafeMutableBytes(of: &address.sin6_addr) { bytes in
                for (index, byte) in endpoint.address.bytes.enumerated() { bytes[index] = byte }
            }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &storage) { target in
                withUnsafeBytes(of: address) { target.copyMemory(from: $0) }
            }
        }
    }

    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    /// The endpoint it holds; nil for a family other than IPv4 and IPv6.
    var endpoint: Endpoint? {
        withUnsafeBytes(of: storage) { raw in
            switch Int32(storage.ss_family) {
            case AF_INET:
                let address = raw.loadUnaligned(as: sockaddr_in.self)
                return Endpoint(
                    address: IPAddress(ipv4: UInt32(bigEndian: address.sin_addr.s_addr)),
                    port: Int(UInt16(bigEndian: address.sin_port)))
            case AF_INET6:
                let address = raw.loadUnaligned(as: sockaddr_in6.self)
                let bytes = withUnsafeBytes(of: address.sin6_addr) { Array($0) }
                let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                return Endpoint(
                    address: IPAddress(ipv6: high, low, scopeID: address.sin6_scope_id),
                    port: Int(UInt16(bigEndian: address.sin6_port)))
            default:
                return nil
            }
        }
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    func withSocketAddress<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> T) rethrows -> T {
        try withUnsafePointer(to: storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, length) }
        }
    }
}

/// Name resolution with getaddrinfo(3).
public enum Resolver {
    /// The first address `host` (a name or a numeric address) resolves to for UDP.
    public static func resolve(_ host: String) throws -> IPAddress {
        if let numeric = IPAddress(host) { return numeric }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        var result = getaddrinfo(host, nil, &hints, &list)
        if result != 0 {
            // AI_ADDRCONFIG hides loopback-only families on hosts without other addresses: ask again without it.
            hints.ai_flags = 0
            result = getaddrinfo(host, nil, &hints, &list)
        }
        guard result == 0, let first = list else {
            throw ResolutionError(host: host, reason: String(cString: gai_strerror(result)))
        }
        defer { freeaddrinfo(list) }
        var storage = sockaddr_storage()
        let length = first.pointee.ai_addrlen
        withUnsafeMutableBytes(of: &storage) { target in
            target.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(length)))
        }
        guard let endpoint = SocketAddress(storage: storage, length: length).endpoint else {
            throw ResolutionError(host: host, reason: "no IPv4 or IPv6 address")
        }
        return endpoint.address
    }

    /// This host's own address on the way to `destination`: what a UDP socket connected there is bound to
    /// (connect(2) and getsockname(2) on a socket that sends nothing).
    public static func localAddress(towards destination: IPAddress) throws -> IPAddress {
        try route(towards: destination).localAddress
    }

    /// The way to `destination` as the kernel routes it: this host's address on it and the route's MTU (IP_MTU on a
    /// UDP socket connected there, which sends nothing). A multicast destination leaves by `interface` (an index,
    /// 0 for the routing table's).
    public static func route(towards destination: IPAddress, interface: UInt32 = 0) throws -> (
        localAddress: IPAddress, mtu: Int?
    ) {
        let socket = try UDPSocket(family: destination.family)
        if destination.isMulticast && interface != 0 {
            try socket.setMulticast(hops: 1, interface: interface, loop: false)
        }
        try socket.connect(to: Endpoint(address: destination, port: 9))
        return (try socket.localEndpoint().address, socket.pathMTU)
    }
}

/// A host name that getaddrinfo(3) could not resolve.
public struct ResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var reason: String

    public init(host: String, reason: String) {
        self.host = host
        self.reason = reason
    }

    public var description: String { "cannot resolve '\(host)': \(reason)" }
}
