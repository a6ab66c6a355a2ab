import Interfaces
import JSON
import Numbers
import PCM
import Platform
import RTP
import SDP
import Sender
import Session
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

    public init(take: Take, tracks: Tracks) {
        self.take = take
        self.tracks = tracks
    }
}

/// What a send takes from its surroundings: passed in by the command line, the one place that chooses them.
public struct SendEnvironment: Sendable {
    public var clocks = SystemClocks()
    public var clockSync: any ClockSyncReader
    /// The user the default CNAME names.
    public var userName: String

    public init(clockSync: any ClockSyncReader, userName: String) {
        self.clockSync = clockSync
        self.userName = userName
    }
}

/// `audiostreamer send`: open the inputs, plan the take, open what the plan names, write the SDP files, stream.
public enum SendProgram {
    /// How often the statistics file is written.
    static let statisticsIntervalSeconds = 2.0
    /// How much the demo streams unless told otherwise.
    public static let demoSeconds = 10

    /// The demo's take: its 1 s signal looping, 10 s of it unless a duration is given or it loops without end.
    public static func demoTake(_ take: Take) -> Take {
        var take = take
        if take.duration == nil && !take.loops { take.duration = ExactDecimal(numerator: demoSeconds) }
        take.loops = true
        return take
    }

    /// Streams the request's take until it ends or `stop` is set; returns how each track ended.
    public static func run(
        _ request: SendRequest, environment: SendEnvironment, events: @escaping @Sendable (SendEvent) -> Void,
        stop: StopSignal
    ) throws(SendFailure) -> [TrackOutcome] {
        let note: (InputNote) -> Void = { events(.input($0)) }
        var take = request.take
        var takeFilePath: String?
        switch request.tracks {
        case .paths(let arguments):
            take.tracks = Inputs.tracks(forPaths: try Inputs.expand(arguments, note: note))
        case .takeFile(let path, let node):
            take = try loadTakeFile(path: path).applied(to: take, node: node, path: path)
            takeFilePath = path
        case .testSignal(let name):
            take = demoTake(take)
            take.tracks = [TakeTrack(name: name, source: .testSignal)]
        }

        // Every input opened and checked before anything is planned or written.
        let sources = try take.localTracks.map { _, track throws(SendFailure) -> any FrameSource in
            switch track.source {
            case .file(let path): return try Inputs.openWAV(path: path, note: note)
            case .testSignal:
                return try Inputs.openWAV(
                    source: MemoryByteSource(TestSignal.wav(seconds: 1)), named: track.name, note: note)
            }
        }

        // The clock: what the kernel says of its synchronisation, and what the SDP may claim about it.
        let clockStatus =
            environment.clockSync.read()
            ?? ClockSyncStatus(isSynchronized: false, estimatedErrorMicroseconds: 0, maximumErrorMicroseconds: 0)
        if request.requireSync && !clockStatus.isSynchronized { throw .clockNotSynchronized(clockStatus) }
        events(.clockStatus(clockStatus))
        let referenceClock = ReferenceClock.describe(
            synchronized: clockStatus.isSynchronized, server: request.ntpServer ?? configuredNTPServer())

        let inputs = PlanInputs(
            formats: sources.map(\.format), hosts: try resolveHosts(of: take), now: environment.clocks.wallNow(),
            userName: environment.userName, referenceClock: referenceClock)
        let plan: SessionPlan
        do throws(PlanError) {
            var random = SystemRandomSource()
            plan = try Planner.plan(take, inputs: inputs, random: &random)
        } catch {
            throw .plan(error, takeFile: takeFilePath)
        }
        for event in plan.events { events(.plan(event)) }

        let opened = try zip(plan.tracks, sources).map { track, source throws(SendFailure) in
            try open(track, source: source, plan: plan)
        }
        try writeSDPFiles(of: plan)

        let readers = opened.compactMap { $0.reader }
        let readAhead = ReadAheadLoop(sources: readers)
        readAhead.prime()
        let readAheadStop = StopSignal()
        let readerThread: OSThread
        do throws(SystemError) {
            readerThread = try OSThread { readAhead.run(clock: MonotonicClock(), stop: readAheadStop) }
        } catch {
            throw .thread(error)
        }
        defer {
            readAheadStop.stop()
            readerThread.join()
        }
        for track in plan.tracks { events(.trackStarting(track, sdpPath: track.sdpPath)) }
        return try stream(
            opened, plan: plan, request: request, environment: environment, clockStatus: clockStatus, events: events,
            stop: stop)
    }

