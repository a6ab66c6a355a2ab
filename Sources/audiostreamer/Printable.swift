/// Text that came from the network, made safe to print: control characters, quotes and backslashes escaped, length
/// bounded, so a peer cannot move the cursor, forge a line or fill a terminal.
enum Printable {
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
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                    || scalar.properties.generalCategory == .format
                {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "'"
    }
}
