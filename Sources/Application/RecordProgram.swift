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
    /// No interface has this name or address.
    case noInterface(String)
    /// An output file exists already: never replaced.
    case outputExists(path: String)
    case outputNotCreated(path: String, reason: String)
    /// The --stats file cannot be written.
    case statisticsUnwritable(path: String, reason: String)
    /// SAP found none of the streams named (or none at all) in the time given.
    case notAnnounced(names: [String])
    /// Writing stopped (a full disk, an I/O error): the files are left valid with what was written.
    case writeFailed(path: String, reason: String)
    /// Nothing arrived: no file is left.
    case nothingReceived
    case thread(SystemError)
}

/// What happened while recording, in order, for the command line to tell.
public enum RecordEvent: Sendable {
    /// A stream announced with SAP: its name, who announced it, and whether it is recorded.
    case announced(name: String, origin: String, recorded: Bool)
    /// A track listens: its plan is decided and its file created.
    case listening(RecordTrackPlan)
    case receiver(ReceiverEvent)
    /// The take's time zero was fixed.
    case started(unixNanoseconds: Int64)
    case progress(RecordProgress)
    case statisticsNotWritten(path: String, reason: String)
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
}

/// One track's figures at one moment.
public struct RecordTrackProgress: Sendable {
    public var name: String
    public var sampleRate: Int
    public var received: Int
    public var lost: Int
    public var late: Int
    public var reordered: Int
    public var duplicated: Int
    public var unexpected: Int
    public var malformed: Int
    public var jitterMilliseconds: Double
    public var framesWritten: Int
    public var lostFrames: Int
    public var droppedFrames: Int
    /// The largest sample magnitude since the last progress, as a fraction of full scale (0...1).
    public var peak: Double
    public var segments: [SegmentSummary]
    public var driftPartsPerMillion: Double?
    public var senderName: String?
}

/// How the recording ended.
public struct RecordSummary: Sendable {
    public var ending: Recorder.Ending
    public var startUnixNanoseconds: Int64?
    public var files: [String]
}

