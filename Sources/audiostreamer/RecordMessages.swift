import Application

/// The words of `record`.
struct RecordMessages: Sendable {
    let arguments: RecordArguments
    let terminal: Bool
    /// The terminal's rows, read at each drawing (nil: not a terminal).
    let rows: @Sendable () -> Int?

    init(arguments: RecordArguments, terminal: Bool, rows: @escaping @Sendable () -> Int? = { nil }) {
        self.arguments = arguments
        self.terminal = terminal
        self.rows = rows
    }

    func failure(_ failure: RecordFailure) -> (line: String, code: Int32) {
        switch failure {
        case .descriptionUnreadable(let path, let reason):
            ("\(Printable.text(path)): \(Printable.text(reason))", ExitCode.noInput)
        case .description(let path, let error): ("\(Printable.text(path)): \(error)", ExitCode.dataError)
        case .takeFile(let path, let error):
            ("\(Printable.text(path)): \(SendMessages.takeFile(error))", ExitCode.dataError)
        case .plan(let error, let origin): plan(error, origin: origin)
        case .portUnavailable(let port, let error): ("port \(port): \(error)", ExitCode.unavailable)
        case .network(let error): ("network: \(error)", ExitCode.osError)
        case .noInterface(let name, let second):
            (
                "\(second ? "--redundant-interface" : "--interface") \(Printable.text(name)): no interface has this name or address",
                ExitCode.usage
            )
        case .outputExists(let path):
            (
                "\(Printable.text(path)) exists already; record into another folder or move it away",
                ExitCode.cannotCreate
            )
        case .outputNotCreated(let path, let reason):
            ("\(Printable.text(path)): cannot create: \(Printable.text(reason))", ExitCode.cannotCreate)
        case .writeFailed(let path, let reason):
            (
                "\(Printable.text(path)): writing stopped: \(Printable.text(reason)); the files hold what was written",
                ExitCode.ioError
            )
        case .unusableTracks(let tracks):
            (
                tracks.map { "\(Printable.text($0.name)): \(Self.unusable($0.reason))" }.joined(separator: "; ")
                    + "; nothing of \(tracks.count == 1 ? "it" : "them") is recorded",
                ExitCode.dataError
            )
        case .nothingReceived(let listened):
            (
                "nothing was received on \(listened.map(Printable.text).joined(separator: ", ")); no file is left",
                ExitCode.unavailable
            )
        case .statisticsUnwritable(let path, let reason):
            ("--stats \(Printable.text(path)): cannot be written: \(Printable.text(reason))", ExitCode.cannotCreate)
        case .notAnnounced(let names):
            (
                names.isEmpty
                    ? "--sap: no stream was announced within --sap-wait"
                    : "--sap: not announced within --sap-wait: \(names.joined(separator: ", "))", ExitCode.unavailable
            )
        case .thread(let error): ("\(error)", ExitCode.osError)
        }
    }

    func plan(_ error: PlanError, origin: String?) -> (line: String, code: Int32) {
        let file = origin ?? "the options"
        switch error {
        case .unusableStream(let line, let problem):
            let place = line > 0 ? "\(Printable.text(file)):\(line)" : file
            return ("\(place): \(Self.problem(problem))", ExitCode.dataError)
        case .noStreams: return ("\(Printable.text(file)): no audio stream to record", ExitCode.dataError)
        case .portInUseTwice(let port):
            return ("two streams to record use port \(port); a port carries one stream", ExitCode.usage)
        case .conflictingDescriptions(let port, let first, let second):
            return (
                "\(Printable.text(first)) and \(Printable.text(second)) describe the stream on port \(port) differently (format, payload type, packet time or RTCP); give one",
                ExitCode.dataError
            )
        case .remoteTrackUndeclared(let track, _):
            return (
                "\(Printable.text(file)): track '\(Printable.text(track))' needs encoding (L16/L24), sample_rate and channels to be recorded",
                ExitCode.dataError
            )
        case .portOutOfRange(_, let base, let slot):
            return ("\(Printable.text(file)): port \(base) leaves no room for track \(slot + 1)", ExitCode.dataError)
        default: return ("\(Printable.text(file)): \(error)", ExitCode.dataError)
        }
    }

    static func problem(_ problem: StreamProblem) -> String {
        switch problem {
        case .noConnection: "the stream has no c= line, at media or session level"
        case .transport(let transport):
            "transport \(Printable.text(transport)): only RTP/AVP (unencrypted RTP) can be recorded"
        case .encoding(let map): "payload \(Printable.text(map)): only L16 and L24 can be recorded"
        case .noRTPMap(let type): "payload type \(type) has no a=rtpmap"
        case .malformedAttribute(let name): "a=\(Printable.text(name)) is malformed"
        case .disabled: "the stream's port is 0 (switched off)"
        case .duplication(let group, let why):
            switch why {
            case .unknownMid(let mid):
                "a=group:\(Printable.text(group)) names mid \(Printable.text(mid)), which no audio section has"
            case .legCount(let count):
                "a=group:\(Printable.text(group)) has \(count) legs; ST 2022-7 streams are received on two"
            case .legsDiffer:
                "a=group:\(Printable.text(group)): its legs differ in payload type, format or packet time, so they are not copies of one stream"
            }
        }
    }

