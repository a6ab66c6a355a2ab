/// Why text is not an SDP session description (RFC 8866): the one error of the SDP module, naming the line.
public enum SDPError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    /// A line that is not `<letter>=<value>`.
    case notTypeValue(line: Int)
    /// The first line is not `v=0`.
    case badVersion(line: Int)
    /// A line this parser needs to understand, malformed.
    case malformed(line: Int, type: Character)
    /// A session-level line after the first `m=`, or one given twice.
    case outOfPlace(line: Int, type: Character)
    /// A line the description must have (`o=`, `s=`, `t=`) is missing.
    case missing(type: Character)
    case notUTF8(line: Int)
    /// A SAP datagram (RFC 2974) that cannot be used.
    case sap(SAPProblem)

    public var description: String {
        switch self {
        case .empty: "empty session description"
        case .notTypeValue(let line): "line \(line): not a <type>=<value> line"
        case .badVersion(let line): "line \(line): the first line must be v=0"
        case .malformed(let line, let type): "line \(line): malformed \(type)= line"
        case .outOfPlace(let line, let type): "line \(line): \(type)= out of place"
        case .missing(let type): "no \(type)= line"
        case .notUTF8(let line): "line \(line): not UTF-8"
        case .sap(let problem): problem.description
        }
    }
}

/// A parsed description with where each part stood, so that whoever uses it can name the line of a problem.
public struct SDPDocument: Sendable, Hashable {
    public var description: SessionDescription
    /// The line of each `m=`.
    public var mediaLines: [Int]
    /// The line of each media section's attributes, parallel to `description.media[i].attributes`.
    public var mediaAttributeLines: [[Int]]
}

extension SessionDescription {
    /// Parses a description as real senders write it: CRLF or LF line ends, blank lines and a byte-order mark
    /// skipped, attributes in any order and unknown ones kept, lines of types this model does not interpret kept.
    /// Total: any text gives a description or an `SDPError`.
    public init(parsing text: String) throws(SDPError) {
        self = try SDPDocument(parsing: text).description
    }
}

extension SDPDocument {
    /// Parses a description from bytes that must be UTF-8.
    public init(parsing bytes: [UInt8]) throws(SDPError) {
        var line = 1
        for (index, byte) in bytes.enumerated() where byte == 0x0A {
            if String(validating: bytes[..<index], as: UTF8.self) == nil { throw .notUTF8(line: line) }
            line += 1
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8(line: line) }
        try self.init(parsing: text)
    }

    public init(parsing text: String) throws(SDPError) {
        var body = Substring(text)
        if body.hasPrefix("\u{FEFF}") { body = body.dropFirst() }
        var lines: [(number: Int, type: Character, value: String)] = []
        // Split on the scalar, not the Character: "\r\n" is one Character in Swift, and would never equal "\n".
        for (index, scalars) in body.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated()
        {
            var line = Substring(scalars)
            if line.unicodeScalars.last == "\r" { line = Substring(line.unicodeScalars.dropLast()) }
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            guard line.count >= 2, let type = line.first, type.isASCII, type.isLetter, type.isLowercase,
                line.dropFirst().first == "="
            else { throw .notTypeValue(line: index + 1) }
            lines.append((index + 1, type, String(line.dropFirst(2))))
        }
        guard let first = lines.first else { throw .empty }
        guard first.type == "v", first.value == "0" else { throw .badVersion(line: first.number) }

        var origin: SessionDescription.Origin?
        var name: String?
        var information: String?
        var connection: ConnectionAddress?
        var timing: (start: UInt64, stop: UInt64)?
        var others: [SDPLine] = []
        var attributes: [Attribute] = []
        var media: [MediaDescription] = []
        var mediaLines: [Int] = []
        var attributeLines: [[Int]] = []

        for (number, type, value) in lines.dropFirst() {
            if !media.isEmpty {
                // Inside a media section: m, i, c, b, k, a and anything unknown belong to it.
                let index = media.count - 1
                switch type {
                case "m":
                    media.append(try Self.media(value, line: number))
                    mediaLines.append(number)
                    attributeLines.append([])
                case "i":
                    guard media[index].information == nil else { throw .outOfPlace(line: number, type: type) }
                    media[index].information = value
                case "c":
                    guard media[index].connection == nil else { throw .outOfPlace(line: number, type: type) }
                    media[index].connection = try Self.connection(value, line: number)
                case "a":
                    media[index].attributes.append(Self.attribute(value))
                    attributeLines[index].append(number)
                case "v", "o", "s", "t", "r", "z", "u", "e", "p":
                    throw .outOfPlace(line: number, type: type)
                default:
                    media[index].otherLines.append(SDPLine(type: type, value: value))
                }
                continue
            }
            switch type {
            case "v": throw .outOfPlace(line: number, type: type)
            case "o":
                guard origin == nil else { throw .outOfPlace(line: number, type: type) }
                origin = try Self.origin(value, line: number)
            case "s":
                guard name == nil else { throw .outOfPlace(line: number, type: type) }
                name = value
            case "i":
                guard information == nil else { throw .outOfPlace(line: number, type: type) }
                information = value
            case "c":
                guard connection == nil else { throw .outOfPlace(line: number, type: type) }
                connection = try Self.connection(value, line: number)
            case "t":
                // Several t= lines are allowed; the first one is kept, the others as they are.
                if timing != nil {
                    others.append(SDPLine(type: type, value: value))
                    continue
                }
                let fields = value.split(separator: " ")
                guard fields.count == 2, let start = UInt64(fields[0]), let stop = UInt64(fields[1]) else {
                    throw .malformed(line: number, type: type)
                }
                timing = (start, stop)
            case "a": attributes.append(Self.attribute(value))
            case "m":
                media.append(try Self.media(value, line: number))
                mediaLines.append(number)
                attributeLines.append([])
            default: others.append(SDPLine(type: type, value: value))
            }
        }
        guard let origin else { throw .missing(type: "o") }
        guard let name else { throw .missing(type: "s") }
        guard let timing else { throw .missing(type: "t") }
        var description = SessionDescription(
            origin: origin, sessionName: name, information: information, connection: connection,
            attributes: attributes, media: media)
        description.startTime = timing.start
        description.stopTime = timing.stop
        description.otherLines = others
        self.init(description: description, mediaLines: mediaLines, mediaAttributeLines: attributeLines)
    }

