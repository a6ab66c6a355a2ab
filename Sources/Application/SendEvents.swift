import Interfaces
import PCM
import PTP
import Planning
import Platform
import RTCP
import RTP
import Sender
import WAV

/// Why a send could not start, sorted by what went wrong; the command line picks the words and the exit code.
public enum SendFailure: Error, Sendable {
    /// The take file cannot be read.
    case takeFileUnreadable(path: String, reason: String)
    /// The take file is not one that can be used.
    case takeFile(path: String, TakeFileError)
    /// The take cannot be planned; `takeFile` names the take file the take came from, if any.
    case plan(PlanError, takeFile: String?)
    /// An input file or folder is missing or unreadable.
    case inputUnreadable(path: String, reason: String)
    /// An input file is not a WAV that can be streamed.
    case inputInvalid(path: String, WAVError)
    /// A folder given as input holds no `.wav` file.
    case folderWithoutWAV(path: String)
    /// A destination host does not resolve (`secondLeg`: the ST 2022-7 second leg's, --redundant-ip).
    case unknownHost(ResolutionError, secondLeg: Bool = false)
    /// Synchronisation was required and the clock is not synchronised.
    case clockNotSynchronized(ClockSyncStatus)
    /// A socket could not be opened, bound or connected.
    case network(SystemError)
    /// The kernel has no route to a destination (for multicast: no interface was named and no route covers it);
    /// `secondLeg`: the ST 2022-7 second leg's destination.
    case unreachable(host: String, IPAddress, SystemError, secondLeg: Bool = false)
    /// An SDP file could not be written.
    case sdpNotWritten(path: String, reason: String)
    /// The --stats file cannot be written.
    case statisticsUnwritable(path: String, reason: String)
    /// A thread could not be started.
    case thread(SystemError)
    /// No interface has this name or address (`secondLeg`: --redundant-interface).
    case noInterface(String, secondLeg: Bool = false)
    /// The SAP address asked for is not a multicast address.
    case sapAddress(String)
}

/// What happened while a send ran, in order, for the command line to tell.
public enum SendEvent: Sendable {
    case input(InputNote)
    /// What the kernel says of the clock at the start.
    case clockStatus(ClockSyncStatus)
    /// What ptp4l says of the PTP clock this host follows (nil: no ptp4l answered).
    case ptpStatus(PTPStatus?)
    /// PTP was asked for (PTP timestamps, AES67) and no ptp4l answered on its socket.
    case ptpUnavailable(socketPath: String)
    /// The grandmaster changed while streaming; the SDP files and announcements now name the new one.
    case grandmasterChanged(from: PTPStatus, to: PTPStatus, elapsedSeconds: Double)
    /// An SDP file could not be rewritten with a new grandmaster.
    case sdpNotRewritten(path: String, reason: String)
    /// The SAP announcements and deletions sent, when the streams ended.
    case announced(count: Int)
    case plan(PlanEvent)
    /// A track is about to stream: everything about it is decided.
    case trackStarting(TrackPlan, sdpPath: String)
    /// The first packet is due a while from now (a --start-at ahead): how long, and when.
    case waitingForStart(seconds: Double, startUnixNanoseconds: Int64)
    /// The pacing thread could not get 1 ns timer slack; wake-ups may be late by the default 50 us.
    case timerSlackUnavailable(SystemError)
    /// Real-time priority was asked for and refused; pacing goes on with normal priority.
    case realtimeUnavailable(SystemError, asked: Bool)
    /// The streams' figures, every half second and once at the end.
    case progress(SendProgress)
    /// The clock's synchronisation changed while streaming.
    case clockChanged(ClockSyncStatus, elapsedSeconds: Double)
    /// The statistics file could not be written.
    case statisticsNotWritten(path: String, reason: String)
    /// A track's datagrams are larger than the path carries (EMSGSIZE with Don't Fragment set): they are not sent.
    /// Said once per track, with the path MTU the kernel has learned.
    case datagramTooLarge(track: String, bytes: Int, pathMTU: Int?)
    /// A stream's way to its receiver changed (sends failing or recovered, the destination refusing or listening).
    case delivery(track: String, destination: Endpoint, DeliveryWatch.Change, elapsedSeconds: Double)
    /// A pacing thread fell behind by `worstSeconds` (the process was stopped, or starved of CPU); of its backlog,
    /// `sent` packets left late at once and `skipped` (later than the allowed lateness) were skipped.
    case stall(worstSeconds: Double, sent: Int, skipped: Int, elapsedSeconds: Double)
    /// How a track ended.
    case trackFinished(TrackOutcome)
}

/// Every stream's figures at one moment.
public struct SendProgress: Sendable {
    public var elapsedSeconds: Double
    /// The last one, after the streams ended.
    public var isFinal: Bool
    public var tracks: [TrackProgress]

    public init(elapsedSeconds: Double, isFinal: Bool, tracks: [TrackProgress]) {
        self.elapsedSeconds = elapsedSeconds
        self.isFinal = isFinal
        self.tracks = tracks
    }
}

/// One stream's figures at one moment.
public struct TrackProgress: Sendable {
    public var name: String
    public var sampleRate: Int
    /// Frames it will send in all; nil when it runs until stopped.
    public var plannedFrames: Int?
    public var counters: TrackCounters.Snapshot
    public var receivers: [ReceiverStatistics]

    public init(
        name: String, sampleRate: Int, plannedFrames: Int?, counters: TrackCounters.Snapshot,
        receivers: [ReceiverStatistics]
    ) {
        self.name = name
        self.sampleRate = sampleRate
        self.plannedFrames = plannedFrames
        self.counters = counters
        self.receivers = receivers
    }
}

/// How one track ended.
public struct TrackOutcome: Sendable {
    public var name: String
    public var encoding: AudioPayloadEncoding
    public var counters: TrackCounters.Snapshot
    /// Times the pacing thread found the read-ahead ring empty and waited for the disk.
    public var underruns: Int
    /// Why it stopped early, if a read failed.
    public var readFailure: String?

    public init(
        name: String, encoding: AudioPayloadEncoding, counters: TrackCounters.Snapshot, underruns: Int,
        readFailure: String?
    ) {
        self.name = name
        self.encoding = encoding
        self.counters = counters
        self.underruns = underruns
        self.readFailure = readFailure
    }
}
