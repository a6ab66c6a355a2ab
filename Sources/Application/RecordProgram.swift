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

/// `audiostreamer record`: read the descriptions, plan, bind every port, create the files, receive until the take
/// ends, and leave every file finished and valid.
public enum RecordProgram {
    public static func run(
        _ request: RecordRequest, environment: Environment, events: @escaping @Sendable (RecordEvent) -> Void,
        stop: StopSignal
    ) throws(RecordFailure) -> RecordSummary {
        var take = request.take
        let interface = try request.take.interface.map { name throws(RecordFailure) -> UInt32 in
            guard let index = environment.network.interfaceIndex(name) else { throw .noInterface(name) }
            return index
        }
        let secondInterface = try request.take.redundantInterface.map { name throws(RecordFailure) -> UInt32 in
            guard let index = environment.network.interfaceIndex(name) else {
                throw .noInterface(name, secondLeg: true)
            }
            return index
        }
        // What this host can verify of the reference clocks the descriptions name: its own synchronisation, and
        // the grandmaster ptp4l follows here, if one runs.
        let ptp = PTPClient.status(socketPath: request.ptpSocket, domain: request.ptpDomain)
        let taiOffset = taiOffsetSeconds(ptp: ptp)
        let hostClock = HostClock(
            synchronized: environment.clockSync.read()?.isSynchronized ?? false, ptpReferenceClock: ptp?.referenceClock)
        take.streams = try streams(
            of: request.streams, interface: interface, taiOffsetSeconds: taiOffset, environment: environment,
            start: &take.start, events: events)
        let plan: RecordingPlan
        do throws(PlanError) {
            // The CNAME's address: this host's on the way to the first stream's sender (a group's source filter
            // names it), or to its destination.
            let first = take.streams.first?.description
            let towards = [first?.sourceFilter?.address, first?.destination.address].compactMap {
                $0.flatMap(IPAddress.init)
            }
            let local =
                towards.lazy.compactMap {
                    try? environment.network.route(towards: $0, interface: interface ?? 0).localAddress
                }
                .first ?? .loopback(.ipv4)
            plan = try RecordPlanner.plan(
                take, now: environment.clocks.wallNow(), userName: environment.userName, localAddress: local,
                taiOffsetSeconds: taiOffset, hostClock: hostClock)
        } catch {
            throw .plan(error, origin: nil)
        }
        if case .multichannel = plan.output {
            let formats = Set(plan.tracks.map { [$0.sampleRate, $0.format.encoding.byteCount] })
            guard formats.count == 1 else { throw .plan(.unusableStream(line: 0, .encoding("mixed")), origin: nil) }
        }

        // Every port bound before any file is created: a port in use leaves nothing behind.
        var sockets: [any DatagramSocket] = []
        var routes: [Recorder.Route] = []
        var reportSockets: [any DatagramSocket] = []
        func bind(_ endpoint: Endpoint, leg: RecordLeg, interface: UInt32?) throws(RecordFailure)
            -> any DatagramSocket
        {
            try listen(
                endpoint, group: leg.multicastGroup, source: leg.multicastSource, dscp: plan.dscp,
                interface: interface ?? 0, network: environment.network)
        }
        for (index, track) in plan.tracks.enumerated() {
            // The first leg on --interface; an ST 2022-7 stream's second on --redundant-interface.
            let legs = [(track.firstLeg, interface)] + (track.secondLeg.map { [($0, secondInterface)] } ?? [])
            for (number, (leg, legInterface)) in legs.enumerated() {
                let rtp = try bind(leg.listen, leg: leg, interface: legInterface)
                sockets.append(rtp)
                routes.append(Recorder.Route(track: index, isRTCP: false, leg: number))
                if let rtcpListen = leg.rtcpListen {
                    let rtcp = try bind(rtcpListen, leg: leg, interface: legInterface)
                    sockets.append(rtcp)
                    routes.append(Recorder.Route(track: index, isRTCP: true, leg: number))
                    if number == 0 { reportSockets.append(rtcp) }
                } else if number == 0 {
                    reportSockets.append(rtp)
                }
            }
        }
        let receiver: any DatagramBatchReceiving
        do {
            receiver = try environment.network.batchReceiver(sockets)
        } catch {
            throw .network(error as? SystemError ?? SystemError("setsockopt", errno: 0))
        }

        // --stats refused before any file is made, not warned of while recording: its first version written now.
        if let path = request.statisticsPath,
            let reason = StatisticsFile.write(
                StatisticsFile.document(command: "record", startUnixNanoseconds: nil, tracks: []), to: path)
        {
            throw .statisticsUnwritable(path: path, reason: reason)
        }
        let (writer, outputs, paths) = try createFiles(for: plan, clock: environment.timeline)
        let receivers = zip(plan.tracks, outputs).map { track, output in
            TrackReceiver(
                reception: TrackReception(track, taiOffsetSeconds: plan.taiOffsetSeconds), output: output,
                capacity: capacity(of: track),
                frameLimit: plan.durationNanoseconds.map {
                    Int64(MediaTime.frames(nanoseconds: $0, sampleRate: track.sampleRate))
                })
        }
        for track in plan.tracks { events(.listening(track)) }
        let recorder = Recorder(
            tracks: receivers, settings: RecorderSettings(plan), routes: routes, receiver: receiver,
            reportSockets: reportSockets,
            random: environment.random())
        // --report: each track's arrival analysed as `analyze` does, from the datagrams the recorder takes in.
        let analyzers = request.reportPath == nil ? [] : plan.tracks.map { StreamAnalyzer($0.stream) }
        if !analyzers.isEmpty {
            recorder.tap = { track, leg, isRTCP, bytes, arrival in
                if isRTCP {
                    analyzers[track].takeControl(Array(bytes))
                } else {
                    analyzers[track].take(bytes, arrival: arrival, leg: leg)
                }
            }
        }
        do throws(SystemError) {
            try writer.start()
        } catch {
            removeAll(paths)
            throw .thread(error)
        }
        let ending = try receive(
            recorder, plan: plan, outputs: outputs, writer: writer, request: request, environment: environment,
            events: events,
            stop: stop)
        if let path = request.reportPath {
            writeReport(recorder, analyzers: analyzers, plan: plan, to: path, events: events)
        }
        // Every file as long as the longest: a DAW lines them up from their first sample, and ends them together.
        let longest = receivers.map(\.writtenNanoseconds).max() ?? 0
        for track in receivers { track.pad(to: longest) }
        if let start = recorder.timeline.start {
            writer.pendingStart.withLock { $0 = start.unixNanoseconds }
        }
        writer.finish()
        if let failure = writer.failure.withLock({ $0 }) {
            throw .writeFailed(path: failure.path, reason: failure.reason)
        }
        // A failed output is never a success: the disk (or the writer) fell a second behind.
        if ending == .outputFailed, let index = outputs.firstIndex(where: { $0.overflowed.load(ordering: .relaxed) }) {
            let path: String
            switch plan.output {
            case .directory: path = plan.tracks[index].paths.joined(separator: ", ")
            case .multichannel(let file): path = file
            }
            throw .writeFailed(path: path, reason: "the writer fell more than a second behind the stream")
        }
        let unusable = receivers.compactMap { track -> UnusableTrack? in
            if let mismatch = track.formatMismatch {
                return UnusableTrack(name: track.reception.name, reason: .format(mismatch))
            }
            let counters = track.counters
            let received = counters.received.load(ordering: .relaxed)
            if received > 0 && counters.heardFrames.load(ordering: .relaxed) == 0 {
                return UnusableTrack(
                    name: track.reception.name,
                    reason: .outsideTake(received: received, dropped: counters.droppedFrames.load(ordering: .relaxed)))
            }
            guard track.lastArrival == nil, let heard = track.heardPayloadType else { return nil }
            return UnusableTrack(
                name: track.reception.name, reason: .payloadType(described: track.reception.payloadType, heard: heard))
        }
        if !unusable.isEmpty {
            // No scrambled or empty file is left for them; the other tracks' files stay as recorded.
            if unusable.count == receivers.count {
                removeAll(paths)
            } else if case .directory = plan.output {
                let names = Set(unusable.map(\.name))
                for track in plan.tracks where names.contains(track.name) { track.paths.forEach(FileSystem.remove) }
            }
            throw .unusableTracks(unusable)
        }
        if receivers.allSatisfy({ $0.lastArrival == nil }) {
            removeAll(paths)
            throw .nothingReceived(
                listenedOn: plan.tracks.map { track in
                    track.multicastGroup.map { "group \($0) port \(track.listen.port)" } ?? "port \(track.listen.port)"
                })
        }
        for track in receivers {
            guard let drift = track.driftPartsPerMillion else { continue }
            let samples = drift * Double(track.written) / 1e6
            if abs(samples) > 1 {
                events(.drift(track: track.reception.name, partsPerMillion: drift, samples: samples))
            }
        }
        let summary = RecordSummary(
            ending: ending, startUnixNanoseconds: recorder.timeline.start?.unixNanoseconds,
            files: paths.filter { !FileSystem.isDirectory($0) })
        events(.finished(summary))
        return summary
    }