    /// Reads and parses a take file.
    static func loadTakeFile(path: String) throws(SendFailure) -> TakeFile {
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            throw .takeFileUnreadable(path: path, reason: "\(error)")
        }
        // A take file is text of a few kilobytes; a megabyte is more than any take needs.
        guard file.byteCount <= 1 << 20 else {
            throw .takeFileUnreadable(path: path, reason: "larger than 1 MiB")
        }
        var bytes = [UInt8](repeating: 0, count: file.byteCount)
        do {
            let count = try bytes.withUnsafeMutableBytes { try file.read(at: 0, into: $0) }
            bytes.removeLast(bytes.count - count)
        } catch {
            throw .takeFileUnreadable(path: path, reason: "\(error)")
        }
        do {
            return try TakeFile(parsing: bytes)
        } catch {
            throw .takeFile(path: path, error)
        }
    }

    /// Every host the take names, resolved, with this host's address on the way to each. The hosts of other nodes'
    /// tracks are resolved where they can be: they are only described.
    static func resolveHosts(of take: Take) throws(SendFailure) -> [String: ResolvedHost] {
        var hosts: [String: ResolvedHost] = [:]
        let local = Set(take.localTracks.map { $0.track.destination ?? take.destination })
        let all = Set(take.tracks.map { $0.destination ?? take.destination }).union(local)
        for host in all.sorted() {
            do {
                let address = try Resolver.resolve(host)
                hosts[host] = ResolvedHost(
                    address: address, localAddress: try Resolver.localAddress(towards: address))
            } catch let error as ResolutionError {
                if local.contains(host) { throw .unknownHost(error) }
            } catch {
                if local.contains(host) { throw .network(error as? SystemError ?? SystemError("connect", errno: 0)) }
            }
        }
        return hosts
    }

    /// A track's engine parts, its sockets open.
    struct OpenedTrack {
        var track: Track
        var rtcp: RTCPSession
        var reader: ReadAheadSource?
        var rtcpSocket: UDPSocket
    }

    /// Opens what a track's plan names: its RTP socket (bound to the source port if any, connected to the
    /// destination) and its RTCP socket (the same with rtcp-mux, else its own, bound so reports come back to it).
    static func open(_ plan: TrackPlan, source: any FrameSource, plan session: SessionPlan) throws(SendFailure)
        -> OpenedTrack
    {
        let family = plan.destination.family
        let socket: UDPSocket
        let rtcpSocket: UDPSocket
        do {
            socket = try UDPSocket(family: family)
            socket.setBufferSize(send: 1 << 20)
            if let port = plan.sourcePort { try socket.bind(to: .wildcard(family, port: port)) }
            try socket.connect(to: plan.destination)
            if plan.rtcpMultiplexed {
                rtcpSocket = socket
            } else {
                rtcpSocket = try UDPSocket(family: family)
                try rtcpSocket.bind(to: .wildcard(family, port: plan.sourceRTCPPort ?? 0))
            }
        } catch {
            throw .network(error as? SystemError ?? SystemError("socket", errno: 0))
        }
        // Files are read ahead by one reader thread, off the pacing thread: a ring of at least a second each.
        var reader: ReadAheadSource?
        if case .file = plan.source {
            let format = plan.format
            reader = ReadAheadSource(
                source, capacity: max(256 * 1024, format.sampleRate * format.bytesPerFrame),
                maximumFrames: plan.framesPerPacket, loops: plan.loops, clock: MonotonicClock())
        }
        let packetizer = Packetizer(
            source: plan.format.encoding, encoding: plan.encoding, channelCount: plan.format.channelCount,
            framesPerPacket: plan.framesPerPacket, payloadType: plan.payloadType, ssrc: plan.ssrc,
            initialSequenceNumber: plan.initialSequenceNumber, initialTimestamp: plan.initialTimestamp)
        let track = Track(
            name: plan.name, source: reader ?? source, packetizer: packetizer, sink: socket,
            frameLimit: plan.frameLimit, loops: plan.loops)
        let rtcp = RTCPSession(
            track: track, socket: rtcpSocket, destination: plan.rtcpDestination,
            canonicalName: session.canonicalName, isMultiplexed: plan.rtcpMultiplexed)
        return OpenedTrack(track: track, rtcp: rtcp, reader: reader, rtcpSocket: rtcpSocket)
    }

    /// Writes every track's SDP, then the session's, each atomically, creating the folder.
    static func writeSDPFiles(of plan: SessionPlan) throws(SendFailure) {
        for track in plan.tracks { try writeSDP(plan.sessionDescription(for: track), to: track.sdpPath) }
        if let path = plan.sessionSDPPath { try writeSDP(plan.sessionDescription, to: path) }
    }

    /// Writes an SDP file atomically, creating its folder.
    public static func writeSDP(_ description: SessionDescription, to path: String) throws(SendFailure) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        do {
            if !folder.isEmpty { try FileSystem.createDirectory(folder) }
            try FileSystem.writeAtomically(Array(description.rendered().utf8), to: path)
        } catch {
            throw .sdpNotWritten(path: path, reason: "\(error)")
        }
    }

    /// Streams the opened tracks to their end (or `stop`), reporting progress, clock changes and statistics as it
    /// goes; returns how each track ended.
    static func stream(
        _ opened: [OpenedTrack], plan: SessionPlan, request: SendRequest, environment: SendEnvironment,
        clockStatus: ClockSyncStatus, events: @escaping @Sendable (SendEvent) -> Void, stop: StopSignal
    ) throws(SendFailure) -> [TrackOutcome] {
        let sessions = opened.map(\.rtcp)
        var rtcpSockets: [UDPSocket] = []
        for item in opened where !rtcpSockets.contains(where: { $0 === item.rtcpSocket }) {
            rtcpSockets.append(item.rtcpSocket)
        }
        let reporter = RTCPReporter(
            sessions: sessions, interval: plan.rtcpInterval, waiter: SocketPoller(rtcpSockets),
            random: SystemRandomSource())
        let tracks = opened.map(\.track)
        let runner = StreamRunner(tracks: tracks, settings: request.pacing, stop: stop, reporter: reporter)
        let now = environment.clocks.pairNow()
        let start = now.atWall(plan.startUnixNanoseconds)
        var nextStatistics = 0.0
        var watch = ClockWatch(synchronized: clockStatus.isSynchronized)
        try runner.run(startAt: start, note: events) { elapsed, final in
            if !final, let status = environment.clockSync.read(), watch.changed(to: status) {
                events(.clockChanged(status, elapsedSeconds: elapsed))
            }
            if let path = request.statisticsPath, final || elapsed >= nextStatistics {
                writeStatistics(sessions, start: runner.start, to: path, events: events)
                nextStatistics = elapsed + statisticsIntervalSeconds
            }
            events(
                .progress(
                    SendProgress(
                        elapsedSeconds: elapsed, isFinal: final,
                        tracks: opened.map { item in
                            TrackProgress(
                                name: item.track.name, sampleRate: item.track.identity.sampleRate,
                                plannedFrames: item.track.plannedFrames, counters: item.track.counters.snapshot,
                                receivers: item.rtcp.receiverStatistics)
                        })))
        }
        let outcomes = zip(opened, plan.tracks).map { item, trackPlan in
            TrackOutcome(
                name: item.track.name, encoding: trackPlan.encoding, counters: item.track.counters.snapshot,
                underruns: item.reader?.underruns.load(ordering: .relaxed) ?? 0, readFailure: item.track.failure)
        }
        for outcome in outcomes { events(.trackFinished(outcome)) }
        return outcomes
    }

    /// Writes the statistics of every stream as one JSON document, atomically.
    static func writeStatistics(
        _ sessions: [RTCPSession], start: ClockPair, to path: String, events: (SendEvent) -> Void
    ) {
        let document = JSONValue.object([("streams", .array(sessions.map { $0.statistics(start: start) }))])
        do {
            try FileSystem.writeAtomically(Array((document.rendered + "\n").utf8), to: path)
        } catch {
            events(.statisticsNotWritten(path: path, reason: "\(error)"))
        }
    }

    /// The NTP server the local daemon is configured with, if any (chrony, ntpd, systemd-timesyncd).
    static func configuredNTPServer() -> String? {
        let configurations = [
            "/etc/chrony/chrony.conf", "/etc/chrony.conf", "/etc/ntpsec/ntp.conf", "/etc/ntp.conf",
            "/etc/systemd/timesyncd.conf",
        ]
        for path in configurations {
            if let text = FileSystem.readText(path), let server = ReferenceClock.configuredServer(in: text) {
                return server
            }
        }
        return nil
    }
}

