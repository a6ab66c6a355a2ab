/// An SDP session description, RFC 8866, rendered with its lines in the grammar's order and CRLF endings.
public struct SessionDescription: Sendable, Hashable {
    /// `o=`: who made the session and which version of it this is (RFC 8866 section 5.2).
    public struct Origin: Sendable, Hashable {
        public var username: String
        public var sessionID: UInt64
        public var sessionVersion: UInt64
        public var address: ConnectionAddress

        public init(username: String = "-", sessionID: UInt64, sessionVersion: UInt64, address: ConnectionAddress) {
            self.username = username
            self.sessionID = sessionID
            self.sessionVersion = sessionVersion
            self.address = address
        }
    }

    public var origin: Origin
    /// `s=`: a name; "-" stands for none (RFC 8866 section 5.3).
    public var sessionName: String
    /// `i=`: free text about the session.
    public var information: String?
    /// `c=` at session level.
    public var connection: ConnectionAddress?
    /// `t=` start and stop as NTP seconds; 0 0 is a session without a fixed start and end.
    public var startTime: UInt64 = 0
    public var stopTime: UInt64 = 0
    /// Session-level lines this model does not interpret (`u=`, `e=`, `p=`, `b=`, `r=`, `z=`, `k=` and any other
    /// type), kept in order and rendered where the grammar puts them.
    public var otherLines: [SDPLine] = []
    /// Session-level `a=` lines, in order.
    public var attributes: [Attribute]
    public var media: [MediaDescription]

    public init(
        origin: Origin, sessionName: String, information: String? = nil, connection: ConnectionAddress? = nil,
        attributes: [Attribute] = [], media: [MediaDescription]
    ) {
        self.origin = origin
        self.sessionName = sessionName
        self.information = information
        self.connection = connection
        self.attributes = attributes
        self.media = media
    }

    /// The description as text: v, o, s, i, c, t, a, then each media section, every line ending in CRLF.
    public func rendered() -> String {
        var lines = ["v=0"]
        lines.append(
            "o=\(Self.clean(origin.username)) \(origin.sessionID) \(origin.sessionVersion) \(origin.address.rendered)")
        lines.append("s=\(sessionName.isEmpty ? "-" : Self.clean(sessionName))")
        if let information { lines.append("i=\(Self.clean(information))") }
        lines += SDPLine.rendered(otherLines, types: "uep")
        if let connection { lines.append("c=\(connection.rendered)") }
        lines += SDPLine.rendered(otherLines, types: "b")
        lines.append("t=\(startTime) \(stopTime)")
        lines += SDPLine.rendered(otherLines, types: "rzk")
        lines += SDPLine.rendered(otherLines, except: "uepbrzk")
        lines += attributes.map(\.rendered)
        for section in media {
            lines.append(section.mediaLine)
            if let information = section.information { lines.append("i=\(Self.clean(information))") }
            if let connection = section.connection { lines.append("c=\(connection.rendered)") }
            lines += SDPLine.rendered(section.otherLines, types: "bk")
            lines += SDPLine.rendered(section.otherLines, except: "bk")
            lines += section.attributes.map(\.rendered)
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// Replaces characters that would break a line (CR, LF, NUL and other controls) with spaces.
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}

/// `IN IP4 <address>[/<ttl>][/<count>]` or `IN IP6 <address>[/<count>]` (RFC 8866 section 5.7).
public struct ConnectionAddress: Sendable, Hashable {
    public enum Family: String, Sendable, Hashable {
        case ipv4 = "IP4"
        case ipv6 = "IP6"
    }

    public var family: Family
    public var address: String
    /// The TTL of an IPv4 multicast address.
    public var ttl: Int?
    /// How many consecutive multicast addresses, when more than one.
    public var count: Int?

    public init(family: Family, address: String, ttl: Int? = nil, count: Int? = nil) {
        self.family = family
        self.address = address
        self.ttl = ttl
        self.count = count
    }

    /// The family from the address's spelling: a colon means IPv6.
    public init(address: String) {
        self.init(family: address.contains(":") ? .ipv6 : .ipv4, address: address)
    }

    public var rendered: String {
        "IN \(family.rawValue) \(address)" + (ttl.map { "/\($0)" } ?? "") + (count.map { "/\($0)" } ?? "")
    }
}

/// `a=<name>` or `a=<name>:<value>` (RFC 8866 section 5.13).
public struct Attribute: Sendable, Hashable {
    public var name: String
    public var value: String?

    public init(_ name: String, _ value: String? = nil) {
        self.name = name
        self.value = value
    }

    public var rendered: String {
        guard let value else { return "a=\(name)" }
        return "a=\(name):\(SessionDescription.clean(value))"
    }
}

/// One `m=` section (RFC 8866 section 5.14) with the lines that belong to it.
public struct MediaDescription: Sendable, Hashable {
    public var media: String
    public var port: Int
    /// `m=audio 5004/2 ...`: how many consecutive port pairs, when more than one.
    public var portCount: Int?
    public var transport: String
    public var formats: [String]
    public var information: String?
    public var connection: ConnectionAddress?
    /// Lines this model does not interpret (`b=`, `k=`, any other type), in order.
    public var otherLines: [SDPLine] = []
    public var attributes: [Attribute]

    public init(
        media: String = "audio", port: Int, transport: String = "RTP/AVP", formats: [String],
        information: String? = nil, connection: ConnectionAddress? = nil, attributes: [Attribute] = []
    ) {
        self.media = media
        self.port = port
        self.transport = transport
        self.formats = formats
        self.information = information
        self.connection = connection
        self.attributes = attributes
    }

    var mediaLine: String {
        "m=\(media) \(port)\(portCount.map { "/\($0)" } ?? "") \(transport) \(formats.joined(separator: " "))"
    }

    /// The value of the first attribute called `name`, if any (nil also for a property attribute without a value).
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }

    /// Whether a property attribute (`a=rtcp-mux`, `a=recvonly`) is present.
    public func hasAttribute(_ name: String) -> Bool {
        attributes.contains { $0.name == name }
    }
}

/// A line of a type this model keeps but does not interpret: `b=AS:1536`, `k=clear:...`, `u=...`.
public struct SDPLine: Sendable, Hashable {
    /// The type letter.
    public var type: Character
    public var value: String

    public init(type: Character, value: String) {
        self.type = type
        self.value = value
    }

    public var rendered: String { "\(type)=\(SessionDescription.clean(value))" }

    /// The lines of the given types, in their order.
    static func rendered(_ lines: [SDPLine], types: String) -> [String] {
        lines.filter { types.contains($0.type) }.map(\.rendered)
    }

    /// The lines of any type but the given ones, in their order.
    static func rendered(_ lines: [SDPLine], except types: String) -> [String] {
        lines.filter { !types.contains($0.type) }.map(\.rendered)
    }
}
