/// A numeric IPv4 or IPv6 address as a value: parsed and printed here, without the C library, so the wire formats,
/// the planner and the recorder can name addresses and compare them without sockets (and without allocating).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable {
        case ipv4, ipv6

        /// Bytes of IP and UDP headers in front of every datagram's payload: 20 + 8 for IPv4, 40 + 8 for IPv6.
        public var headerBytes: Int { self == .ipv6 ? 48 : 28 }
    }

    public let family: Family
    /// The address in network order: bytes 0-7 in `high`, 8-15 in `low`, most significant first; an IPv4 address
    /// is the low 32 bits of `low`.
    public let high: UInt64
    public let low: UInt64
    /// The IPv6 zone (interface index) of a link-local address; 0 for none.
    public let scopeID: UInt32

    /// An IPv4 address from its 32 bits, most significant octet first.
    public init(ipv4 bits: UInt32) {
        family = .ipv4
        high = 0
        low = UInt64(bits)
        scopeID = 0
    }

    /// An IPv6 address from its 128 bits, most significant first.
    public init(ipv6 high: UInt64, _ low: UInt64, scopeID: UInt32 = 0) {
        family = .ipv6
        self.high = high
        self.low = low
        self.scopeID = scopeID
    }

    /// The 32 bits of an IPv4 address (0 for IPv6).
    public var ipv4Bits: UInt32 { family == .ipv4 ? UInt32(truncatingIfNeeded: low) : 0 }

    /// The 16 bytes of an IPv6 address, or the 4 of an IPv4 one, in network order.
    public var bytes: [UInt8] {
        switch family {
        case .ipv4: return (0..<4).map { UInt8(truncatingIfNeeded: low >> (24 - 8 * UInt64($0))) }
        case .ipv6:
            return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
        }
    }

    /// 0.0.0.0 or ::, the address a socket binds to for every interface.
    public static func unspecified(_ family: Family) -> IPAddress {
        family == .ipv4 ? IPAddress(ipv4: 0) : IPAddress(ipv6: 0, 0)
    }

    /// 127.0.0.1 or ::1.
    public static func loopback(_ family: Family) -> IPAddress {
        family == .ipv4 ? IPAddress(ipv4: 0x7F00_0001) : IPAddress(ipv6: 0, 1)
    }

    /// 224.0.0.0/4 or ff00::/8 (RFC 5771, RFC 4291 section 2.7).
    public var isMulticast: Bool {
        switch family {
        case .ipv4: ipv4Bits >> 28 == 0xE
        case .ipv6: high >> 56 == 0xFF
        }
    }

    /// 127.0.0.0/8 or ::1.
    public var isLoopback: Bool {
        switch family {
        case .ipv4: ipv4Bits >> 24 == 127
        case .ipv6: high == 0 && low == 1
        }
    }

    /// 0.0.0.0 or ::.
    public var isUnspecified: Bool { high == 0 && low == 0 }

    // MARK: Text

    /// Parses a numeric address: dotted-quad IPv4 (`192.168.0.10`) or IPv6 in any RFC 4291 section 2.2 form
    /// (`::1`, `fe80::1%3`, `::ffff:10.0.0.1`), optionally in brackets. Nil for anything else, names included.
    public init?(_ text: String) {
        var body = Substring(text)
        if body.hasPrefix("[") && body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        if let bits = Self.parseIPv4(body) {
            self.init(ipv4: bits)
            return
        }
        var scope: UInt32 = 0
        if let percent = body.firstIndex(of: "%") {
            guard let value = UInt32(body[body.index(after: percent)...]) else { return nil }
            scope = value
            body = body[..<percent]
        }
        guard let (high, low) = Self.parseIPv6(body) else { return nil }
        self.init(ipv6: high, low, scopeID: scope)
    }

    static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bits: UInt32 = 0
        for part in parts {
            // Decimal octets only: no leading zeros (they read as octal in some parsers), 1 to 3 digits.
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0", let octet = UInt32(part), octet <= 255
            else { return nil }
            bits = bits << 8 | octet
        }
        return bits
    }

    static func parseIPv6(_ text: Substring) -> (UInt64, UInt64)? {
        guard text.count >= 2, text.count <= 45 else { return nil }
        var groups: [UInt16] = []
        var gap: Int?
        var rest = text
        if rest.hasPrefix("::") {
            gap = 0
            rest = rest.dropFirst(2)
        }
        while !rest.isEmpty {
            let end = rest.firstIndex(of: ":") ?? rest.endIndex
            let piece = rest[..<end]
            if piece.contains(".") {
                // An embedded IPv4 address ends the text (RFC 4291 section 2.2, form 3).
                guard end == rest.endIndex, let bits = parseIPv4(piece) else { return nil }
                groups.append(UInt16(bits >> 16))
                groups.append(UInt16(bits & 0xFFFF))
                rest = rest[end...]
                break
            }
            guard (1...4).contains(piece.count), let group = UInt16(piece, radix: 16), piece.first != "+" else {
                return nil
            }
            groups.append(group)
            rest = rest[end...]
            if rest.hasPrefix("::") {
                guard gap == nil else { return nil }
                gap = groups.count
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix(":") {
                rest = rest.dropFirst()
                guard !rest.isEmpty else { return nil }
            }
        }
        if let gap {
            guard groups.count <= 7 else { return nil }
            groups.insert(contentsOf: [UInt16](repeating: 0, count: 8 - groups.count), at: gap)
        }
        guard groups.count == 8 else { return nil }
        let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }

    /// Dotted quad, or IPv6 in RFC 5952's canonical form (lower case, the longest run of two or more zero groups
    /// as `::`, the first of equal runs), with `%zone` when it has one.
    public var description: String {
        switch family {
        case .ipv4:
            let bits = ipv4Bits
            return "\(bits >> 24).\(bits >> 16 & 0xFF).\(bits >> 8 & 0xFF).\(bits & 0xFF)"
        case .ipv6:
            let groups =
                (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * UInt64($0))) }
                + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * UInt64($0))) }
            var best: (start: Int, length: Int) = (0, 0)
            var index = 0
            while index < 8 {
                guard groups[index] == 0 else {
                    index += 1
                    continue
                }
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > best.length { best = (index, end - index) }
                index = end
            }
            let hex = groups.map { String($0, radix: 16) }
            var text: String
            if best.length >= 2 {
                text =
                    hex[..<best.start].joined(separator: ":") + "::"
                    + hex[(best.start + best.length)...].joined(separator: ":")
            } else {
                text = hex.joined(separator: ":")
            }
            if scopeID != 0 { text += "%\(scopeID)" }
            return text
        }
    }
}

/// An address and a UDP port.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var port: Int

    public init(address: IPAddress, port: Int) {
        self.address = address
        self.port = port
    }

    public var family: IPAddress.Family { address.family }

    /// 127.0.0.1 or ::1 with a port.
    public static func loopback(_ family: IPAddress.Family, port: Int) -> Endpoint {
        Endpoint(address: .loopback(family), port: port)
    }

    /// 0.0.0.0 or :: with a port: every interface.
    public static func wildcard(_ family: IPAddress.Family, port: Int) -> Endpoint {
        Endpoint(address: .unspecified(family), port: port)
    }

    /// The same address with another port.
    public func withPort(_ port: Int) -> Endpoint { Endpoint(address: address, port: port) }

    /// `192.168.0.10:5004` or `[::1]:5004`.
    public var description: String { family == .ipv6 ? "[\(address)]:\(port)" : "\(address):\(port)" }
}
