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
