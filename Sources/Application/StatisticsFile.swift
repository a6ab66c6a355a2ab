import JSON
import Platform

/// The statistics file of `send` and `record` (`--stats`), written the same way for both: one JSON document, the
/// command that wrote it, the take's time zero, one object per track, and what else the command counts, replaced
/// atomically every 2 s and at the end so a reader never sees half of one.
enum StatisticsFile {
    /// How often the file is written while streaming or recording.
    static let intervalNanoseconds: Int64 = 2_000_000_000

    /// The document: `command` (`send` or `record`), `start_unix_ns`, `tracks`, then `extra` members.
    static func document(
        command: String, startUnixNanoseconds: Int64?, tracks: [JSONValue], extra: [(String, JSONValue)] = []
    ) -> JSONValue {
        .object(
            [
                ("command", .string(command)), ("start_unix_ns", startUnixNanoseconds.map { .integer($0) } ?? .null),
                ("tracks", .array(tracks)),
            ] + extra)
    }

    /// Writes `document` to `path`; returns why it could not, if it could not.
    static func write(_ document: JSONValue, to path: String) -> String? {
        do {
            try FileSystem.writeAtomically(Array((document.rendered + "\n").utf8), to: path)
            return nil
        } catch {
            return "\(error)"
        }
    }
}
