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

    public init(
        clocks: any Clocks, random: @escaping @Sendable () -> any RandomNumberGenerator,
        clockSync: any ClockSyncReader, userName: String
    ) {
        self.clocks = clocks
        self.random = random
        self.clockSync = clockSync
        self.userName = userName
    }

    /// The clocks' monotonic timeline, for the engines that pace or wait on it.
    var timeline: MonotonicTimeline { MonotonicTimeline(clocks) }
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
        _ request: SendRequest, environment: Environment, events: @escaping @Sendable (SendEvent) -> Void,
        stop: StopSignal
    ) throws(SendFailure) -> [TrackOutcome] {
        let note: (InputNote) -> Void = { events(.input($0)) }
        var take = request.take
        var takeFilePath: String?
        switch request.tracks {
        case .paths(let arguments):
            take.tracks = Inputs.tracks(forPaths: try Inputs.expand(arguments, note: note))
        case .takeFile(let path, let node):
            take = try loadTake(take, path: path, node: node)
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
        // PTP where ptp4l runs: the grandmaster is what a=ts-refclk names, and PTP time's TAI offset is known.
        let ptp = PTPClient.status(socketPath: request.ptpSocket, domain: request.ptpDomain)
        let ptpMissing = ptp == nil && (take.timestampOrigin == .ptp || take.aes67)
        if ptpMissing && take.aes67 { take.timestampOrigin = .wallClock }
        let referenceClock =
            ptp?.referenceClock
            ?? ReferenceClock.describe(
                synchronized: clockStatus.isSynchronized, server: request.ntpServer ?? configuredNTPServer())
        let taiOffset = taiOffsetSeconds(ptp: ptp)

        let interface = try take.network.interface.map { name throws(SendFailure) -> UInt32 in
            guard let index = NetworkInterface.index(name) else { throw .noInterface(name) }
            return index
        }
        let inputs = PlanInputs(
            formats: sources.map(\.format), hosts: try resolveHosts(of: take, interface: interface ?? 0),
            now: environment.clocks.wallNow(),
            userName: environment.userName, referenceClock: referenceClock, taiOffsetSeconds: taiOffset)
        let plan: TakePlan
        do throws(PlanError) {
            var random = environment.random()
            plan = try Planner.plan(take, inputs: inputs, random: &random)
        } catch {
            throw .plan(error, takeFile: takeFilePath)
        }
        let opened = try zip(plan.tracks, sources).map { track, source throws(SendFailure) in
            try open(
                track, source: source, plan: plan, interface: interface ?? 0, clock: environment.timeline, stop: stop)
        }
        // --stats refused now rather than warned of in the middle of the stream: its first version written at once.
        if let path = request.statisticsPath {
            do {
                try FileSystem.writeAtomically(Array(#"{"streams": []}"#.utf8) + [10], to: path)
            } catch {
                throw .statisticsUnwritable(path: path, reason: "\(error)")
            }
        }
        do throws(SendFailure) {
            try writeSDPFiles(of: plan, all: true)
        } catch {
            if let path = request.statisticsPath { FileSystem.remove(path) }
            throw error
        }
        // What the clocks are, said once the start is sure to go ahead: a refusal stays one line.
        events(.clockStatus(clockStatus))
        events(.ptpStatus(ptp))
        if ptpMissing { events(.ptpUnavailable(socketPath: request.ptpSocket)) }
        for event in plan.events { events(.plan(event)) }

        let readers = opened.compactMap { $0.reader }
        let readAhead = ReadAheadLoop(sources: readers)
        readAhead.prime()
        let readAheadStop = StopSignal()
        let readerThread: OSThread
        do throws(SystemError) {
            let clock = environment.timeline
            readerThread = try OSThread { readAhead.run(clock: clock, stop: readAheadStop) }
        } catch {
            throw .thread(error)
        }
        defer {
            readAheadStop.stop()
            readerThread.join()
        }
        let announcer =
            try (request.sap || take.aes67)
            ? startAnnouncing(plan, request: request, interface: interface ?? 0, environment: environment) : nil
        defer {
            announcer?.finish()
            if let announcer { events(.announced(count: announcer.announcer.sent.load(ordering: .relaxed))) }
        }
        for track in plan.tracks { events(.trackStarting(track, sdpPath: track.sdpPath)) }
        let wait = Double(plan.startUnixNanoseconds - environment.clocks.wallNow()) / 1e9
        if wait > waitWorthSaying {
            events(.waitingForStart(seconds: wait, startUnixNanoseconds: plan.startUnixNanoseconds))
        }
        return try stream(
            opened, plan: plan, request: request, environment: environment, clockStatus: clockStatus, ptp: ptp,
            announcer: announcer?.announcer, events: events, stop: stop)
    }

    /// A wait for the start longer than this is said, so a far --start-at does not look like a hang.
    static let waitWorthSaying = 2.0

    /// The SAP announcer of a plan, announcing already on a thread of its own.
    final class Announcing: @unchecked Sendable {
        // @unchecked: the announcer's state is its own thread's; `finished` is atomic.
        let announcer: SAPAnnouncer
        let finished = StopSignal()
        var thread: OSThread?

        init(_ announcer: SAPAnnouncer) {
            self.announcer = announcer
        }

        /// Ends the announcements: the deletions go out, and the thread is joined.
        func finish() {
            finished.stop()
            thread?.join()
            thread = nil
        }
    }

    /// Starts announcing every track's SDP with SAP: to 239.255.255.255:9875 for IPv4 (AES67's), the IPv6 group of
    /// the session's scope for IPv6, or the address asked for; with the tracks' multicast hop limit and interface.
    static func startAnnouncing(
        _ plan: TakePlan, request: SendRequest, interface: UInt32, environment: Environment
    ) throws(SendFailure)
        -> Announcing
    {
        guard let first = plan.tracks.first else { throw .plan(.noStreams, takeFile: nil) }
        let group: IPAddress
        if let text = request.sapAddress {
            guard let address = IPAddress(text), address.isMulticast else { throw .sapAddress(text) }
            group = address
        } else {
            group = first.destination.family == .ipv6 ? SAPGroup.ipv6(for: first.destination.address) : SAPGroup.ipv4
        }
        do {
            let socket = try UDPSocket(family: group.family)
            try socket.setMulticast(
                hops: plan.tracks.compactMap(\.multicastTTL).max() ?? 1, interface: interface,
                loop: first.multicastLoop)
            let announcer = SAPAnnouncer(
                descriptions: plan.tracks.map { plan.sessionDescription(for: $0).rendered() }, socket: socket,
                destination: Endpoint(address: group, port: SAPPacket.port), origin: first.sourceAddress,
                random: environment.random())
            let announcing = Announcing(announcer)
            let stop = StopSignal()
            let clocks = environment.clocks
            announcing.thread = try OSThread {
                announcer.run(clocks: clocks, finished: announcing.finished, stop: stop)
            }
            return announcing
        } catch {
            throw .network(error as? SystemError ?? SystemError("socket", errno: 0))
        }
    }

    /// Reads a take file and applies this node's part of it over what the options asked.
    static func loadTake(_ take: Take, path: String, node: String) throws(SendFailure) -> Take {
        let file: TakeFile
        do throws(TakeFiles.Problem) {
            file = try TakeFiles.read(path)
        } catch {
            switch error {
            case .unreadable(let reason): throw .takeFileUnreadable(path: path, reason: reason)
            case .invalid(let error): throw .takeFile(path: path, error)
            }
        }
        do throws(PlanError) {
            return try file.applied(to: take, node: node, path: path)
        } catch {
            throw .plan(error, takeFile: path)
        }
    }

    /// Every host the take names, resolved, with this host's address on the way to each. The hosts of other nodes'
    /// tracks are resolved where they can be: they are only described.
    static func resolveHosts(of take: Take, interface: UInt32) throws(SendFailure) -> [String: ResolvedHost] {
        var hosts: [String: ResolvedHost] = [:]
        let local = Set(take.localTracks.map { $0.track.destination ?? take.destination })
        let all = Set(take.tracks.map { $0.destination ?? take.destination }).union(local)
        for host in all.sorted() {
            do {
                let address = try Resolver.resolve(host)
                let route = try Resolver.route(towards: address, interface: interface)
                hosts[host] = ResolvedHost(address: address, localAddress: route.localAddress, pathMTU: route.mtu)
            } catch let error as ResolutionError {
                if local.contains(host) { throw .unknownHost(error) }
            } catch {
                guard local.contains(host) else { continue }
                let system = error as? SystemError ?? SystemError("connect", errno: 0)
                if let address = try? Resolver.resolve(host) { throw .unreachable(host: host, address, system) }
                throw .network(system)
            }
        }
        return hosts
    }

    /// A track's engine parts, its sockets open.
    struct OpenedTrack {
        var track: Track
        var rtcp: StreamParticipant
        var reader: ReadAheadSource?
        var socket: UDPSocket
        var rtcpSocket: UDPSocket
    }

    /// Opens what a track's plan names: its RTP socket (bound to the source port if any, connected to the
    /// destination) and its RTCP socket (the same with rtcp-mux, else its own, bound so reports come back to it).
    static func open(
        _ plan: TrackPlan, source: any FrameSource, plan session: TakePlan, interface: UInt32,
        clock: MonotonicTimeline, stop: StopSignal
    ) throws(SendFailure) -> OpenedTrack {
        let (socket, rtcpSocket) = try openSockets(plan, interface: interface)
        // Files are read ahead by one reader thread, off the pacing thread: a ring of at least a second each.
        var reader: ReadAheadSource?
        if case .file = plan.source {
            let format = plan.format
            reader = ReadAheadSource(
                source, capacity: max(256 * 1024, format.sampleRate * format.bytesPerFrame),
                maximumFrames: plan.framesPerPacket, loops: plan.loops, clock: clock, stop: stop)
        }
        let packetizer = Packetizer(
            source: plan.format.encoding, encoding: plan.encoding, channelCount: plan.format.channelCount,
            framesPerPacket: plan.framesPerPacket, payloadType: plan.payloadType, ssrc: plan.ssrc,
            initialSequenceNumber: plan.initialSequenceNumber, initialTimestamp: plan.initialTimestamp)
        let track = Track(
            name: plan.name, source: reader ?? source, packetizer: packetizer, sink: socket,
            frameLimit: plan.frameLimit, loops: plan.loops)
        let rtcp = StreamParticipant(
            track: track, socket: rtcpSocket, destination: plan.rtcpDestination,
            canonicalName: session.canonicalName, isMultiplexed: plan.rtcpMultiplexed)
        return OpenedTrack(track: track, rtcp: rtcp, reader: reader, socket: socket, rtcpSocket: rtcpSocket)
    }

    /// A track's RTP socket (connected to the destination) and RTCP socket (the same with rtcp-mux), both marked
    /// with the track's DSCP, with Don't Fragment unless fragmentation is allowed, with the multicast hop limit,
    /// interface and loop for a multicast destination, and bound to the asked address. RTCP leaves from the RTP
    /// source port + 1 (RFC 3550 section 11): with a system-chosen port, pairs are tried until one is free.
    static func openSockets(_ plan: TrackPlan, interface: UInt32) throws(SendFailure) -> (UDPSocket, UDPSocket) {
        let family = plan.destination.family
        let bindAddress = plan.bindsSourceAddress ? plan.sourceAddress : .unspecified(family)
        func prepared() throws -> UDPSocket {
            let socket = try UDPSocket(family: family)
            try socket.setDSCP(plan.dscp)
            if let ttl = plan.multicastTTL {
                try socket.setMulticast(hops: ttl, interface: interface, loop: plan.multicastLoop)
            }
            return socket
        }
        var attempt = 0
        while true {
            attempt += 1
            do {
                let socket = try prepared()
                socket.setBufferSize(send: 1 << 20)
                try socket.setDontFragment(plan.dontFragment)
                try socket.bind(to: Endpoint(address: bindAddress, port: plan.sourcePort ?? 0))
                try socket.connect(to: plan.destination)
                if plan.rtcpMultiplexed { return (socket, socket) }
                let rtcpSocket = try prepared()
                // RTCP listens where RTP leaves from (the address the route chose, 127.0.0.1 towards loopback), not
                // on every interface: reports come back to the address the sender reports come from.
                let local = try socket.localEndpoint()
                // A system-chosen 65535 has no next port: another pair is tried.
                guard let rtcpPort = plan.sourceRTCPPort ?? TakeRules.nextPort(after: local.port) else { continue }
                do {
                    try rtcpSocket.bind(to: Endpoint(address: local.address, port: rtcpPort), reusingAddress: false)
                } catch let error as SystemError where error.isAddressInUse && plan.sourcePort == nil && attempt < 32 {
                    continue
                }
                return (socket, rtcpSocket)
            } catch {
                throw .network(error as? SystemError ?? SystemError("socket", errno: 0))
            }
        }
    }

    /// Writes every track's SDP, then the session's, each atomically, creating the folder. Writes every SDP file of the plan; when one cannot be written and `all` is set (at the start), those already
    /// written go too, so a start that fails leaves none behind.
    static func writeSDPFiles(of plan: TakePlan, all: Bool = false) throws(SendFailure) {
        var written: [String] = []
        do throws(SendFailure) {
            for track in plan.tracks {
                try writeSDP(plan.sessionDescription(for: track), to: track.sdpPath)
                written.append(track.sdpPath)
            }
            if let path = plan.sessionSDPPath { try writeSDP(plan.sessionDescription, to: path) }
        } catch {
            if all { written.forEach(FileSystem.remove) }
            throw error
        }
    }

    /// The paths of every SDP file of the plan.
    static func sdpPaths(of plan: TakePlan) -> [String] {
        plan.tracks.map(\.sdpPath) + (plan.sessionSDPPath.map { [$0] } ?? [])
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
        _ opened: [OpenedTrack], plan: TakePlan, request: SendRequest, environment: Environment,
        clockStatus: ClockSyncStatus, ptp: PTPStatus?, announcer: SAPAnnouncer?,
        events: @escaping @Sendable (SendEvent) -> Void, stop: StopSignal
    ) throws(SendFailure) -> [TrackOutcome] {
        let sessions = opened.map(\.rtcp)
        var rtcpSockets: [UDPSocket] = []
        for item in opened where !rtcpSockets.contains(where: { $0 === item.rtcpSocket }) {
            rtcpSockets.append(item.rtcpSocket)
        }
        let reporter = RTCPReporter(
            sessions: sessions, interval: plan.rtcpInterval, waiter: SocketPoller(rtcpSockets),
            random: environment.random())
        let tracks = opened.map(\.track)
        let runner = StreamRunner(
            tracks: tracks, settings: request.pacing, clocks: environment.clocks, stop: stop, reporter: reporter)
        let now = environment.clocks.pairNow()
        let start = now.atWall(plan.startUnixNanoseconds)
        var nextStatistics = 0.0
        var watch = ClockWatch(synchronized: clockStatus.isSynchronized)
        var tooLarge = Set<String>()
        var grandmaster = ptp
        var described = plan
        var watches = opened.map { _ in DeliveryWatch(ignoring: SystemError.messageTooLarge) }
        var stallsTold: [Int] = []
        try runner.run(startAt: start, note: events) { elapsed, final in
            for (index, (item, trackPlan)) in zip(opened, plan.tracks).enumerated() {
                for change in watches[index].update(item.track.counters.snapshot, elapsed: elapsed) {
                    events(
                        .delivery(
                            track: trackPlan.name, destination: trackPlan.destination, change, elapsedSeconds: elapsed))
                }
            }
            // The stalls of every pacing thread since the last look, told as one: they stall together.
            let stalls = runner.stalls.map(\.last)
            if stallsTold.count != stalls.count { stallsTold = stalls.map { _ in 0 } }
            let new = zip(stalls, stallsTold).compactMap { stall, told in stall.flatMap { $0.count > told ? $0 : nil } }
            if !new.isEmpty {
                stallsTold = stalls.map { $0?.count ?? 0 }
                events(
                    .stall(
                        worstSeconds: Double(new.map(\.worstNanoseconds).max() ?? 0) / 1e9,
                        sent: new.map(\.sent).reduce(0, +), skipped: new.map(\.skipped).reduce(0, +),
                        elapsedSeconds: elapsed))
            }
            for (item, trackPlan) in zip(opened, plan.tracks) where !tooLarge.contains(trackPlan.name) {
                let counts = item.track.counters.snapshot
                guard counts.failedSends > 0, counts.lastSendError == SystemError.messageTooLarge else { continue }
                tooLarge.insert(trackPlan.name)
                events(
                    .datagramTooLarge(
                        track: trackPlan.name,
                        bytes: RTPHeader.fixedByteCount + trackPlan.sizing.payloadBytes, pathMTU: item.socket.pathMTU))
            }
            if !final, let status = environment.clockSync.read(), watch.changed(to: status) {
                events(.clockChanged(status, elapsedSeconds: elapsed))
            }
            // A new grandmaster: said, written into the SDP files and announced with a new version.
            if !final, let previous = grandmaster,
                let now = PTPClient.status(socketPath: request.ptpSocket, domain: previous.domain),
                now.grandmasterIdentity != previous.grandmasterIdentity
            {
                grandmaster = now
                described = described.withReferenceClock(
                    now.referenceClock, version: TakeRules.sessionVersion(unixNanoseconds: environment.clocks.wallNow())
                )
                events(.grandmasterChanged(from: previous, to: now, elapsedSeconds: elapsed))
                do throws(SendFailure) {
                    try writeSDPFiles(of: described)
                } catch {
                    if case .sdpNotWritten(let path, let reason) = error {
                        events(.sdpNotRewritten(path: path, reason: reason))
                    }
                }
                announcer?.update(described.tracks.map { described.sessionDescription(for: $0).rendered() })
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
        _ sessions: [StreamParticipant], start: ClockPair, to path: String, events: (SendEvent) -> Void
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
