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

/// `audiostreamer send`: open the inputs, plan the take, open what the plan names, write the SDP files, stream.
public enum SendProgram {
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
        let files = try take.localTracks.map { _, track throws(SendFailure) -> WAVFrameReader in
            switch track.source {
            case .file(let path): return try Inputs.openWAV(path: path, note: note)
            case .testSignal:
                return try Inputs.openWAV(
                    source: MemoryByteSource(TestSignal.wav(seconds: 1)), named: track.name, note: note)
            case .bundle: preconditionFailure("tracks are bundled after their files are opened, never before")
            }
        }
        var sources: [any FrameSource] = files
        // Bundled: the tracks packed into multichannel streams, each stream's files read as one.
        // An ST 2110-30 level bundles up to its largest stream at the files' rate, unless --bundle says fewer.
        let levelMaximum = take.st2110Level.flatMap { level in
            files.first.flatMap { level.maximumChannels(atSampleRate: $0.format.sampleRate) }
        }
        if let maximum = take.bundle ?? levelMaximum {
            do throws(PlanError) {
                // Which of the take's tracks each opened file is.
                let fileOf = Dictionary(uniqueKeysWithValues: zip(take.localTracks.map(\.slot), files.indices))
                let (bundled, bundles) = try Bundling.bundled(
                    take, members: try bundlingMembers(of: take, files: files, fileOf: fileOf), maximum: maximum)
                take = bundled
                // This node's bundles, each of its files read as one.
                sources = take.localTracks.map { slot, _ in
                    InterleavedFrames(bundles[slot].compactMap { fileOf[$0].map { files[$0] } })
                }
            } catch {
                throw .plan(error, takeFile: takeFilePath)
            }
        }

        // The clock: what the kernel says of its synchronisation, and what the SDP may claim about it.
        let clockStatus =
            environment.clockSync.read()
            ?? ClockSyncStatus(isSynchronized: false, estimatedErrorMicroseconds: 0, maximumErrorMicroseconds: 0)
        if request.requireSync && !clockStatus.isSynchronized { throw .clockNotSynchronized(clockStatus) }
        // PTP where ptp4l runs: the grandmaster is what a=ts-refclk names, and PTP time's TAI offset is known.
        let ptp = PTPClient.status(socketPath: request.ptpSocket, domain: request.ptpDomain)
        let ptpMissing = ptp == nil && (take.origin == .ptp || take.studio)
        if ptpMissing && take.studio { take.timestampOrigin = .wallClock }
        let referenceClock =
            ptp?.referenceClock
            ?? ReferenceClock.describe(
                synchronized: clockStatus.isSynchronized, server: request.ntpServer ?? configuredNTPServer())
        let taiOffset = taiOffsetSeconds(ptp: ptp)

        let interface = try take.network.interface.map { name throws(SendFailure) -> UInt32 in
            guard let index = environment.network.interfaceIndex(name) else { throw .noInterface(name) }
            return index
        }
        // SMPTE ST 2022-7: the second leg's destination, resolved on the second leg's interface.
        let secondInterface = try take.redundant?.interface.map { name throws(SendFailure) -> UInt32 in
            guard let index = environment.network.interfaceIndex(name) else {
                throw .noInterface(name, secondLeg: true)
            }
            return index
        }
        let secondLegHost = try take.redundant.map { leg throws(SendFailure) in
            try resolveHost(
                leg.destination, interface: secondInterface ?? 0, network: environment.network, secondLeg: true)
        }
        var inputs = PlanInputs(
            formats: sources.map(\.format),
            hosts: try resolveHosts(of: take, interface: interface ?? 0, network: environment.network),
            now: environment.clocks.wallNow(),
            userName: environment.userName, referenceClock: referenceClock, taiOffsetSeconds: taiOffset)
        inputs.secondLegHost = secondLegHost
        let plan: TakePlan
        do throws(PlanError) {
            var random = environment.random()
            plan = try Planner.plan(take, inputs: inputs, random: &random)
        } catch {
            throw .plan(error, takeFile: takeFilePath)
        }
        let opened = try zip(plan.tracks, sources).map { track, source throws(SendFailure) in
            try open(
                track, source: source, plan: plan, interface: interface ?? 0, secondInterface: secondInterface ?? 0,
                environment: environment, stop: stop)
        }
        // --stats refused now rather than warned of in the middle of the stream: its first version written at once.
        if let path = request.statisticsPath,
            let reason = StatisticsFile.write(
                StatisticsFile.document(command: "send", startUnixNanoseconds: nil, tracks: []), to: path)
        {
            throw .statisticsUnwritable(path: path, reason: reason)
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
        // SAP on each network a stream goes to.
        let announcing = request.sap || take.studio
        let announcer =
            try announcing
            ? startAnnouncing(plan, request: request, interface: interface ?? 0, environment: environment) : nil
        let secondAnnouncer =
            try announcing && take.redundant != nil
            ? startAnnouncing(
                plan, request: request, interface: secondInterface ?? 0, onSecondLeg: true, environment: environment)
            : nil
        defer {
            secondAnnouncer?.finish()
            announcer?.finish()
            let sent = [announcer, secondAnnouncer].compactMap { $0?.announcer.sent.load(ordering: .relaxed) }
            if !sent.isEmpty { events(.announced(count: sent.reduce(0, +))) }
        }
        for track in plan.tracks { events(.trackStarting(track, sdpPath: track.sdpPath)) }
        let wait = Double(plan.startUnixNanoseconds - environment.clocks.wallNow()) / 1e9
        if wait > waitWorthSaying {
            events(.waitingForStart(seconds: wait, startUnixNanoseconds: plan.startUnixNanoseconds))
        }
        return try stream(
            opened, plan: plan, request: request, environment: environment, clockStatus: clockStatus, ptp: ptp,
            announcers: [announcer, secondAnnouncer].compactMap { $0?.announcer }, events: events, stop: stop)
    }

