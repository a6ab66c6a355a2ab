import Interfaces
import JSON
import Numbers
import PCM
import PTP
import Planning
import Platform
import RTP
import SDP
import Sender
import WAV

/// Everything `send` (and `demo`) is asked to do.
public struct SendRequest: Sendable {
    /// Where the tracks come from.
    public enum Tracks: Sendable, Hashable {
        /// WAV files, and folders standing for their `.wav` files.
        case paths([String])
        /// A take file, and which of its nodes this process is.
        case takeFile(path: String, node: String)
        /// The built-in test signal, as one track of this name.
        case testSignal(name: String)
    }

    /// The take as the options describe it; its tracks come from `tracks`.
    public var take: Take
    public var tracks: Tracks
    public var pacing = PacingSettings()
    /// Where to write the statistics JSON, every 2 s and at the end.
    public var statisticsPath: String?
    /// Refuse to start unless the clock is synchronised.
    public var requireSync = false
    /// The NTP server this host follows, for `a=ts-refclk`; nil reads it from the NTP daemon's configuration.
    public var ntpServer: String?
    /// Announce every stream with SAP (RFC 2974); the address to announce to, when not the standard group.
    public var sap = false
    public var sapAddress: String?
    /// Where ptp4l's management socket is, and the PTP domain to ask in (nil: whichever ptp4l answers in).
    public var ptpSocket = PTPClient.defaultSocketPath
    public var ptpDomain: UInt8?

    public init(take: Take, tracks: Tracks) {
        self.take = take
        self.tracks = tracks
    }
}

/// What the commands take from their surroundings, made once by the command line (the composition root) and
/// passed down: the system's clocks and randomness in a run, a manual clock and a seeded generator in a test.
public struct Environment: Sendable {
    public var clocks: any Clocks
    /// A new source of randomness for each engine that draws (SSRCs, RTCP intervals, SAP timing).
    public var random: @Sendable () -> any RandomNumberGenerator
    public var clockSync: any ClockSyncReader
    /// The user the default CNAME names.
    public var userName: String
    /// Where sockets are opened and addresses looked up.
    public var network: any Network

    public init(
        clocks: any Clocks, random: @escaping @Sendable () -> any RandomNumberGenerator,
        clockSync: any ClockSyncReader, userName: String, network: any Network
    ) {
        self.clocks = clocks
        self.random = random
        self.network = network
        self.clockSync = clockSync
        self.userName = userName
    }

    /// The clocks' monotonic timeline, for the engines that pace or wait on it.
    var timeline: MonotonicTimeline { MonotonicTimeline(clocks) }
}
