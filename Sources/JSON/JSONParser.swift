/// Why bytes are not JSON: the one error of the JSON module, with the line and column where it went wrong.
public enum JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    case unexpectedEnd
    case unexpected(character: UInt8, line: Int, column: Int)
    case badNumber(line: Int, column: Int)
    case badEscape(line: Int, column: Int)
    case controlCharacterInString(line: Int, column: Int)
    case notUTF8(line: Int, column: Int)
    case tooDeep(limit: Int)
    case trailingText(line: Int, column: Int)

    public var description: String {
        switch self {
        case .unexpectedEnd: "the text ends inside a value"
        case .unexpected(let character, let line, let column):
            "line \(line), column \(column): unexpected \(Self.show(character))"
        case .badNumber(let line, let column): "line \(line), column \(column): malformed number"
        case .badEscape(let line, let column): "line \(line), column \(column): malformed escape in a string"
        case .controlCharacterInString(let line, let column):
            "line \(line), column \(column): control character in a string"
        case .notUTF8(let line, let column): "line \(line), column \(column): not UTF-8"
        case .tooDeep(let limit): "nested deeper than \(limit) levels"
        case .trailingText(let line, let column): "line \(line), column \(column): text after the value"
        }
    }

    /// A byte as a message may show it: printable ASCII quoted, anything else in hex.
    static func show(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }
}

extension JSONValue {
    /// The deepest nesting of arrays and objects a document may have: hostile input cannot exhaust the stack.
    public static let maximumDepth = 64

    /// Parses one JSON document (RFC 8259). Total: any bytes give a value or a `JSONError`.
    public init(parsing bytes: [UInt8]) throws(JSONError) {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.atEnd else { throw .trailingText(line: parser.line, column: parser.column) }
        self = value
    }

    /// Parses a JSON document held in a string.
    public init(parsing text: String) throws(JSONError) {
        try self.init(parsing: Array(text.utf8))
    }
}

/// A cursor over the bytes of a document.
struct JSONParser {
    let bytes: [UInt8]
    var offset = 0
    var line = 1
    var lineStart = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { offset >= bytes.count }
    var column: Int { offset - lineStart + 1 }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09, 0x0D: offset += 1
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
            default: return
            }
        }
    }

    func peek() throws(JSONError) -> UInt8 {
        guard offset < bytes.count else { throw .unexpectedEnd }
        return bytes[offset]
    }

    mutating func expect(_ literal: String, _ value: JSONValue) throws(JSONError) -> JSONValue {
        for byte in literal.utf8 {
            guard offset < bytes.count else { throw .unexpectedEnd }
            guard bytes[offset] == byte else { throw unexpected() }
            offset += 1
        }
        return value
    }

    func unexpected() -> JSONError {
        .unexpected(character: bytes[offset], line: line, column: column)
    }

    mutating func value(depth: Int) throws(JSONError) -> JSONValue {
        switch try peek() {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw unexpected()
        }
    }

    mutating func object(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw .tooDeep(limit: JSONValue.maximumDepth) }
        offset += 1
        var members: [(key: String, value: JSONValue)] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            offset += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw unexpected() }
            let key = try string()
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected() }
            offset += 1
            skipWhitespace()
            members.append((key, try value(depth: depth)))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                return .object(members)
            default: throw unexpected()
            }
        }
    }

    mutating func array(depth: Int) throws(JSONError) -> JSONValue {
        guard depth <= JSONValue.maximumDepth else { throw .tooDeep(limit: JSONValue.maximumDepth) }
        offset += 1
        var values: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            offset += 1
            return .array(values)
        }
        while true {
            skipWhitespace()
            values.append(try value(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                return .array(values)
            default: throw unexpected()
            }
        }
    }

    /// A number by RFC 8259's grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
    mutating func number() throws(JSONError) -> JSONValue {
        let start = offset
        let startColumn = column
        func digits(_ parser: inout JSONParser) -> Int {
            var count = 0
            while parser.offset < parser.bytes.count, (0x30...0x39).contains(parser.bytes[parser.offset]) {
                parser.offset += 1
                count += 1
            }
            return count
        }
        if bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let leadingZero = offset < bytes.count && bytes[offset] == UInt8(ascii: "0")
        let whole = digits(&self)
        guard whole > 0, !(leadingZero && whole > 1) else { throw .badNumber(line: line, column: startColumn) }
        if offset < bytes.count && bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits(&self) > 0 else { throw .badNumber(line: line, column: startColumn) }
        }
        if offset < bytes.count && (bytes[offset] | 0x20) == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count && (bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-")) {
                offset += 1
            }
            guard digits(&self) > 0 else { throw .badNumber(line: line, column: startColumn) }
        }
        return .number(String(decoding: bytes[start..<offset], as: UTF8.self))
    }

    /// A string: escapes decoded (surrogate pairs joined), control characters refused, UTF-8 checked.
    mutating func string() throws(JSONError) -> String {
        offset += 1
        var scalars = String.UnicodeScalarView()
        var runStart = offset
        func flush(_ parser: JSONParser, upTo end: Int) throws(JSONError) {
            guard runStart < end else { return }
            var decoder = UTF8()
            var iterator = parser.bytes[runStart..<end].makeIterator()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar): scalars.append(scalar)
                case .emptyInput: break loop
                case .error: throw .notUTF8(line: parser.line, column: parser.column)
                }
            }
        }
        while true {
            guard offset < bytes.count else { throw .unexpectedEnd }
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                try flush(self, upTo: offset)
                offset += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                try flush(self, upTo: offset)
                offset += 1
                scalars.append(try escape())
                runStart = offset
            case 0x00..<0x20:
                throw .controlCharacterInString(line: line, column: column)
            default:
                offset += 1
            }
        }
    }

    mutating func escape() throws(JSONError) -> Unicode.Scalar {
        guard offset < bytes.count else { throw .unexpectedEnd }
        let byte = bytes[offset]
        offset += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try hex4()
            if (0xD800..<0xDC00).contains(first) {
                // A high surrogate must be followed by \u and a low one.
                guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                    bytes[offset + 1] == UInt8(ascii: "u")
                else { throw .badEscape(line: line, column: column) }
                offset += 2
                let second = try hex4()
                guard (0xDC00..<0xE000).contains(second),
                    let scalar = Unicode.Scalar(0x10000 + (first - 0xD800) << 10 + (second - 0xDC00))
                else { throw .badEscape(line: line, column: column) }
                return scalar
            }
            guard let scalar = Unicode.Scalar(first) else { throw .badEscape(line: line, column: column) }
            return scalar
        default:
            throw .badEscape(line: line, column: column)
        }
    }

    mutating func hex4() throws(JSONError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw .unexpectedEnd }
        var value: UInt32 = 0
        for byte in bytes[offset..<offset + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .badEscape(line: line, column: column)
            }
            value = value << 4 | UInt32(digit)
        }
        offset += 4
        return value
    }
}