/// Watches for a change of the clock's synchronisation: reported once when it is lost, once when it is found.
public struct ClockWatch: Sendable, Hashable {
    public private(set) var synchronized: Bool

    public init(synchronized: Bool) {
        self.synchronized = synchronized
    }

    /// Whether `status` differs from what was last seen; remembers it.
    public mutating func changed(to status: ClockSyncStatus) -> Bool {
        guard status.isSynchronized != synchronized else { return false }
        synchronized = status.isSynchronized
        return true
    }
}

/// A clock status given by a script instead of the kernel, for tests: `synchronized` or `unsynchronized`, or the
/// path of a file holding one of those words, read again at every call (nil while it cannot be read: no news).
/// Any other word leaves the kernel's status.
public struct ScriptedClockSync: ClockSyncReader {
    public let script: String

    public init(script: String) {
        self.script = script
    }

    public func read() -> ClockSyncStatus? {
        var word = script
        if script.hasPrefix("/") {
            guard let first = FileSystem.readText(script)?.split(whereSeparator: \.isWhitespace).first else {
                return nil
            }
            word = String(first)
        }
        return switch word {
        case "synchronized":
            ClockSyncStatus(isSynchronized: true, estimatedErrorMicroseconds: 0, maximumErrorMicroseconds: 0)
        case "unsynchronized":
            ClockSyncStatus(
                isSynchronized: false, estimatedErrorMicroseconds: 16_000_000, maximumErrorMicroseconds: 16_000_000)
        default: KernelClockSync().read()
        }
    }
}
