import JSON
import Numbers
import PCM

/// A take across PCs, as one JSON file every node reads: every track, its file, which PC (node) sends it, and where
/// it goes. The same file gives every node one consistent set of ports (track i on port + 2i), SSRCs, start and
/// SDP files; a node picks its own part by name.
///
/// ```json
/// {"name": "take 1", "start_at": "2026-11-29T12:00:00Z", "destination": "192.168.0.125", "port": 5004,
///  "ptime": 1, "tracks": [
///   {"file": "drums.wav", "node": "pc1", "encoding": "L24", "sample_rate": 48000, "channels": 2},
///   {"file": "vocals.wav", "node": "pc2", "encoding": "L24", "sample_rate": 48000, "channels": 1}]}
/// ```
public struct TakeFile: Sendable, Hashable {
    public struct Track: Sendable, Hashable {
        /// The name given, if any; otherwise the file's name stands for it.
        public var name: String?
        public var file: String
        public var node: String
        public var declared: DeclaredFormat
        public var ssrc: UInt32?
        public var destination: String?
    }

    public var name: String
    public var start: StartRequest?
    public var destination: String?
    public var port: Int?
    public var packetTime: PacketTime?
    /// Everything else that changes what goes on the wire, where the file says it (`payload_type`, `rtcp`, `mtu`,
    /// `dscp`, `ttl`, `timestamps`); what it leaves out is the senders' default.
    public var wire: WireSettings
    public var tracks: [Track]

    /// The settings of a take file that change the datagrams, each nil where the file leaves it to the default.
    public struct WireSettings: Sendable, Hashable {
        public var payloadType: UInt8?
        /// `"next-port"`, `"mux"` (RFC 5761), or a number: track 0's RTCP port, track i's that + 2i.
        public var rtcp: RTCPPlacement?
        public var mtu: Int?
        public var dscp: Int?
        public var ttl: Int?
        /// Tracks bundled into streams of at most this many channels, every node's by one rule (`--bundle`).
        public var bundle: Int?
        /// `"wallclock"` or `"ptp"`; never random, which a recorder on another PC could not know.
        public var timestampOrigin: TimestampOrigin?

        public init() {}
    }

    /// Parses a take file's bytes. Total: any bytes give a take file or a `TakeFileError`.
    public init(parsing bytes: [UInt8]) throws(TakeFileError) {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: bytes)
        } catch {
            throw .notJSON(error)
        }
        let root = Field(value: document, path: "")
        name = try root.member("name").string()
        start = try root.optional("start_at").map { field throws(TakeFileError) in
            let text = try field.string()
            guard let start = StartRequest(text) else { throw .invalid(path: "start_at", reason: .startTime(text)) }
            return start
        }
        destination = try root.optional("destination")?.string()
        port = try root.optional("port")?.integer(in: 1...TakeRules.highestPort)
        packetTime = try root.optional("ptime").map { field throws(TakeFileError) in
            let text = try field.number()
            guard let time = PacketTime.allowed(text) else { throw .invalid(path: "ptime", reason: .packetTime(text)) }
            return time
        }
        wire = try WireSettings(root)
        let trackFields = try root.member("tracks").array()
        guard !trackFields.isEmpty else { throw .noTracks }
        tracks = try trackFields.map { field throws(TakeFileError) in
            let encoding = try field.optional("encoding").map { encoding throws(TakeFileError) in
                let text = try encoding.string()
                guard let value = AudioPayloadEncoding(name: text) else {
                    throw .invalid(path: encoding.path, reason: .encoding(text))
                }
                return value
            }
            return Track(
                name: try field.optional("name")?.string(), file: try field.member("file").string(),
                node: try field.member("node").string(),
                declared: DeclaredFormat(
                    encoding: encoding, sampleRate: try field.optional("sample_rate")?.integer(in: 1...10_000_000),
                    channelCount: try field.optional("channels")?.integer(in: 1...1024)),
                ssrc: try field.optional("ssrc").map { ssrc throws(TakeFileError) in
                    UInt32(try ssrc.integer(in: 0...Int(UInt32.max)))
                },
                destination: try field.optional("destination")?.string())
        }
    }

    /// The name of track `index`: given, or its file's name.
    public func trackName(_ index: Int) -> String {
        tracks[index].name ?? TakeRules.trackName(forPath: tracks[index].file)
    }

    /// The SSRC of track `index`: given, or derived from the take's and the track's names.
    public func ssrc(_ index: Int) -> UInt32 {
        tracks[index].ssrc ?? TakeRules.derivedSSRC(take: name, track: trackName(index))
    }

    /// A track's file path: as written when absolute, else relative to the folder of the take file at `path`.
    public static func resolve(_ file: String, relativeTo path: String) -> String {
        if file.hasPrefix("/") { return file }
        guard let slash = path.lastIndex(of: "/") else { return file }
        return String(path[...slash]) + file
    }

    /// `take` with this file's part of it for `node` (nil: every node's, as a recorder reads it): the file's name,
    /// every wire setting (as the file says, else the default) and tracks (with their nodes, declared formats and
    /// SSRCs), and its start unless `take` has one. `path` is where the file is, for the tracks' relative file
    /// names. The file wins: a setting of `take` that would put something else on the wire than the file makes every
    /// node (and a recorder) expect is refused.
    public func applied(to take: Take, node: String?, path: String) throws(PlanError) -> Take {
        if let setting = TakeFile.overridden(by: take, file: self) { throw .overridesTakeFile(setting) }
        var take = take
        take.name = name
        take.destination = destination ?? Take.Defaults.destination
        take.port = port ?? Take.Defaults.port
        take.packetTime = packetTime ?? .standard
        take.payloadType = wire.payloadType
        take.rtcp = wire.rtcp ?? .nextPort
        take.mtu = wire.mtu ?? Take.Defaults.mtu
        take.network.dscp = wire.dscp ?? NetworkOptions.defaultDSCP
        take.network.ttl = wire.ttl
        take.timestampOrigin = wire.timestampOrigin ?? .wallClock
        take.bundle = wire.bundle
        take.start = take.start ?? start
        take.localNode = node
        take.tracks = tracks.indices.map { index in
            let track = tracks[index]
            return TakeTrack(
                name: trackName(index), source: .file(Self.resolve(track.file, relativeTo: path)), node: track.node,
                declared: track.declared, ssrc: ssrc(index), destination: track.destination)
        }
        return take
    }
}

