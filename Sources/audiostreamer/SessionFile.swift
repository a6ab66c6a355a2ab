import Foundation
import RTP
import Streaming

/// A take across PCs (`--session take.json`): every track, its file, which PC (node) sends it, and where it goes.
/// The same file on every PC gives one consistent set of ports (track i of the file on port + 2i), SSRCs, start
/// and SDP files; `--node NAME` picks this PC's part.
///
/// ```json
/// {"name": "take 1", "start_at": "2026-11-29T12:00:00Z", "destination": "192.168.0.125", "port": 5004,
///  "ptime": 1, "tracks": [
///   {"file": "drums.wav", "node": "pc1", "encoding": "L24", "sample_rate": 48000, "channels": 2},
///   {"file": "vocals.wav", "node": "pc2", "encoding": "L24", "sample_rate": 48000, "channels": 1}]}
/// ```
struct SessionFile: Decodable {
    struct Track: Decodable {
        var name: String?
        var file: String
        var node: String
        /// L16 or L24; with the rate and channels it lets other PCs describe this track in their session SDP.
        var encoding: String?
        var sampleRate: Int?
        var channels: Int?
        var ssrc: UInt32?
        var destination: String?

        enum CodingKeys: String, CodingKey {
            case name, file, node, encoding, ssrc, destination, channels
            case sampleRate = "sample_rate"
        }
    }

    var name: String
    var startAt: String?
    var destination: String?
    var port: Int?
    var ptime: Double?
    var tracks: [Track]

    enum CodingKeys: String, CodingKey {
        case name, destination, port, ptime, tracks
        case startAt = "start_at"
    }

    /// Reads and checks a session file; `path` names it in every error.
    static func load(path: String) throws -> SessionFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SessionFileError.unreadable(path)
        }
        let session: SessionFile
        do {
            session = try JSONDecoder().decode(SessionFile.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw SessionFileError.invalid(path, "missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let where_ = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw SessionFileError.invalid(path, "\(where_): \(context.debugDescription)")
        } catch {
            throw SessionFileError.invalid(path, "not a JSON session description")
        }
        guard !session.tracks.isEmpty else { throw SessionFileError.invalid(path, "no tracks") }
        return session
    }

    /// The name of track `index`: given, or its file's name.
    func trackName(_ index: Int) -> String {
        tracks[index].name ?? StreamSetup.trackName(forPath: tracks[index].file)
    }

    /// The SSRC of track `index`: given, or derived from the session's and the track's names (FNV-1a), so every PC
    /// computes the same one.
    func ssrc(_ index: Int) -> UInt32 {
        if let ssrc = tracks[index].ssrc { return ssrc }
        var hash: UInt32 = 0x811C_9DC5
        for byte in "\(name)/\(trackName(index))".utf8 {
            hash = (hash ^ UInt32(byte)) &* 0x0100_0193
        }
        return hash
    }

    /// A file path relative to the session file's folder.
    func resolve(_ file: String, relativeTo sessionPath: String) -> String {
        if file.hasPrefix("/") { return file }
        let folder = (sessionPath as NSString).deletingLastPathComponent
        return folder.isEmpty ? file : folder + "/" + file
    }
}

/// A session file that cannot be used; one line naming the file.
enum SessionFileError: Error, CustomStringConvertible {
    case unreadable(String)
    case invalid(String, String)

    var description: String {
        switch self {
        case .unreadable(let path): "\(path): cannot read the session file"
        case .invalid(let path, let reason): "\(path): \(reason)"
        }
    }
}