    /// A text file of at most a megabyte (an SDP, a take file), whole.
    static func readSmallFile(_ path: String) throws(RecordFailure) -> [UInt8] {
        do {
            return try FileSystem.readFile(path, limit: 1 << 20)
        } catch {
            throw .descriptionUnreadable(path: path, reason: "\(error)")
        }
    }

    /// A socket bound to `endpoint`, joined to `group` (from `source` where given), its reports marked with
    /// `dscp`: a port that cannot be bound is said as such.
    static func listen(
        _ endpoint: Endpoint, group: IPAddress?, source: IPAddress?, dscp: Int?, interface: UInt32,
        network: any Network
    ) throws(RecordFailure) -> any DatagramSocket {
        do {
            return try network.openListening(
                endpoint, group: group, source: source, interface: interface, dscp: dscp)
        } catch ListenFailure.bind(let error) {
            throw .portUnavailable(port: endpoint.port, error)
        } catch ListenFailure.configure(let error) {
            throw .network(error)
        } catch {
            throw .network(error as? SystemError ?? SystemError("socket", errno: 0))
        }
    }

    /// The jitter buffer of a track: twice the latency (a packet may come a latency early as well as late) and room
    /// for the first sender report's wait, at least half a second.
    static func capacity(of track: RecordTrackPlan) -> Int {
        max(3 * track.latencyFrames, track.sampleRate / 2) + 8 * track.stream.framesPerPacket
    }

