import Application
import Arguments

/// The options `send` and `record` both take, each declared once: spellings, value name, parsing and validation.
/// Each command says what the value means to it (the help) and where it goes (a key path into its arguments).
enum SharedOptions {
    typealias Path<Settings, Value> = WritableKeyPath<Settings, Value> & Sendable

    static func format<S>(_ path: Path<S, AudioPayloadEncoding?>, help: String) -> OptionSpec<S> {
        .value(["--format"], "L16|L24", help: help) { settings, value, spelling in
            guard let encoding = AudioPayloadEncoding(name: value) else {
                throw UsageError("\(spelling) '\(value)': expected L16 or L24")
            }
            settings[keyPath: path] = encoding
        }
    }

    static func payloadType<S>(_ path: Path<S, UInt8?>, help: String) -> OptionSpec<S> {
        .value(["--payload-type"], "n", help: help) { settings, value, spelling in
            settings[keyPath: path] = UInt8(try OptionValue.integer(value, spelling, 0...127))
        }
    }

    static func dscp<S>(_ path: Path<S, Int>, help: String) -> OptionSpec<S> {
        .value(["--dscp"], "n", help: help) { settings, value, spelling in
            settings[keyPath: path] = try OptionValue.integer(value, spelling, 0...63)
        }
    }

    static func interface<S>(_ path: Path<S, String?>, help: String) -> OptionSpec<S> {
        interface(["--interface"], path, help: help)
    }

    /// `--redundant-interface`: the second leg's interface (SMPTE ST 2022-7).
    static func redundantInterface<S>(_ path: Path<S, String?>, help: String) -> OptionSpec<S> {
        interface(["--redundant-interface"], path, help: help)
    }

    private static func interface<S>(_ spellings: [String], _ path: Path<S, String?>, help: String) -> OptionSpec<S> {
        .value(spellings, "name|addr", help: help) { settings, value, spelling in
            guard !value.isEmpty else { throw UsageError("\(spelling) needs an interface name or address") }
            settings[keyPath: path] = value
        }
    }

    static func canonicalName<S>(_ path: Path<S, String?>, help: String) -> OptionSpec<S> {
        .value(["--cname"], "text", help: help) { settings, value, spelling in
            guard !value.isEmpty, value.utf8.count <= 255 else { throw UsageError("\(spelling) needs 1 to 255 bytes") }
            settings[keyPath: path] = value
        }
    }

    static func ptp4lSocket<S>(_ path: Path<S, String>, help: String) -> OptionSpec<S> {
        .value(["--ptp4l-socket"], "path", help: help) { settings, value, _ in settings[keyPath: path] = value }
    }

    static func ptpDomain<S>(_ path: Path<S, UInt8?>, help: String) -> OptionSpec<S> {
        .value(["--ptp-domain"], "n", help: help) { settings, value, spelling in
            settings[keyPath: path] = UInt8(try OptionValue.integer(value, spelling, 0...127))
        }
    }

    static func statistics<S>(_ path: Path<S, String?>, help: String) -> OptionSpec<S> {
        .value(["--stats"], "file.json", help: help) { settings, value, _ in settings[keyPath: path] = value }
    }

    /// `--start-at`: the start, and the text as written for messages.
    static func startAt<S>(_ path: Path<S, StartRequest?>, text: Path<S, String?>, help: String) -> OptionSpec<S> {
        .value(["--start-at"], "time", help: help) { settings, value, spelling in
            guard let start = StartRequest(value) else {
                throw UsageError(
                    "\(spelling) '\(value)': expected an ISO 8601 UTC time such as 2026-11-29T12:00:00.5Z, or +SECONDS")
            }
            settings[keyPath: path] = start
            settings[keyPath: text] = value
        }
    }

    static func duration<S>(_ path: Path<S, ExactDecimal?>, help: String) -> OptionSpec<S> {
        .value(["--duration"], "seconds", help: help) { settings, value, spelling in
            settings[keyPath: path] = try DecimalValue.positive(
                value, spelling, maximum: DecimalValue.longestDurationSeconds, unit: "seconds")
        }
    }

    static func takeFile<S>(_ path: Path<S, String?>, help: String) -> OptionSpec<S> {
        .value(["--session", "--take"], "take.json", help: help) { settings, value, _ in
            settings[keyPath: path] = value
        }
    }

    /// `--sap-address`: the group, which also turns SAP on.
    static func sapAddress<S>(_ path: Path<S, String?>, sap: Path<S, Bool>, help: String) -> OptionSpec<S> {
        .value(["--sap-address"], "addr", help: help) { settings, value, spelling in
            guard let address = IPAddress(value), address.isMulticast else {
                throw UsageError("\(spelling) '\(value)': expected a multicast address")
            }
            settings[keyPath: path] = value
            settings[keyPath: sap] = true
        }
    }

    /// A stream without an SDP, as `record` and `analyze` take it: `--port`, `--format`, `--rate`, `--channels`,
    /// `--payload-type`.
    static func portStream<S>(
        port: Path<S, Int?>, encoding: Path<S, AudioPayloadEncoding?>, sampleRate: Path<S, Int?>,
        channels: Path<S, Int?>, payloadType: Path<S, UInt8?>
    ) -> [OptionSpec<S>] {
        [
            .value(["--port"], "n", help: "without an SDP: the RTP port of a stream (its RTCP on the next one)") {
                settings, value, spelling in
                settings[keyPath: port] = try OptionValue.integer(value, spelling, 1...65_534)
            },
            format(encoding, help: "without an SDP: its payload (default L24)"),
            .value(["--rate"], "hz", help: "without an SDP: its sample rate (default 48000)") {
                settings, value, spelling in
                settings[keyPath: sampleRate] = try OptionValue.integer(value, spelling, 1000...768_000)
            },
            .value(["--channels"], "n", help: "without an SDP: its channels (default 2)") {
                settings, value, spelling in
                settings[keyPath: channels] = try OptionValue.integer(value, spelling, 1...64)
            },
            self.payloadType(payloadType, help: "without an SDP: its RTP payload type (default 96)"),
        ]
    }

    /// `--st2110-level`: an SMPTE ST 2110-30 conformance level.
    static func st2110Level<S>(_ path: Path<S, ST2110Level?>, help: String) -> OptionSpec<S> {
        .value(["--st2110-level"], "A|AX|B|BX|C|CX", help: help) { settings, value, spelling in
            guard let level = ST2110Level(rawValue: value.uppercased()) else {
                throw UsageError("\(spelling) '\(value)': expected A, AX, B, BX, C or CX")
            }
            settings[keyPath: path] = level
        }
    }

    /// `--report`: the page of figures and pictures written at the end.
    static func report<S>(_ path: Path<S, String?>, help: String) -> OptionSpec<S> {
        .value(["--report"], "file.html", help: help) { settings, value, spelling in
            guard !value.isEmpty else { throw UsageError("\(spelling) needs a file") }
            settings[keyPath: path] = value
        }
    }

    static func verbose<S>(_ path: Path<S, Bool>, help: String) -> OptionSpec<S> {
        .flag(["--verbose", "-v"], help: help) { $0[keyPath: path] = true }
    }

    static func help<S>(_ path: Path<S, Bool>) -> OptionSpec<S> {
        .flag(["--help", "-h"], help: "show this help") { $0[keyPath: path] = true }
    }
}
