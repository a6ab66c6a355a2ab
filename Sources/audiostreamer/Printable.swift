/// Text from outside (the network, a file's name or contents) made safe to print: control characters escaped, so
/// a peer or a file name cannot move the cursor, recolour the terminal or forge a line of the log.
enum Printable {
    /// `text` with its control characters (C0, DEL, C1) and invisible format characters (bidi overrides) escaped
    /// as `\u{..}`, newlines and tabs as `\n`, `\r`, `\t`; everything else as it is.
    static func text(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        for scalar in text.unicodeScalars { append(scalar, to: &out) }
        return out
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.properties.generalCategory == .format
    }

    static func append(_ scalar: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if needsEscape(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }

    /// `text` between single quotes, at most `limit` characters of it, the rest counted.
    static func quoted(_ text: String, limit: Int = 80) -> String {
        var out = "'"
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                out += "'… (\(text.unicodeScalars.count - limit) more characters)"
                return out
            }
            count += 1
            switch scalar {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            default: append(scalar, to: &out)
            }
        }
        return out + "'"
    }
}
