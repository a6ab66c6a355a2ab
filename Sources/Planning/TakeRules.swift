/// The rules every node of a take must compute alike, so that a recorder on another PC expects exactly what each
/// sender sends: where track i goes, and which SSRC it carries.
public enum TakeRules {
    /// The highest port number.
    public static let highestPort = 65_535

    /// Track `slot`'s port when track 0 uses `base`: every track takes an even/odd pair, so track i is base + 2i.
    /// Nil when it falls outside 1-65535.
    public static func port(base: Int, slot: Int) -> Int? {
        guard base >= 1, slot >= 0, slot <= highestPort / 2 else { return nil }
        let port = base + 2 * slot
        return port <= highestPort ? port : nil
    }

    /// Where track `slot`'s RTCP goes, given its RTP port.
    public static func rtcpPort(_ placement: RTCPPlacement, rtpPort: Int, slot: Int) -> Int? {
        switch placement {
        case .nextPort: rtpPort < highestPort ? rtpPort + 1 : nil
        case .multiplexed: rtpPort
        case .port(let base): port(base: base, slot: slot)
        }
    }

    /// The SSRC a take file derives for a track from the take's and the track's names, so every PC computes the same
    /// one: FNV-1a (32 bits) of "take/track".
    public static func derivedSSRC(take: String, track: String) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in "\(take)/\(track)".utf8 {
            hash = (hash ^ UInt32(byte)) &* 0x0100_0193
        }
        return hash
    }

    /// The SDP session ID (`o=`) of a take sent from `host` to `destination`: FNV-1a (32 bits) of the three, so it
    /// stays the same however often the take is restarted, and announcements of it are known as the same session.
    public static func sessionID(name: String, host: String, destination: String) -> UInt64 {
        UInt64(derivedSSRC(take: "\(name)@\(host)", track: destination))
    }

    /// The SDP session version of a description made at `unixNanoseconds`: its NTP seconds, so a later description
    /// has a higher version.
    public static func sessionVersion(unixNanoseconds: Int64) -> UInt64 {
        UInt64(unixNanoseconds / 1_000_000_000) + 2_208_988_800
    }

    /// The track name of a WAV path: its file name without folder and `.wav`.
    public static func trackName(forPath path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        if name.lowercased().hasSuffix(".wav") { name.removeLast(4) }
        return name.isEmpty ? "track" : name
    }
}