/// A take file that cannot be used.
public enum TakeFileError: Error, Sendable, Hashable {
    case notJSON(JSONError)
    case noTracks
    /// A member the file must have is missing; `path` names where (`tracks.1.file`).
    case missing(path: String)
    /// A member has the wrong kind of value.
    case wrongType(path: String, expected: ExpectedKind, found: String)
    /// A member has a value that cannot be used.
    case invalid(path: String, reason: InvalidValue)

    public enum ExpectedKind: Sendable, Hashable {
        case string, number, wholeNumber, array, object
    }

    public enum InvalidValue: Sendable, Hashable {
        case startTime(String)
        case packetTime(String)
        case encoding(String)
        case outOfRange(String, ClosedRange<Int>)
        /// Neither `"next-port"`, `"mux"` nor a port.
        case rtcp(String)
        /// Neither `"wallclock"` nor `"ptp"` (a random origin is refused: other PCs could not know it).
        case timestamps(String)
    }
}

/// A value of the document with where it stands, for messages.
struct Field {
    let value: JSONValue
    let path: String

    func child(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func member(_ key: String) throws(TakeFileError) -> Field {
        guard let field = try optional(key) else { throw .missing(path: child(key)) }
        return field
    }

    func optional(_ key: String) throws(TakeFileError) -> Field? {
        guard case .object = value else { throw .wrongType(path: path, expected: .object, found: value.kindName) }
        guard let member = value[key], member != .null else { return nil }
        return Field(value: member, path: child(key))
    }

    func string() throws(TakeFileError) -> String {
        guard case .string(let text) = value else {
            throw .wrongType(path: path, expected: .string, found: value.kindName)
        }
        return text
    }

    func number() throws(TakeFileError) -> String {
        guard case .number(let text) = value else {
            throw .wrongType(path: path, expected: .number, found: value.kindName)
        }
        return text
    }

    func integer(in range: ClosedRange<Int>) throws(TakeFileError) -> Int {
        let text = try number()
        guard let value = Int(text) else {
            throw .wrongType(path: path, expected: .wholeNumber, found: "the number \(text)")
        }
        guard range.contains(value) else { throw .invalid(path: path, reason: .outOfRange(text, range)) }
        return value
    }

    func array() throws(TakeFileError) -> [Field] {
        guard case .array(let values) = value else {
            throw .wrongType(path: path, expected: .array, found: value.kindName)
        }
        return values.enumerated().map { Field(value: $1, path: child(String($0))) }
    }
}