    /// `o=<username> <sess-id> <sess-version> IN <IP4|IP6> <address>`.
    /// The username is visible characters (RFC 8866's non-ws-string); a tab or another control character in it is
    /// refused, since nothing could write it back as the same field.
    static func origin(_ value: String, line: Int) throws(SDPError) -> SessionDescription.Origin {
        let fields = value.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 6,
            !fields[0].unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
            let id = UInt64(fields[1]), let version = UInt64(fields[2]), fields[3] == "IN",
            let family = ConnectionAddress.Family(rawValue: String(fields[4]))
        else { throw .malformed(line: line, type: "o") }
        return SessionDescription.Origin(
            username: String(fields[0]), sessionID: id, sessionVersion: version,
            address: ConnectionAddress(family: family, address: String(fields[5])))
    }

    /// `c=IN <IP4|IP6> <address>[/<ttl>][/<count>]`: IPv4 multicast carries a TTL before the count, IPv6 only a
    /// count (RFC 8866 section 5.7).
    static func connection(_ value: String, line: Int) throws(SDPError) -> ConnectionAddress {
        let fields = value.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3, fields[0] == "IN", let family = ConnectionAddress.Family(rawValue: String(fields[1]))
        else { throw .malformed(line: line, type: "c") }
        let parts = fields[2].split(separator: "/", omittingEmptySubsequences: false)
        guard let address = parts.first, !address.isEmpty, parts.count <= 3 else {
            throw .malformed(line: line, type: "c")
        }
        var numbers: [Int] = []
        for part in parts.dropFirst() {
            guard let number = Int(part), number >= 0, number <= 65_535 else { throw .malformed(line: line, type: "c") }
            numbers.append(number)
        }
        switch (family, numbers.count) {
        case (_, 0): return ConnectionAddress(family: family, address: String(address))
        case (.ipv4, 1): return ConnectionAddress(family: family, address: String(address), ttl: numbers[0])
        case (.ipv4, 2):
            return ConnectionAddress(family: family, address: String(address), ttl: numbers[0], count: numbers[1])
        case (.ipv6, 1): return ConnectionAddress(family: family, address: String(address), count: numbers[0])
        default: throw .malformed(line: line, type: "c")
        }
    }

    /// `m=<media> <port>[/<count>] <proto> <fmt> ...`.
    static func media(_ value: String, line: Int) throws(SDPError) -> MediaDescription {
        let fields = value.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 4 else { throw .malformed(line: line, type: "m") }
        let ports = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard ports.count <= 2, let port = Int(ports[0]), (0...65_535).contains(port) else {
            throw .malformed(line: line, type: "m")
        }
        var count: Int?
        if ports.count == 2 {
            guard let value = Int(ports[1]), value >= 1 else { throw .malformed(line: line, type: "m") }
            count = value
        }
        var media = MediaDescription(
            media: String(fields[0]), port: port, transport: String(fields[2]), formats: fields[3...].map(String.init))
        media.portCount = count
        return media
    }

    /// `a=<name>` or `a=<name>:<value>`.
    static func attribute(_ value: String) -> Attribute {
        guard let colon = value.firstIndex(of: ":") else { return Attribute(value) }
        return Attribute(String(value[..<colon]), String(value[value.index(after: colon)...]))
    }
}
