import RTP

/// What `a=ts-refclk` (RFC 7273 section 4.8) can truly say about this host's clock.
public enum ReferenceClock {
    /// `ntp=<server>` when a server is given or configured and the kernel says the clock is synchronised,
    /// `ntp=/traceable/` when synchronised to a server not known here, `local` otherwise.
    public static func describe(synchronized: Bool, server: String?) -> String {
        guard synchronized else { return "local" }
        if let server, !server.isEmpty { return "ntp=\(server)" }
        return "ntp=/traceable/"
    }

    /// The first `server` or `pool` of an NTP daemon's configuration text (chrony, ntpd), or `NTP=` of
    /// systemd-timesyncd.
    public static func configuredServer(in configuration: String) -> String? {
        for line in configuration.split(separator: "\n") {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = words.first else { continue }
            if (first == "server" || first == "pool"), words.count > 1 { return String(words[1]) }
            if first.hasPrefix("NTP="), let value = first.split(separator: "=").dropFirst().first {
                return String(value)
            }
        }
        return nil
    }
}

/// What this host can verify of a reference clock a description names: whether the kernel says its clock is
/// synchronised (adjtimex), and the PTP reference clock ptp4l here follows (its grandmaster and domain), if any.
public struct HostClock: Sendable, Hashable {
    public var synchronized: Bool
    /// `ptp=IEEE1588-2008:<grandmaster>:<domain>` as ptp4l answers here; nil with no ptp4l.
    public var ptpReferenceClock: String?

    public init(synchronized: Bool, ptpReferenceClock: String? = nil) {
        self.synchronized = synchronized
        self.ptpReferenceClock = ptpReferenceClock
    }
}

extension ReferenceClock {
    /// How a description's media clock places its stream here (RFC 7273): not at all for `local` (the sender's own
    /// clock, never UTC: only compared with the sender's reports); verified for a PTP reference this host follows (the same grandmaster in the same
    /// domain) or a UTC reference (`ntp=...`, or none named) while this host's clock is synchronised; unverified
    /// otherwise, and whenever the media clock is only assumed (a take file's). Nil: no media clock to follow.
    public static func timelineClock(
        offset: UInt32?, referenceClock: String?, assumed: Bool, host: HostClock
    ) -> TimelineClock {
        guard let offset else { return .senderReports }
        if referenceClock?.lowercased() == "local" { return .sendersOwn(offset: offset) }
        let timescale = Timescale(referenceClock: referenceClock)
        let verified: Bool
        if assumed {
            verified = false
        } else if let clock = referenceClock, clock.lowercased().hasPrefix("ptp=") {
            verified = host.ptpReferenceClock.map { $0.lowercased() == clock.lowercased() } ?? false
        } else {
            verified = host.synchronized
        }
        return .direct(offset: offset, timescale: timescale, verified: verified)
    }
}