    /// Runs the receive thread until the take ends, reporting progress and statistics from this one.
    static func receive(
        _ recorder: Recorder, plan: RecordingPlan, outputs: [RingOutput], writer: RecordWriter, request: RecordRequest,
        environment: Environment, events: @escaping @Sendable (RecordEvent) -> Void, stop: StopSignal
    ) throws(RecordFailure) -> Recorder.Ending {
        let done = StopSignal()
        let ending = Mutex<Recorder.Ending>(.stopped)
        let job = RecorderJob(recorder: recorder)
        let thread: OSThread
        do throws(SystemError) {
            thread = try OSThread {
                let end = job.recorder.run(
                    clocks: environment.clocks, stop: stop, events: { events(.receiver($0)) },
                    publish: { job.publish() })
                ending.withLock { $0 = end }
                done.stop()
            }
        } catch {
            throw .thread(error)
        }
        let clocks = environment.clocks
        let began = clocks.monotonicNow()
        var nextStatus = began + 500_000_000
        var nextStatistics = began
        var monitor = RecordMonitor()
        func look(final: Bool) {
            let state = job.snapshot()
            let elapsed = Double(clocks.monotonicNow() - began) / 1e9
            let told = monitor.events(
                start: state.start, kernelDrops: recorder.kernelDrops.load(ordering: .relaxed),
                progress: progress(of: recorder, state: state, elapsed: elapsed, final: final))
            for event in told {
                // Once time zero is known, every file's broadcast extension can say it.
                if !final, case .started(let start) = event {
                    writer.pendingStart.withLock { $0 = start }
                }
                if case .progress = event, let path = request.statisticsPath,
                    final || clocks.monotonicNow() >= nextStatistics
                {
                    writeStatistics(recorder, state: state, to: path, events: events)
                    nextStatistics = clocks.monotonicNow() + StatisticsFile.intervalNanoseconds
                }
                events(event)
            }
        }
        while !done.isStopped {
            clocks.sleep(untilMonotonic: min(nextStatus, clocks.monotonicNow() + 20_000_000))
            if writer.failed.load(ordering: .relaxed)
                || outputs.contains(where: { $0.overflowed.load(ordering: .relaxed) })
            {
                recorder.outputFailed.store(true, ordering: .relaxed)
            }
            guard clocks.monotonicNow() >= nextStatus else { continue }
            nextStatus += 500_000_000
            look(final: false)
        }
        thread.join()
        look(final: true)
        return ending.withLock { $0 }
    }

}
