/// A command line that cannot be understood: one line saying why.
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// One option of a command, declared once: its spellings, the name of its value, its help, and what it does to the
/// command's settings (parsing and checking its value on the way).
///
/// Long names are declared with dashes; a user may write `_` for `-` in them and give a value as `--name value` or
/// `--name=value`.
public struct OptionSpec<Settings>: Sendable {
    /// Every spelling, the first one shown first in help (a long name, then perhaps a one-letter one).
    public let names: [String]
    /// The value's name in help (`n`, `host`); nil for a switch, which takes no value.
    public let valueName: String?
    public let help: String
    /// Applies the option to `settings`: `value` is nil for a switch; `spelling` is how the user wrote the name, for
    /// messages. It throws a `UsageError` for a value it refuses.
    public let apply: @Sendable (_ settings: inout Settings, _ value: String?, _ spelling: String) throws -> Void

    public init(
        _ names: [String], value valueName: String? = nil, help: String,
        apply: @escaping @Sendable (_ settings: inout Settings, _ value: String?, _ spelling: String) throws -> Void
    ) {
        self.names = names
        self.valueName = valueName
        self.help = help
        self.apply = apply
    }

    /// A switch.
    public static func flag(
        _ names: [String], help: String, _ set: @escaping @Sendable (inout Settings) throws -> Void
    ) -> OptionSpec {
        OptionSpec(names, help: help) { settings, _, _ in try set(&settings) }
    }

    /// An option with a value, given to `set` with the user's spelling of the name.
    public static func value(
        _ names: [String], _ valueName: String, help: String,
        _ set: @escaping @Sendable (_ settings: inout Settings, _ value: String, _ spelling: String) throws -> Void
    ) -> OptionSpec {
        OptionSpec(names, value: valueName, help: help) { settings, value, spelling in
            try set(&settings, value ?? "", spelling)
        }
    }

    /// How the option stands in help: `--name <value>`, or for a switch its spellings, comma-separated.
    public var synopsis: String {
        let spelled = names.joined(separator: ", ")
        guard let valueName else { return spelled }
        return names[0] + " <\(valueName)>" + (names.count > 1 ? ", " + names.dropFirst().joined(separator: ", ") : "")
    }
}

/// Reads arguments against a command's declared options.
public enum ArgumentParser {
    /// Applies every option in `arguments` to `settings` and returns the operands (what is not an option), in order.
    /// `--` ends the options: everything after it is an operand, even when it starts with a dash; so is a lone `-`.
    public static func parse<Settings>(
        _ arguments: [String], options: [OptionSpec<Settings>], into settings: inout Settings
    ) throws(UsageError) -> [String] {
        var operands: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                operands += arguments[index...]
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                operands.append(argument)
                continue
            }
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let written = String(parts[0])
            let inline = parts.count > 1 ? String(parts[1]) : nil
            guard let option = options.first(where: { $0.names.contains(normalized(written)) }) else {
                throw UsageError("unknown option \(written)")
            }
            var value: String?
            if option.valueName == nil {
                guard inline == nil else { throw UsageError("\(written) takes no value") }
            } else if let inline {
                value = inline
            } else {
                guard index < arguments.count else { throw UsageError("\(written) needs a value") }
                value = arguments[index]
                index += 1
            }
            do {
                try option.apply(&settings, value, written)
            } catch let error as UsageError {
                throw error
            } catch {
                throw UsageError("\(written): \(error)")
            }
        }
        return operands
    }

    /// A long option's name with `_` read as `-` after the leading dashes.
    static func normalized(_ name: String) -> String {
        guard name.hasPrefix("--") else { return name }
        return "--" + String(name.dropFirst(2).map { $0 == "_" ? "-" : $0 })
    }

    /// The options as help lines: synopsis, padded, then the help text.
    public static func help<Settings>(_ options: [OptionSpec<Settings>], indent: Int = 2, column: Int = 30) -> String {
        options.map { option in
            let synopsis = String(repeating: " ", count: indent) + option.synopsis
            let padding = max(1, column - synopsis.count)
            return synopsis + String(repeating: " ", count: padding) + option.help + "\n"
        }.joined()
    }
}

/// Values of options, parsed and checked, with messages that name the option as the user wrote it.
public enum OptionValue {
    /// A whole number in `range`, decimal or 0x hexadecimal.
    public static func integer(_ text: String, _ spelling: String, _ range: ClosedRange<Int>) throws(UsageError) -> Int
    {
        let value = text.lowercased().hasPrefix("0x") ? Int(text.dropFirst(2), radix: 16) : Int(text)
        guard let value, range.contains(value) else {
            throw UsageError(
                "\(spelling) '\(text)': expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// One of `choices`.
    public static func choice<Value>(_ text: String, _ spelling: String, _ choices: [(String, Value)])
        throws(UsageError) -> Value
    {
        guard let match = choices.first(where: { $0.0 == text }) else {
            let names = choices.map(\.0)
            let list = names.dropLast().joined(separator: ", ") + (names.count > 1 ? " or " : "") + (names.last ?? "")
            throw UsageError("\(spelling) '\(text)': expected \(list)")
        }
        return match.1
    }
}
