import JSON
import Testing

/// JSON (RFC 8259) without Foundation: what take files are read with and statistics written in.
@Suite struct JSONTests {
    @Test func parsesEveryKindInOrder() throws {
        let text =
            #"{"name": "take 1", "port": 5004, "ptime": 0.125, "ok": true, "none": null, "list": [1, -2e3, "x"]}"#
        let value = try JSONValue(parsing: text)
        #expect(value["name"] == .string("take 1"))
        #expect(value["port"] == .number("5004"))
        #expect(value["ptime"] == .number("0.125"))
        #expect(value["ok"] == .bool(true))
        #expect(value["none"] == .null)
        #expect(value["list"] == .array([.number("1"), .number("-2e3"), .string("x")]))
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["name", "port", "ptime", "ok", "none", "list"])
        // Rendered as written, members in order, one space after each comma and colon.
        #expect(value.rendered == text)
    }

    @Test func escapes() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\nd\u00e9\ud83c\udfb5\/""#)
        #expect(value == .string("a\"b\\c\nd\u{E9}\u{1F3B5}/"))
        #expect(JSONValue.string("q\"\\\n\r\t\u{01}\u{7F}").rendered == #""q\"\\\n\r\t\u0001\u007f""#)
    }

    @Test func roundTripsWhatItRenders() throws {
        let value = JSONValue.object([
            ("streams", .array([.object([("ssrc", .integer(UInt32.max)), ("cname", .string("rx@\u{1B}[31m"))])])),
            ("empty", .object([])), ("nothing", .array([])),
        ])
        #expect(try JSONValue(parsing: value.rendered) == value)
    }

    @Test(arguments: [
        ("", JSONError.unexpectedEnd),
        ("{", .unexpectedEnd),
        ("{nope", .unexpected(character: UInt8(ascii: "n"), line: 1, column: 2)),
        ("[1,]", .unexpected(character: UInt8(ascii: "]"), line: 1, column: 4)),
        ("01", .badNumber(line: 1, column: 1)),
        ("1.", .badNumber(line: 1, column: 1)),
        ("-", .badNumber(line: 1, column: 1)),
        ("\"a\nb\"", .controlCharacterInString(line: 1, column: 3)),
        (#""\x""#, .badEscape(line: 1, column: 4)),
        (#""\ud800""#, .badEscape(line: 1, column: 8)),
        ("true false", .trailingText(line: 1, column: 6)),
        ("{\n  \"a\": tru }", .unexpected(character: UInt8(ascii: " "), line: 2, column: 11)),
    ])
    func refuses(text: String, error: JSONError) {
        #expect(throws: error) { try JSONValue(parsing: text) }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONError.notUTF8(line: 1, column: 4)) { try JSONValue(parsing: [0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONError.tooDeep(limit: JSONValue.maximumDepth)) { try JSONValue(parsing: deep) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONValue(parsing: fine) }
    }
}
