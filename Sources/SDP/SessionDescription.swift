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
        if let connection { lines.append("c=\(connection.rendered)") }
        lines.append("t=\(startTime) \(stopTime)")
        lines += attributes.map(\.rendered)
        for section in media {
            lines.append(section.mediaLine)
            if let information = section.information { lines.append("i=\(Self.clean(information))") }
            if let connection = section.connection { lines.append("c=\(connection.rendered)") }
            lines += section.attributes.map(\.rendered)
        }
        return lines.map { $0 + "\r\n" }.joined()
    }

    /// Replaces characters that would break a line (CR, LF, NUL and other controls) with spaces.
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}

/// `IN IP4 <address>` or `IN IP6 <address>` (RFC 8866 section 5.7).
public struct ConnectionAddress: Sendable, Hashable {
    public enum Family: String, Sendable, Hashable {
        case ipv4 = "IP4"
        case ipv6 = "IP6"
    }

    public var family: Family
    public var address: String

    public init(family: Family, address: String) {
        self.family = family
        self.address = address
    }

    /// The family from the address's spelling: a colon means IPv6.
    public init(address: String) {
        self.init(family: address.contains(":") ? .ipv6 : .ipv4, address: address)
    }

    public var rendered: String { "IN \(family.rawValue) \(address)" }
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
    public var transport: String
    public var formats: [String]
    public var information: String?
    public var connection: ConnectionAddress?
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

    var mediaLine: String { "m=\(media) \(port) \(transport) \(formats.joined(separator: " "))" }
}