    /// `--verbose` on a terminal, a progress event is drawn as meters in place (`Console.redraw`), not as lines.
    func meters(_ event: RecordEvent) -> [String]? {
        guard terminal && arguments.verbose, case .progress(let progress) = event, !progress.isFinal else { return nil }
        return LevelMeters.lines(progress.tracks, elapsedSeconds: progress.elapsedSeconds, rows: rows() ?? 24)
    }

    func lines(_ event: RecordEvent) -> String {
        switch event {
        case .ignoredAttribute(let origin, let attribute):
            return
                "note: \(Printable.text(origin)): \(Printable.text(attribute)) says nothing; ignored, the packet time is what the stream carries\n"
        case .listening(let track):
            var rtcp = track.rtcpListen.map { "RTCP on \($0.port)" } ?? "RTCP on the same port"
            if let leg = track.secondLeg {
                rtcp +=
                    "; its second leg (ST 2022-7) on \(leg.multicastGroup.map { "group \($0) " } ?? "")port \(leg.listen.port)"
            }
            let clock =
                switch track.clock {
                case .direct(let offset, let timescale, let verified):
                    "placed by its media clock (direct=\(offset), \(timescale == .tai ? "PTP/TAI" : "UTC")\(verified ? ", verified here" : ", unless its sender reports or its arrival say otherwise"))"
                case .sendersOwn(let offset):
                    "placed by its sender reports (else by its arrival); its media clock (direct=\(offset)) counts the sender's own clock, compared with its reports only"
                case .senderReports: "placed by its sender reports (else by its arrival)"
                }
            return
                "\(Printable.text(track.name)): \(track.stream.encoding.name) \(track.sampleRate) Hz \(track.stream.channelCount) ch, PT \(track.stream.payloadType) on port \(track.listen.port) (\(rtcp)), \(clock) -> \(track.paths.map(Printable.text).joined(separator: ", "))\n"
        case .receiver(let event): return receiver(event)
        case .announced(let name, let origin, let recorded):
            return
                "sap: \(Printable.quoted(name)) announced by \(Printable.text(origin))\(recorded ? "" : " (not recorded: not named)")\n"
        case .started(let start): return "take: time zero \(CivilDate.iso8601(unixNanoseconds: start))\n"
        case .progress(let progress): return self.progress(progress)
        case .statisticsNotWritten(let path, let reason):
            return "warning: --stats \(Printable.text(path)): \(Printable.text(reason))\n"
        case .reportNotWritten(let path, let reason):
            return "warning: --report \(Printable.text(path)): \(Printable.text(reason)); the recording is kept\n"
        case .kernelDrops(let count):
            return "warning: the kernel dropped \(count) datagrams: the receive buffers were full\n"
        case .drift(let track, let ppm, let samples):
            return
                "warning: \(Printable.text(track)): its sender's clock ran \(DecimalText.fixed(ppm, digits: 1)) ppm against the timeline, \(DecimalText.fixed(samples, digits: 1)) samples over the take (no resampling: the track drifts)\n"
        case .finished(let summary):
            let why =
                switch summary.ending {
                case .stopped: "stopped"
                case .goodbyes: "every sender said goodbye"
                case .idle:
                    "no packet for \(DecimalText.fixed(Double(arguments.take.idleSeconds.scaled(by: 1000)) / 1000, digits: 1)) s"
                case .duration: "the duration was recorded"
                case .outputFailed: "the output failed"
                }
            return
                "recorded \(summary.files.count) file\(summary.files.count == 1 ? "" : "s") (\(why)): \(summary.files.joined(separator: ", "))\n"
        }
    }

    /// Why a track's packets cannot be recorded: what was described, and what arrived.
    static func unusable(_ reason: UnusableTrack.Reason) -> String {
        switch reason {
        case .payloadType(let described, let heard):
            "its packets are of payload type \(heard), the description says \(described)"
        case .format(let mismatch):
            "its packets carry \(heardFormat(mismatch)), the description says \(Self.described(mismatch))"
        case .outsideTake(let received, let dropped):
            "its \(received) packets stand wholly outside the take (\(dropped) frames before time zero, the rest past its end): its file would be silence"
        }
    }

    static func heardFormat(_ mismatch: FormatMismatch) -> String {
        let frame = "\(mismatch.heardBytesPerFrame) bytes a frame"
        return mismatch.heardChannels.map { "\(channels($0)) (\(frame))" } ?? frame
    }

