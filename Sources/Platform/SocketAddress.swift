import Glibc

/// An IPv4 or IPv6 address and port, as a `sockaddr_storage`.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable {
        case ipv4, ipv6
    }

    var storage: sockaddr_storage
    var length: socklen_t

    init(storage: sockaddr_storage, length: socklen_t) {
        self.storage = storage
        self.length = length
    }

    public var family: Family { Int32(storage.ss_family) == AF_INET6 ? .ipv6 : .ipv4 }

    /// The numeric host (getnameinfo(3) NI_NUMERICHOST), without brackets.
    public var host: String {
        var name = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var copy = storage
        let result = withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &name, socklen_t(name.count), nil, 0, NI_NUMERICHOST)
            }
        }
        guard result == 0 else { return "?" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var port: Int {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer in
            switch family {
            case .ipv4:
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin_port))
                }
            case .ipv6:
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    Int(UInt16(bigEndian: $0.pointee.sin6_port))
                }
            }
        }
    }

    public var description: String { family == .ipv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Resolves `host` (a name or a numeric address) for UDP with getaddrinfo(3); the first answer wins.
    public static func resolve(host: String, port: Int) throws -> SocketAddress {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        var result = getaddrinfo(host, String(port), &hints, &list)
        if result != 0 {
            // AI_ADDRCONFIG hides loopback-only families on hosts without other addresses: ask again without it.
            hints.ai_flags = AI_NUMERICSERV
            result = getaddrinfo(host, String(port), &hints, &list)
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
        return SocketAddress(storage: storage, length: length)
    }

    /// The same host with another port.
    public func withPort(_ port: Int) -> SocketAddress {
        var copy = self
        withUnsafeMutablePointer(to: &copy.storage) { pointer in
            switch family {
            case .ipv4:
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    $0.pointee.sin_port = UInt16(port).bigEndian
                }
            case .ipv6:
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    $0.pointee.sin6_port = UInt16(port).bigEndian
                }
            }
        }
        return copy
    }

    /// The wildcard address of a family (0.0.0.0 or ::) with a port, for sockets that receive from anyone.
    public static func wildcard(_ family: Family, port: Int) -> SocketAddress {
        (try? resolve(host: family == .ipv6 ? "::" : "0.0.0.0", port: port))
            ?? SocketAddress(storage: sockaddr_storage(), length: 0)
    }

    /// The wildcard or loopback address of a family with a port, for binding receivers.
    public static func loopback(_ family: Family, port: Int) -> SocketAddress {
        // Numeric addresses always resolve.
        (try? resolve(host: family == .ipv6 ? "::1" : "127.0.0.1", port: port))
            ?? SocketAddress(storage: sockaddr_storage(), length: 0)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.length == rhs.length && lhs.host == rhs.host && lhs.port == rhs.port
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
    }
}

/// A host name that getaddrinfo(3) could not resolve.
public struct ResolutionError: Error, Sendable, CustomStringConvertible {
    public var host: String
    public var reason: String

    public init(host: String, reason: String) {
        self.host = host
        self.reason = reason
    }

    public var description: String { "cannot resolve '\(host)': \(reason)" }
}
