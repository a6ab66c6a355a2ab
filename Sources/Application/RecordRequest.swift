import Interfaces
import JSON
import Numbers
import PCM
import Planning
import Platform
import RTP
import Receiver
import SDP
import Synchronization
import WAV

/// Everything `record` is asked to do.
public struct RecordRequest: Sendable {
    /// What describes the streams.
    public enum Streams: Sendable, Hashable {
        /// SDP files, each with one or more audio streams.
        case sdpFiles([String])
        /// A take file: every track of every node.
        case takeFile(String)
        /// One stream given by its port and format.
        case plain(StreamDescription)
        /// The streams announced with SAP (RFC 2974) within `waitSeconds`, those named (by `s=` or `i=`) or all.
        case sap(names: [String], waitSeconds: Int, group: String?)
    }

    public var take: RecordTake
    public var streams: Streams
    /// Where to write the statistics JSON, every 2 s and at the end.
    public var statisticsPath: String?
    /// Where to write the take's report page (HTML with inline SVG) at the end.
    public var reportPath: String?
    /// Where ptp4l answers here, to verify the PTP reference clocks descriptions name, and in which domain.
    public var ptpSocket = PTPClient.defaultSocketPath
    public var ptpDomain: UInt8?

    public init(take: RecordTake, streams: Streams) {
        self.take = take
        self.streams = streams
    }
}

/// Why a recording could not start or finish.
public enum RecordFailure: Error, Sendable {
    case descriptionUnreadable(path: String, reason: String)
    case description(path: String, SDPError)
    case takeFile(path: String, TakeFileError)
    /// The streams cannot be recorded as described; `origin` names the file (and line) when one described them.
    case plan(PlanError, origin: String?)
    /// A port could not be bound (in use, or not permitted).
    case portUnavailable(port: Int, SystemError)
    case network(SystemError)
    /// No interface has this name or address (`secondLeg`: --redundant-interface).
    case noInterface(String, secondLeg: Bool = false)
    /// An output file exists already: never replaced.
    case outputExists(path: String)
    case outputNotCreated(path: String, reason: String)
    /// The --stats file cannot be written.
    case statisticsUnwritable(path: String, reason: String)
    /// SAP found none of the streams named (or none at all) in the time given.
    case notAnnounced(names: [String])
    /// Writing stopped (a full disk, an I/O error): the files are left valid with what was written.
    case writeFailed(path: String, reason: String)
    /// Tracks whose packets came but could not be recorded (another payload type or format than described): their
    /// files are removed, the others' kept.
    case unusableTracks([UnusableTrack])
    /// Nothing arrived on the ports and groups listened on (each `port N` or `group G port N`): no file is left.
    case nothingReceived(listenedOn: [String])
    case thread(SystemError)
}

/// What happened while recording, in order, for the command line to tell.
public enum RecordEvent: Sendable {
    /// A stream announced with SAP: its name, who announced it, and whether it is recorded.
    case announced(name: String, origin: String, recorded: Bool)
    /// A description says something that changes nothing about how its stream is recorded (`a=ptime:0`): ignored.
    case ignoredAttribute(origin: String, attribute: String)
    /// A track listens: its plan is decided and its file created.
    case listening(RecordTrackPlan)
    case receiver(ReceiverEvent)
    /// The take's time zero was fixed.
    case started(unixNanoseconds: Int64)
    case progress(RecordProgress)
    case statisticsNotWritten(path: String, reason: String)
    /// The --report page could not be written (the recording itself is kept).
    case reportNotWritten(path: String, reason: String)
    /// The kernel dropped datagrams: its buffer was too small or the receive thread too slow.
    case kernelDrops(Int)
    /// A track's sender ran fast or slow against the timeline by more than a sample over the take.
    case drift(track: String, partsPerMillion: Double, samples: Double)
    case finished(RecordSummary)
}

/// Every track's figures at one moment.
public struct RecordProgress: Sendable {
    public var elapsedSeconds: Double
    public var isFinal: Bool
    public var tracks: [RecordTrackProgress]

    public init(elapsedSeconds: Double, isFinal: Bool, tracks: [RecordTrackProgress]) {
        self.elapsedSeconds = elapsedSeconds
        self.isFinal = isFinal
        self.tracks = tracks
    }
}

/// One track's figures at one moment.
public struct RecordTrackProgress: Sendable {
    public var name: String
    public var sampleRate: Int
    /// The channels recorded: the described ones, or those the packets carry where the track follows them.
    public var channels: Int
    public var received: Int
    public var lost: Int
    public var late: Int
    public var reordered: Int
    public var duplicated: Int
    public var unexpected: Int
    public var malformed: Int
    /// Packets of another format than described, not recorded.
    public var mismatched: Int
    /// Each leg's packets and loss, for an ST 2022-7 stream (empty for one on a single network).
    public var legs: [Leg]

    public struct Leg: Sendable, Hashable {
        public var received: Int
        public var lost: Int
    }
    public var jitterMilliseconds: Double
    public var framesWritten: Int
    public var lostFrames: Int
    public var droppedFrames: Int
    /// The largest sample magnitude since the last progress, as a fraction of full scale (0...1).
    public var peak: Double
    /// The mean square of the samples since the last progress, as a fraction of full scale squared; nil when none
    /// came (or the figures were read without taking them, for the statistics file).
    public var meanSquare: Double?
    public var segments: [SegmentSummary]
    public var driftPartsPerMillion: Double?
    public var senderName: String?
    /// Packets lost since the look before this one (`RecordMonitor` sets it).
    public var lostSinceLast = 0
}

/// How the recording ended.
public struct RecordSummary: Sendable {
    public var ending: Recorder.Ending
    public var startUnixNanoseconds: Int64?
    public var files: [String]
}

/// A track whose packets came but could not be recorded, and why.
public struct UnusableTrack: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// Its packets are of another payload type than described.
        case payloadType(described: UInt8, heard: UInt8)
        /// Its packets carry another format than described.
        case format(FormatMismatch)
        /// Its packets came, but their audio stood wholly outside the take (before time zero or past its end):
        /// `received` packets, `dropped` frames of them before time zero.
        case outsideTake(received: Int, dropped: Int)
    }

    public var name: String
    public var reason: Reason
}
