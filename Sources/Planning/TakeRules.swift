import Interfaces
import RTP

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

    /// The port RTCP uses beside RTP on `rtpPort` unless told otherwise: the next one (RFC 3550 section 11), for
    /// destinations and local ports alike; nil past the highest port.
    public static func nextPort(after rtpPort: Int) -> Int? {
        rtpPort < highestPort ? rtpPort + 1 : nil
    }

    /// Where track `slot`'s RTCP goes, given its RTP port.
    public static func rtcpPort(_ placement: RTCPPlacement, rtpPort: Int, slot: Int) -> Int? {
        switch placement {
        case .nextPort: nextPort(after: rtpPort)
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
        UInt64(unixNanoseconds / 1_000_000_000) + NTPTimestamp.unixEpochSeconds
    }

    /// The default RTCP CNAME of a process (RFC 3550 section 6.5.1's `user@host`): the user's name and the local
    /// address the streams leave from (or a recorder's reports).
    public static func canonicalName(user: String, address: IPAddress) -> String {
        "\(user)@\(address)"
    }

    /// The track name of a WAV path: its file name without folder and `.wav`.
    public static func trackName(forPath path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        if name.lowercased().hasSuffix(".wav") { name.removeLast(4) }
        return name.isEmpty ? "track" : name
    }
}