    /// A wait for the start longer than this is said, so a far --start-at does not look like a hang.
    static let waitWorthSaying = 2.0

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

    /// Streams the opened tracks to their end (or `stop`), reporting progress, clock changes and statistics as it
    /// goes; returns how each track ended.
    static func stream(
        _ opened: [OpenedTrack], plan: TakePlan, request: SendRequest, environment: Environment,
        clockStatus: ClockSyncStatus, ptp: PTPStatus?, announcers: [SAPAnnouncer],
        events: @escaping @Sendable (SendEvent) -> Void, stop: StopSignal
    ) throws(SendFailure) -> [TrackOutcome] {
        let sessions = opened.map(\.rtcp)
        // Sender reports go out on each leg of an ST 2022-7 stream, and receivers report back on each: the
        // statistics file keeps the legs apart; the progress lines list the receivers of both.
        let reporting = sessions + opened.compactMap { $0.secondLeg?.rtcp }
        var rtcpSockets: [any DatagramSocket] = []
        let legSockets = opened.flatMap { [$0.sockets.rtcp] + ($0.secondLeg.map { [$0.sockets.rtcp] } ?? []) }
        for socket in legSockets where !rtcpSockets.contains(where: { $0 === socket }) {
            rtcpSockets.append(socket)
        }
        let reporter = RTCPReporter(
            sessions: reporting, interval: plan.rtcpInterval, waiter: environment.network.waiter(rtcpSockets),
            random: environment.random())
        let tracks = opened.map(\.track)
        let runner = StreamRunner(
            tracks: tracks, settings: request.pacing, clocks: environment.clocks, stop: stop, reporter: reporter)
        let now = environment.clocks.pairNow()
        let start = now.atWall(plan.startUnixNanoseconds)
        var nextStatistics = 0.0
        var monitor = SendMonitor(trackCount: opened.count, synchronized: clockStatus.isSynchronized)
        var grandmaster = ptp
        var described = plan
        try runner.run(startAt: start, note: events) { elapsed, final in
            let snapshot = SendMonitor.Snapshot(
                elapsedSeconds: elapsed, isFinal: final,
                tracks: zip(opened, plan.tracks).map { item, trackPlan in
                    SendMonitor.Snapshot.Track(
                        name: trackPlan.name, destination: trackPlan.destination,
                        sampleRate: item.track.identity.sampleRate, plannedFrames: item.track.plannedFrames,
                        counters: item.track.counters.snapshot,
                        receivers: item.rtcp.receiverStatistics + (item.secondLeg?.rtcp.receiverStatistics ?? []),
                        datagramBytes: RTPHeader.fixedByteCount + trackPlan.sizing.payloadBytes,
                        pathMTU: item.sockets.pathMTU())
                },
                stalls: runner.stalls.map(\.last), clockStatus: final ? nil : environment.clockSync.read())
            var told = monitor.events(for: snapshot)
            // The progress last, after what the grandmaster and the statistics file have to say.
            let progress = told.popLast()
            told.forEach(events)
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
                for announcer in announcers {
                    announcer.update(described.tracks.map { described.sessionDescription(for: $0).rendered() })
                }
            }
            if let path = request.statisticsPath, final || elapsed >= nextStatistics {
                writeStatistics(
                    sessions, secondLegs: opened.map { $0.secondLeg?.rtcp }, start: runner.start, to: path,
                    events: events)
                nextStatistics = elapsed + Double(StatisticsFile.intervalNanoseconds) / 1e9
            }
            progress.map(events)
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
        _ sessions: [StreamParticipant], secondLegs: [StreamParticipant?], start: ClockPair, to path: String,
        events: (SendEvent) -> Void
    ) {
        let document = StatisticsFile.document(
            command: "send", startUnixNanoseconds: start.wall,
            tracks: zip(sessions, secondLegs).map { $0.statistics(start: start, secondLeg: $1) })
        if let reason = StatisticsFile.write(document, to: path) {
            events(.statisticsNotWritten(path: path, reason: reason))
        }
    }

}