/// `audiostreamer record`: read the descriptions, plan, bind every port, create the files, receive until the take
/// ends, and leave every file finished and valid.
public enum RecordProgram {
    public static func run(
        _ request: RecordRequest, environment: Environment, events: @escaping @Sendable (RecordEvent) -> Void,
        stop: StopSignal
    ) throws(RecordFailure) -> RecordSummary {
        var take = request.take
        let interface = try request.take.interface.map { name throws(RecordFailure) -> UInt32 in
            guard let index = NetworkInterface.index(name) else { throw .noInterface(name) }
            return index
        }
        let taiOffset = taiOffsetSeconds(ptp: PTPClient.status())
        take.streams = try streams(
            of: request.streams, interface: interface, taiOffsetSeconds: taiOffset, clock: environment.timeline,
            events: events)
        let plan: RecordingPlan
        do throws(PlanError) {
            // The CNAME's address: this host's on the way to the first stream's sender (a group's source filter
            // names it), or to its destination.
            let first = take.streams.first?.description
            let towards = [first?.sourceFilter?.address, first?.destination.address].compactMap {
                $0.flatMap(IPAddress.init)
            }
            let local =
                towards.lazy.compactMap { try? Resolver.route(towards: $0, interface: interface ?? 0).localAddress }
                .first ?? .loopback(.ipv4)
            plan = try RecordPlanner.plan(
                take, now: environment.clocks.wallNow(), userName: environment.userName, localAddress: local,
                taiOffsetSeconds: taiOffset)
        } catch {
            throw .plan(error, origin: nil)
        }
        if case .multichannel = plan.output {
            let formats = Set(plan.tracks.map { [$0.sampleRate, $0.format.encoding.byteCount] })
            guard formats.count == 1 else { throw .plan(.unusableStream(line: 0, .encoding("mixed")), origin: nil) }
        }

        // Every port bound before any file is created: a port in use leaves nothing behind.
        var sockets: [UDPSocket] = []
        var routes: [Recorder.Route] = []
        var reportSockets: [any DatagramSocket] = []
        for (index, track) in plan.tracks.enumerated() {
            let rtp = try bind(track.listen, track: track, interface: interface ?? 0, dscp: plan.dscp)
            sockets.append(rtp)
            routes.append(Recorder.Route(track: index, isRTCP: false))
            if let rtcpListen = track.rtcpListen {
                let rtcp = try bind(rtcpListen, track: track, interface: interface ?? 0, dscp: plan.dscp)
                sockets.append(rtcp)
                routes.append(Recorder.Route(track: index, isRTCP: true))
                reportSockets.append(rtcp)
            } else {
                reportSockets.append(rtp)
            }
        }
        let receiver: BatchReceiver
        do {
            receiver = try BatchReceiver(sockets: sockets)
        } catch {
            throw .network(error as? SystemError ?? SystemError("setsockopt", errno: 0))
        }

        // --stats refused before any file is made, not warned of while recording: its first version written now.
        if let path = request.statisticsPath {
            do {
                try FileSystem.writeAtomically(Array(#"{"tracks": []}"#.utf8) + [10], to: path)
            } catch {
                throw .statisticsUnwritable(path: path, reason: "\(error)")
            }
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
        // Every file as long as the longest: a DAW lines them up from their first sample, and ends them together.
        let longest = receivers.map(\.written).max() ?? 0
        for track in receivers { track.pad(to: longest) }
        if let start = recorder.timeline.start {
            writer.pendingBroadcast.withLock { $0 = broadcasts(for: plan, start: start.unixNanoseconds) }
        }
        writer.finish()
        if let failure = writer.failure.withLock({ $0 }) {
            throw .writeFailed(path: failure.path, reason: failure.reason)
        }
        if receivers.allSatisfy({ $0.lastArrival == nil }) {
            removeAll(paths)
            throw .nothingReceived
        }
        for track in receivers {
            guard let drift = track.driftPartsPerMillion else { continue }
            let samples = drift * Double(track.written) / 1e6
            if abs(samples) > 1 {
                events(.drift(track: track.reception.name, partsPerMillion: drift, samples: samples))
            }
        }
        let summary = RecordSummary(
            ending: ending, startUnixNanoseconds: recorder.timeline.start?.unixNanoseconds, files: paths)
        events(.finished(summary))
        return summary
    }

    /// The streams the request describes, read from their files.
    static func streams(
        of streams: RecordRequest.Streams, interface: UInt32?, taiOffsetSeconds: Int, clock: MonotonicTimeline,
        events: (RecordEvent) -> Void
    ) throws(RecordFailure) -> [RecordTake.Stream] {
        switch streams {
        case .sap(let names, let wait, let group):
            return try announcedStreams(
                names: names, waitSeconds: wait, group: group, interface: interface, clock: clock, events: events)
        case .plain(let description):
            return [RecordTake.Stream(description: description, origin: "the options")]
        case .takeFile(let path):
            let file: TakeFile
            do throws(TakeFiles.Problem) {
                file = try TakeFiles.read(path)
            } catch {
                switch error {
                case .unreadable(let reason): throw .descriptionUnreadable(path: path, reason: reason)
                case .invalid(let error): throw .takeFile(path: path, error)
                }
            }
            do throws(PlanError) {
                return try RecordPlanner.streams(
                    of: file, path: path, taiOffsetSeconds: taiOffsetSeconds)
            } catch {
                throw .plan(error, origin: path)
            }
        case .sdpFiles(let paths):
            var all: [RecordTake.Stream] = []
            for path in paths {
                let bytes = try readSmallFile(path)
                let document: SDPDocument
                do throws(SDPError) {
                    document = try SDPDocument(parsing: bytes)
                } catch {
                    throw .description(path: path, error)
                }
                let found: [StreamDescription]
                do throws(PlanError) {
                    found = try StreamDescription.streams(in: document)
                } catch {
                    throw .plan(error, origin: path)
                }
                guard !found.isEmpty else { throw .plan(.noStreams, origin: path) }
                for (index, stream) in found.enumerated() {
                    let line = document.mediaLines[
                        document.description.media.indices.filter {
                            document.description.media[$0].media == "audio"
                        }[index]]
                    all.append(RecordTake.Stream(description: stream, origin: "\(path):\(line)"))
                }
            }
            return all
        }
    }

    /// Listens for SAP announcements (239.255.255.255:9875, or the group given) for `waitSeconds`, or until every
    /// stream named has been heard; returns the streams named (by `s=` or `i=`), or every one heard.
    static func announcedStreams(
        names: [String], waitSeconds: Int, group: String?, interface: UInt32?, clock: MonotonicTimeline,
        events: (RecordEvent) -> Void
    ) throws(RecordFailure) -> [RecordTake.Stream] {
        let address: IPAddress
        if let group {
            guard let parsed = IPAddress(group), parsed.isMulticast else { throw .plan(.noStreams, origin: group) }
            address = parsed
        } else {
            address = SAPGroup.ipv4
        }
        let socket: UDPSocket
        do {
            socket = try UDPSocket(family: address.family)
            try socket.bind(to: Endpoint(address: address, port: SAPPacket.port))
            try socket.join(group: address, source: nil, interface: interface ?? 0)
        } catch {
            throw .portUnavailable(port: SAPPacket.port, error as? SystemError ?? SystemError("bind", errno: 0))
        }
        let deadline = clock.now() + Int64(waitSeconds) * 1_000_000_000
        var heard: [String: (text: String, origin: String)] = [:]
        var order: [String] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let waiter = SocketPoller([socket])
        func wanted(_ document: SDPDocument) -> Bool {
            names.isEmpty || names.contains(document.description.sessionName)
                || document.description.media.contains { $0.information.map(names.contains) ?? false }
        }
        func complete() -> Bool {
            !names.isEmpty
                && names.allSatisfy { name in
                    heard.values.contains { entry in
                        (try? SDPDocument(parsing: entry.text)).map { document in
                            document.description.sessionName == name
                                || document.description.media.contains { $0.information == name }
                        } ?? false
                    }
                }
        }
        while clock.now() < deadline && !complete() {
            guard waiter.wait(milliseconds: Int(min(100, (deadline - clock.now()) / 1_000_000 + 1))) else { continue }
            while let (count, source) = buffer.withUnsafeMutableBytes({ socket.receiveNow(into: $0) }) {
                // One session, one entry: a new version (another hash) replaces the one heard before.
                guard let packet = try? SAPPacket(parsing: Array(buffer.prefix(count))), let key = packet.sessionKey
                else { continue }
                switch packet.kind {
                case .deletion: heard[key] = nil
                case .announcement:
                    // Bounded whatever the network sends: at most a thousand sessions are kept.
                    guard heard[key]?.text != packet.payload, heard[key] != nil || heard.count < 1000,
                        let document = try? SDPDocument(parsing: packet.payload)
                    else { continue }
                    if heard[key] == nil { order.append(key) }
                    heard[key] = (packet.payload, "SAP from \(source.address)")
                    events(
                        .announced(
                            name: document.description.sessionName, origin: "\(source.address)",
                            recorded: wanted(document)))
                }
            }
        }
        var found: [RecordTake.Stream] = []
        for key in order {
            guard let entry = heard[key], let document = try? SDPDocument(parsing: entry.text), wanted(document),
                let streams = try? StreamDescription.streams(in: document)
            else { continue }
            found += streams.map { RecordTake.Stream(description: $0, origin: entry.origin) }
        }
        guard !found.isEmpty else { throw .notAnnounced(names: names) }
        return found
    }

    /// A text file of at most a megabyte (an SDP, a take file), whole.
    static func readSmallFile(_ path: String) throws(RecordFailure) -> [UInt8] {
        do {
            return try FileSystem.readFile(path, limit: 1 << 20)
        } catch {
            throw .descriptionUnreadable(path: path, reason: "\(error)")
        }
    }

    /// A socket bound to `endpoint`, joined to the track's multicast group, its reports marked with `dscp`. A
    /// unicast port is not shared (a port in use fails); a group's is, as every multicast receiver on a host shares it
    /// (ffmpeg and GStreamer set SO_REUSEADDR for groups too).
    static func bind(_ endpoint: Endpoint, track: RecordTrackPlan, interface: UInt32, dscp: Int) throws(RecordFailure)
        -> UDPSocket
    {
        let socket: UDPSocket
        do {
            socket = try UDPSocket(family: endpoint.family)
            try socket.bind(to: endpoint, reusingAddress: track.multicastGroup != nil)
        } catch {
            throw .portUnavailable(port: endpoint.port, error as? SystemError ?? SystemError("bind", errno: 0))
        }
        do {
            try socket.setDSCP(dscp)
            if let group = track.multicastGroup {
                try socket.join(group: group, source: track.multicastSource, interface: interface)
            }
        } catch {
            throw .network(error as? SystemError ?? SystemError("setsockopt", errno: 0))
        }
        return socket
    }

    /// The jitter buffer of a track: twice the latency (a packet may come a latency early as well as late) and room
    /// for the first sender report's wait, at least half a second.
    static func capacity(of track: RecordTrackPlan) -> Int {
        max(3 * track.latencyFrames, track.sampleRate / 2) + 8 * track.stream.framesPerPacket
    }

    /// Creates the output folder and every file (never replacing one), with an empty WAV in each.
    static func createFiles(for plan: RecordingPlan, clock: MonotonicTimeline) throws(RecordFailure) -> (
        RecordWriter, [RingOutput], [String]
    ) {
        let placeholder = broadcasts(for: plan, start: clock.clocks.wallNow())
        var created: [String] = []
        func fail(_ failure: RecordFailure) -> RecordFailure {
            removeAll(created)
            return failure
        }
        // A second of audio between the receive thread and the disk (the writer empties it every 10 ms).
        let outputs = plan.tracks.map {
            RingOutput(capacity: max(1 << 16, $0.sampleRate * $0.format.bytesPerFrame), clock: clock)
        }
        var files: [RecordWriter.File] = []
        switch plan.output {
        case .directory(let folder):
            do {
                try FileSystem.createDirectory(folder)
            } catch {
                throw .outputNotCreated(path: folder, reason: "\(error)")
            }
            for (index, track) in plan.tracks.enumerated() {
                let file = try create(track.path, format: track.format, broadcast: placeholder[index], fail: fail)
                created.append(track.path)
                files.append(RecordWriter.File(path: track.path, ring: outputs[index].ring, writer: file, parts: []))
            }
        case .multichannel(let path):
            guard let first = plan.tracks.first else { throw .plan(.noStreams, origin: nil) }
            let channels = plan.tracks.reduce(0) { $0 + $1.stream.channelCount }
            let format = PCMFormat(
                encoding: first.format.encoding, channelCount: channels, sampleRate: first.sampleRate)
            let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            if !folder.isEmpty {
                do {
                    try FileSystem.createDirectory(folder)
                } catch {
                    throw .outputNotCreated(path: folder, reason: "\(error)")
                }
            }
            let file = try create(path, format: format, broadcast: placeholder[0], fail: fail)
            created.append(path)
            files.append(
                RecordWriter.File(
                    path: path, ring: outputs[0].ring, writer: file,
                    parts: zip(outputs, plan.tracks).map { ($0.ring, $1.format.bytesPerFrame) }))
        }
        return (RecordWriter(files: files, clock: clock), outputs, created)
    }

    static func create(
        _ path: String, format: PCMFormat, broadcast: BroadcastExtension, fail: (RecordFailure) -> RecordFailure
    ) throws(RecordFailure) -> WAVWriter {
        if FileSystem.exists(path) { throw fail(.outputExists(path: path)) }
        do {
            return try WAVWriter(sink: try NewFile(creating: path), format: format, broadcast: broadcast)
        } catch {
            throw fail(.outputNotCreated(path: path, reason: "\(error)"))
        }
    }

    /// Each file's `bext`: the take's start as its time reference.
    static func broadcasts(for plan: RecordingPlan, start: Int64) -> [BroadcastExtension] {
        let formats: [PCMFormat]
        switch plan.output {
        case .directory: formats = plan.tracks.map(\.format)
        case .multichannel:
            let first = plan.tracks[0].format
            formats = [
                PCMFormat(
                    encoding: first.encoding, channelCount: plan.tracks.reduce(0) { $0 + $1.stream.channelCount },
                    sampleRate: first.sampleRate)
            ]
        }
        return formats.enumerated().map { index, format in
            let name = formats.count == 1 && plan.tracks.count > 1 ? "take" : plan.tracks[index].name
            return BroadcastExtension(
                description: name, originator: "audiostreamer", startUnixNanoseconds: start,
                sampleRate: format.sampleRate, format: format)
        }
    }

    static func removeAll(_ paths: [String]) {
        for path in paths { FileSystem.remove(path) }
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
        var announced = false
        var drops = 0
        while !done.isStopped {
            clocks.sleep(untilMonotonic: min(nextStatus, clocks.monotonicNow() + 20_000_000))
            if writer.failed.load(ordering: .relaxed)
                || outputs.contains(where: { $0.overflowed.load(ordering: .relaxed) })
            {
                recorder.outputFailed.store(true, ordering: .relaxed)
            }
            let now = clocks.monotonicNow()
            guard now >= nextStatus else { continue }
            nextStatus += 500_000_000
            let elapsed = Double(now - began) / 1e9
            let state = job.snapshot()
            if !announced, let start = state.start {
                announced = true
                events(.started(unixNanoseconds: start))
                writer.pendingBroadcast.withLock { $0 = broadcasts(for: plan, start: start) }
            }
            let kernel = recorder.kernelDrops.load(ordering: .relaxed)
            if kernel > drops {
                drops = kernel
                events(.kernelDrops(kernel))
            }
            events(.progress(progress(of: recorder, state: state, elapsed: elapsed, final: false)))
            if let path = request.statisticsPath, now >= nextStatistics {
                writeStatistics(recorder, state: state, to: path, events: events)
                nextStatistics = now + 2_000_000_000
            }
        }
        thread.join()
        let state = job.snapshot()
        if !announced, let start = state.start { events(.started(unixNanoseconds: start)) }
        if let path = request.statisticsPath { writeStatistics(recorder, state: state, to: path, events: events) }
        events(
            .progress(
                progress(of: recorder, state: state, elapsed: Double(clocks.monotonicNow() - began) / 1e9, final: true))
        )
        return ending.withLock { $0 }
    }

    /// Every track's figures; `takingPeak` resets each peak meter (the status line's), else it is only read.
    static func progress(
        of recorder: Recorder, state: RecorderJob.State, elapsed: Double, final: Bool, takingPeak: Bool = true
    ) -> RecordProgress {
        RecordProgress(
            elapsedSeconds: elapsed, isFinal: final,
            tracks: zip(recorder.tracks, state.tracks).map { track, shared in
                let counters = track.counters
                let fullScale = Double(Int32(1) << (track.reception.encoding.bytesPerSample * 8 - 1))
                return RecordTrackProgress(
                    name: track.reception.name, sampleRate: track.reception.sampleRate,
                    received: counters.received.load(ordering: .relaxed), lost: counters.lost,
                    late: counters.late.load(ordering: .relaxed),
                    reordered: counters.reordered.load(ordering: .relaxed),
                    duplicated: counters.duplicated.load(ordering: .relaxed),
                    unexpected: counters.unexpected.load(ordering: .relaxed),
                    malformed: counters.malformed.load(ordering: .relaxed),
                    jitterMilliseconds: Double(counters.jitterMicroseconds.load(ordering: .relaxed)) / 1000,
                    framesWritten: counters.framesWritten.load(ordering: .relaxed),
                    lostFrames: counters.lostFrames.load(ordering: .relaxed),
                    droppedFrames: counters.droppedFrames.load(ordering: .relaxed),
                    peak: Double(takingPeak ? counters.takePeak() : counters.peak.load(ordering: .relaxed)) / fullScale,
                    segments: shared.segments,
                    driftPartsPerMillion: shared.drift, senderName: shared.senderName)
            })
    }

    /// The statistics of the take and every track, as one JSON document, written atomically.
    static func writeStatistics(
        _ recorder: Recorder, state: RecorderJob.State, to path: String, events: (RecordEvent) -> Void
    ) {
        let progress = progress(of: recorder, state: state, elapsed: 0, final: false, takingPeak: false)
        let tracks = progress.tracks.map { track -> JSONValue in
            .object([
                ("track", .string(track.name)),
                ("sender_cname", track.senderName.map(JSONValue.string) ?? .null),
                ("sample_rate", .integer(track.sampleRate)),
                ("received", .integer(track.received)),
                ("lost", .integer(track.lost)),
                ("late", .integer(track.late)),
                ("reordered", .integer(track.reordered)),
                ("duplicated", .integer(track.duplicated)),
                ("unexpected", .integer(track.unexpected)),
                ("malformed", .integer(track.malformed)),
                ("jitter_ms", .number(DecimalText.fixed(track.jitterMilliseconds, digits: 3))),
                ("frames_written", .integer(track.framesWritten)),
                ("lost_frames", .integer(track.lostFrames)),
                ("dropped_frames", .integer(track.droppedFrames)),
                ("offset_frames", track.segments.first.map { .integer($0.position) } ?? .null),
                ("drift_ppm", track.driftPartsPerMillion.map { .number(DecimalText.fixed($0, digits: 3)) } ?? .null),
                (
                    "segments",
                    .array(
                        track.segments.map { segment in
                            .object([
                                ("ssrc", .integer(segment.ssrc)), ("position_frames", .integer(segment.position)),
                                ("mapping", .string(mappingName(segment.mapping))),
                            ])
                        })
                ),
            ])
        }
        let document = JSONValue.object([
            ("start_unix_ns", state.start.map { .integer($0) } ?? .null),
            ("kernel_drops", .integer(recorder.kernelDrops.load(ordering: .relaxed))),
            ("rtcp_malformed", .integer(recorder.malformedRTCP.load(ordering: .relaxed))),
            ("tracks", .array(tracks)),
        ])
        do {
            try FileSystem.writeAtomically(Array((document.rendered + "\n").utf8), to: path)
        } catch {
            events(.statisticsNotWritten(path: path, reason: "\(error)"))
        }
    }

    public static func mappingName(_ mapping: MappingSource) -> String {
        switch mapping {
        case .mediaClock: "mediaclk"
        case .senderReports: "sender reports"
        case .arrival: "arrival"
        }
    }
}

/// The receive thread's recorder, and a copy of what other threads may read of it, refreshed by that thread.
final class RecorderJob: @unchecked Sendable {
    // @unchecked: `recorder` belongs to the receive thread; others read only `shared`, behind a Mutex.
    struct State: Sendable {
        var start: Int64?
        var tracks: [(segments: [SegmentSummary], drift: Double?, senderName: String?)]
    }

    let recorder: Recorder
    private let shared: Mutex<State>

    init(recorder: Recorder) {
        self.recorder = recorder
        shared = Mutex(State(start: nil, tracks: recorder.tracks.map { _ in ([], nil, nil) }))
    }

    func snapshot() -> State { shared.withLock { $0 } }

    /// Called by the receive thread between batches.
    func publish() {
        let state = State(
            start: recorder.timeline.start?.unixNanoseconds,
            tracks: recorder.tracks.map { ($0.summaries, $0.driftPartsPerMillion, $0.senderName) })
        shared.withLock { $0 = state }
    }
}
