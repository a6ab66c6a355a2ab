/// What `analyze` is asked: streams to judge, live or from a capture, against a profile.
public struct AnalyzeRequest: Sendable {
    public enum Input: Sendable, Hashable {
        /// Listen to the streams now, on this host's sockets.
        case live
        /// Read a capture file (pcap or pcapng), or standard input for "-".
        case capture(path: String)
    }

    public var input: Input
    /// What describes the streams; nil for a capture: the SAP announcements in it.
    public var streams: RecordRequest.Streams?
    public var profile = Profile.wide
    /// An ST 2110-30 level every stream's description must fit (nil: AES67's remarks only).
    public var level: ST2110Level?
    /// Live: how long to listen (nil: until stopped).
    public var durationNanoseconds: Int64?
    /// Where to write the figures as JSON at the end.
    public var statisticsPath: String?
    /// Where to write the report page (HTML with inline SVG) at the end.
    public var reportPath: String?
    /// Live: the interfaces multicast groups are joined on (the second for ST 2022-7 second legs).
    public var interface: String?
    public var redundantInterface: String?
    /// TS-DF's measurement period (Tech 3337 recommends 1 s).
    public var periodNanoseconds: Int64 = 1_000_000_000
    /// A capture: whether the capturing host's clock was synchronised to the streams' reference, so the RTP
    /// timestamps can be judged against its timestamps (else against the stream's own first packet).
    public var captureClockSynchronized = false
    public var ptpSocket = PTPClient.defaultSocketPath
    public var ptpDomain: UInt8?

    public init(input: Input, streams: RecordRequest.Streams?) {
        self.input = input
        self.streams = streams
    }
}

/// One stream's analysis, done: where it was described, what was measured, and the verdict.
public struct AnalyzedStream {
    public let name: String
    /// The file (and line) or announcement that described it.
    public let origin: String
    public let analyzer: StreamAnalyzer
    public let verdict: StreamVerdict
    /// Live: datagrams of the stream the kernel dropped, its socket buffers full (SO_RXQ_OVFL); 0 from a capture.
    public var kernelDrops = 0
}

/// Why an analysis could not be made.
public enum AnalyzeFailure: Error, Sendable {
    /// Reading the descriptions or listening failed as it would for `record`.
    case record(RecordFailure)
    case captureUnreadable(path: String, reason: String)
    /// The capture is not one, or is malformed where reading stopped.
    case capture(path: String, CaptureError)
    /// The capture holds no UDP datagram at all.
    case emptyCapture(path: String)
    /// None of the streams described was in the capture: the streams' ports, and the UDP ports that were.
    case noStreamInCapture(path: String, described: [Int], seen: [Int])
    /// A capture with no description given and no SAP announcement in it.
    case nothingDescribed(path: String)
    /// Live: nothing arrived for any stream.
    case nothingReceived(ports: [Int])
    case statisticsUnwritable(path: String, reason: String)
    case reportUnwritable(path: String, reason: String)
}

/// What happened while analysing, for the command line to tell.
public enum AnalyzeEvent: Sendable {
    /// A stream announced with SAP, now analysed; `origin` says who announced it ("SAP from ADDRESS").
    case announced(name: String, origin: String)
    /// A stream described that sent nothing.
    case unheard(name: String)
    case listening(name: String, port: Int)
    /// Live, once a second: every stream's analysis so far, `elapsedNanoseconds` after listening began.
    case progress(elapsedNanoseconds: Int64, streams: [StreamAnalyzer.Progress])
}