    static func described(_ mismatch: FormatMismatch) -> String {
        "\(channels(mismatch.describedChannels)) (\(mismatch.describedBytesPerFrame) bytes a frame)"
    }

    static func legName(_ leg: Int) -> String { leg == 0 ? "first" : "second" }

    static func channels(_ count: Int) -> String { count == 1 ? "1 channel" : "\(count) channels" }

    func receiver(_ event: ReceiverEvent) -> String {
        switch event {
        case .payloadTypeMismatch(let track, let described, let heard):
            return
                "warning: \(Printable.text(track)): packets of payload type \(heard) arrive, the description says \(described): counted, not recorded\n"
        case .formatMismatch(let track, let mismatch):
            return
                "warning: \(Printable.text(track)): its packets carry \(Self.heardFormat(mismatch)), the description says \(Self.described(mismatch)): nothing of it is recorded\n"
        case .legSilent(let track, let leg):
            return
                "warning: \(Printable.text(track)): its \(Self.legName(leg)) leg is silent while the other is heard; the other carries the stream\n"
        case .legBack(let track, let leg, let silent):
            return
                "\(Printable.text(track)): its \(Self.legName(leg)) leg is heard again after \(DecimalText.fixed(Double(silent) / 1e9, digits: 3)) s\n"
        case .followsWire(let track, let mismatch):
            return
                "warning: \(Printable.text(track)): its packets carry \(Self.heardFormat(mismatch)), the description says \(Self.described(mismatch)): recorded as the packets carry it, \(Self.channels(mismatch.heardChannels ?? 0))\n"
        case .segmentStarted(let track, let ssrc, _, .first):
            return "\(Printable.text(track)): receiving SSRC 0x\(String(ssrc, radix: 16))\n"
        case .segmentStarted(let track, let ssrc, let index, let reason):
            let why = reason == .newSSRC ? "a new SSRC" : "its timestamps jumped"
            return
                "warning: \(Printable.text(track)): \(why) (0x\(String(ssrc, radix: 16))): segment \(index + 1) begins, placed by its own timing\n"
        case .segmentPlaced(let track, let index, let position, let mapping):
            let how =
                switch mapping {
                case .mediaClock: "its media clock"
                case .senderReports: "its sender reports"
                case .arrival: "its arrival time (no sender report came in time)"
                }
            return
                "\(Printable.text(track)): segment \(index + 1) starts at frame \(position) of the take, placed by \(how)\n"
        case .sourcesDisagree(let track, let followed, let other, let frames, let rate):
            let seconds = DecimalText.fixed(Double(frames) / Double(max(1, rate)), digits: 3)
            return
                "warning: \(Printable.text(track)): by \(Self.sourceName(other)) it stands \(frames) samples (\(seconds) s) from where it stands by \(Self.sourceName(followed)); followed \(Self.sourceName(followed))\n"
        case .goodbye(let track): return "\(Printable.text(track)): the sender said goodbye\n"
        }
    }

    /// A source of a stream's place, as the user reads it.
    static func sourceName(_ source: MappingSource) -> String {
        switch source {
        case .mediaClock: "the description's media clock"
        case .senderReports: "its sender reports"
        case .arrival: "its arrival"
        }
    }

    func progress(_ progress: RecordProgress) -> String {
        // On a terminal the live progress is drawn as meters instead (`meters`).
        guard arguments.verbose || progress.isFinal else { return "" }
        return progress.tracks.map { Self.statusLine($0, final: progress.isFinal) + "\n" }.joined()
    }

    /// One track: written, received, lost (and the frames of silence standing for them), late, reordered,
    /// duplicated, jitter, and the peak level since the last line.
    static func statusLine(_ track: RecordTrackProgress, final: Bool) -> String {
        let seconds = DecimalText.fixed(Double(track.framesWritten) / Double(track.sampleRate), digits: 3)
        let level = Decibels.fullScale(track.peak).map { "\(DecimalText.fixed($0, digits: 1)) dBFS" } ?? "silent"
        var line =
            "\(Printable.text(track.name)): \(seconds) s, \(track.received) received, \(track.lost) lost (\(track.lostFrames) frames), \(track.late) late, \(track.reordered) reordered, \(track.duplicated) duplicated, jitter \(DecimalText.fixed(track.jitterMilliseconds, digits: 3)) ms"
        if !final { line += ", peak \(level)" }
        if track.unexpected > 0 || track.malformed > 0 {
            line += ", \(track.unexpected) unexpected, \(track.malformed) malformed"
        }
        if final, let drift = track.driftPartsPerMillion {
            line += ", rate \(drift >= 0 ? "+" : "")\(DecimalText.fixed(drift, digits: 1)) ppm"
        }
        return line
    }
}
