import Application

/// Exit codes from sysexits(3).
enum ExitCode {
    static let ok: Int32 = 0
    static let usage: Int32 = 64
    static let dataError: Int32 = 65
    static let noInput: Int32 = 66
    static let noHost: Int32 = 68
    static let unavailable: Int32 = 69
    static let software: Int32 = 70
    static let osError: Int32 = 71
    static let cannotCreate: Int32 = 73
    static let ioError: Int32 = 74
}

/// The words of `send` and `demo`: what each event and failure says, naming the options as the user wrote them.
struct SendMessages: Sendable {
    let arguments: SendArguments
    /// Whether SAP was asked for.
    var sapAsked: Bool { arguments.sap }
    /// Whether standard error is a terminal, where a single track's status line is redrawn in place.
    let terminal: Bool

    /// The line for a failure, and the exit code that goes with it.
    func failure(_ failure: SendFailure) -> (line: String, code: Int32) {
        switch failure {
        case .takeFileUnreadable(let path, let reason):
            ("\(Printable.text(path)): cannot read the session file (\(Printable.text(reason)))", ExitCode.noInput)
        case .takeFile(let path, let error): ("\(Printable.text(path)): \(Self.takeFile(error))", ExitCode.dataError)
        case .plan(let error, let takeFile): plan(error, takeFile: takeFile)
        case .inputUnreadable(let path, let reason):
            ("\(Printable.text(path)): \(Printable.text(reason))", ExitCode.noInput)
        case .inputInvalid(let path, let error): ("\(Printable.text(path)): \(error)", ExitCode.dataError)
        case .folderWithoutWAV(let path): ("\(Printable.text(path)): no .wav files in the folder", ExitCode.dataError)
        case .unknownHost(let error): ("--ip: \(error)", ExitCode.noHost)
        case .clockNotSynchronized:
            (
                "--require-sync: the system clock is not synchronised (adjtimex); start chrony or ptp4l and wait for it to lock",
                ExitCode.unavailable
            )
        case .network(let error): ("network: \(error)", ExitCode.osError)
        case .unreachable(let host, let address, let error):
            (
                "--ip \(host): \(error)\(address.isMulticast ? "; name the interface multicast leaves by with --interface" : "")",
                ExitCode.osError
            )
        case .sdpNotWritten(let path, let reason):
            ("\(Printable.text(path)): cannot write SDP: \(Printable.text(reason))", ExitCode.cannotCreate)
        case .statisticsUnwritable(let path, let reason):
            ("--stats \(Printable.text(path)): cannot be written: \(Printable.text(reason))", ExitCode.cannotCreate)
        case .thread(let error): ("\(error)", ExitCode.osError)
        case .noInterface(let name):
            ("--interface \(Printable.text(name)): no interface has this name or address", ExitCode.usage)
        case .sapAddress(let text):
            ("--sap-address \(Printable.text(text)): expected a multicast address", ExitCode.usage)
        }
    }

    /// Where an MTU came from: the route's, when it is below the one --mtu gives (1500 unless given).
    func mtuSpelling(_ mtu: Int) -> String {
        mtu < arguments.take.mtu ? "the path's MTU \(mtu)" : "--mtu \(mtu)"
    }

    func plan(_ error: PlanError, takeFile: String?) -> (line: String, code: Int32) {
        let file = takeFile ?? "the take"
        let packetTime = arguments.packetTimeSpelling
        switch error {
        case .packetTimeBelowOneFrame(let time, let rate):
            return ("\(packetTime) \(time) ms is less than one frame at \(rate) Hz", ExitCode.usage)
        case .packetExceedsMTU(let time, let bytes, let mtu, let limit):
            return (
                "\(packetTime) \(time) ms needs \(bytes) bytes of payload per packet, more than the \(limit) that \(mtuSpelling(mtu)) allows (--strict)",
                ExitCode.usage
            )
        case .packetLargerThanUDP(let bytes, let limit):
            return (
                "packet payload of \(bytes) bytes exceeds the UDP limit of \(limit) even with --allow-fragmentation",
                ExitCode.usage
            )
        case .frameExceedsMTU(let bytesPerFrame, let mtu, let limit):
            return (
                "one frame is \(bytesPerFrame) bytes, more than the \(limit) bytes of payload \(mtuSpelling(mtu)) allows; use --allow-fragmentation",
                ExitCode.usage
            )
        case .payloadTypeNotAllowed(let payloadType, let encoding, let rate, let channels):
            return (
                "--payload-type \(payloadType) cannot carry \(encoding.name) \(rate) Hz \(channels) ch: use 96-127 (10/11 are only for L16 44100 Hz stereo/mono)",
                ExitCode.usage
            )
        case .portOutOfRange(let role, let base, let slot):
            let flag =
                switch role {
                case .destination: takeFile == nil ? "--port" : "\(Printable.text(file)): port"
                case .rtcpDestination: "--rtcp-port"
                case .source: "--source-port"
                }
            return ("\(flag) \(base) leaves no room for track \(slot + 1)", ExitCode.usage)
        case .startNotInFuture:
            let start = arguments.startText.map { "--start-at \($0)" } ?? "\(Printable.text(file)): start_at"
            return ("\(start) is not in the future (allow 50 ms to set up)", ExitCode.usage)
        case .duplicateTrackName(let name):
            return ("two tracks are named '\(Printable.text(name))'; their SDP files would collide", ExitCode.usage)
        case .noTrackForNode(let node):
            return ("\(Printable.text(file)): no track for node '\(Printable.text(node))'", ExitCode.dataError)
        case .declaredFormatMismatch(let track, let declared, let actual, let path):
            let shown = DeclaredFormat(
                encoding: declared.encoding ?? actual.encoding, sampleRate: declared.sampleRate ?? actual.sampleRate,
                channelCount: declared.channelCount ?? actual.channelCount)
            return (
                "\(Printable.text(file)): track '\(Printable.text(track))' declares \(shown), but \(Printable.text(path)) is \(actual)",
                ExitCode.dataError
            )
        case .remoteTrackUndeclared(let track, let node):
            return (
                "\(Printable.text(file)): track '\(Printable.text(track))' of node '\(Printable.text(node))' needs encoding (L16/L24), sample_rate and channels",
                ExitCode.dataError
            )
        case .aes67(let problem, let track):
            let reason =
                switch problem {
                case .notMulticast(let address): "sends to \(address), not to a multicast group"
                case .sampleRate(let rate): "is \(rate) Hz, and AES67 streams are 48 kHz"
                case .channels(let count): "has \(count) channels, more than the 8 an AES67 stream carries"
                case .packetTime(let frames):
                    "would send packets of \(frames) frames (\(DecimalText.fixed(Double(frames) / 48, digits: 3)) ms); AES67 receivers take 1 ms, some 0.125, 0.25, 0.333 or 4 ms"
                }
            return ("--aes67: track '\(Printable.text(track))' \(Printable.text(reason))", ExitCode.usage)
        case .sharedSSRC(let count):
            return (
                "--ssrc names one SSRC, and \(count) tracks cannot share it: give each track its own in a take file (\"ssrc\"), or leave them random",
                ExitCode.usage
            )
        case .overridesTakeFile(let setting):
            return (overrides(setting, file: Printable.text(file)), ExitCode.usage)
        case .inputsMissing, .unresolvedHost, .unusableStream, .noStreams, .portInUseTwice:
            // Planning a send never gives these.
            return ("internal error: \(error)", ExitCode.software)
        }
    }

    static func takeFile(_ error: TakeFileError) -> String {
        switch error {
        case .notJSON(let error): "not a JSON session description (\(error))"
        case .noTracks: "no tracks"
        case .missing(let path): "missing \"\(Printable.text(path))\""
        case .wrongType(let path, let expected, let found):
            "\(Printable.text(path)): expected \(expectedName(expected)), found \(found)"
        case .invalid(let path, .startTime(let text)):
            "\(Printable.text(path)) '\(Printable.text(text))' is not an ISO 8601 UTC time or +SECONDS"
        case .invalid(let path, .packetTime(let text)):
            "\(Printable.text(path)) \(Printable.text(text)): expected milliseconds from 0.125 to 1000"
        case .invalid(let path, .encoding(let text)):
            "\(Printable.text(path)) '\(Printable.text(text))': expected L16 or L24"
        case .invalid(let path, .rtcp(let text)):
            "\(Printable.text(path)) '\(Printable.text(text))': expected \"next-port\", \"mux\" or a port"
        case .invalid(let path, .timestamps(let text)):
            "\(Printable.text(path)) '\(Printable.text(text))': expected \"wallclock\" or \"ptp\" (a random origin no other PC could know)"
        case .invalid(let path, .outOfRange(let text, let range)):
            "\(Printable.text(path)) \(Printable.text(text)): expected a whole number from \(range.lowerBound) to \(range.upperBound)"
        }
    }

    /// Why an option cannot go with a take file, naming the file's key to use instead where it has one.
    func overrides(_ setting: TakeSetting, file: String) -> String {
        let (flag, key): (String, String?) =
            switch setting {
            case .destination: ("--ip", "destination")
            case .port: ("--port", "port")
            case .packetTime: (arguments.packetTimeSpelling, "ptime")
            case .encoding: ("--format", "each track's \"encoding\"")
            case .payloadType: ("--payload-type", "payload_type")
            case .ssrc: ("--ssrc", "each track's \"ssrc\"")
            case .timestamp: ("--timestamp", nil)
            case .timestampOrigin: ("--timestamps", "timestamps")
            case .mtu: ("--mtu", "mtu")
            case .fragmentation: ("--allow-fragmentation", nil)
            case .rtcp: (arguments.take.rtcp == .multiplexed ? "--rtcp-mux" : "--rtcp-port", "rtcp")
            case .dscp: ("--dscp", "dscp")
            case .ttl: ("--ttl", "ttl")
            }
        if setting == .timestampOrigin && arguments.take.timestampOrigin == .random {
            return "--timestamps random cannot go with \(file): a recorder reading it could not know a random origin"
        }
        guard let key else {
            return "\(flag) cannot go with \(file): every node and recorder derives that from the file alone"
        }
        let named = key.hasPrefix("each") ? key : "\"\(key)\""
        return
            "\(flag) would send other than \(file) tells every node and recorder to expect: set \(named) in the file instead"
    }

    static func expectedName(_ kind: TakeFileError.ExpectedKind) -> String {
        switch kind {
        case .string: "a string"
        case .number: "a number"
        case .wholeNumber: "a whole number"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The lines an event prints, each ending in a newline; empty for an event this run does not show.
    func lines(_ event: SendEvent) -> String {
        switch event {
        case .input(.skipped(let path)): return "note: \(Printable.text(path)) skipped: not a .wav file\n"
        case .input(.dataTruncated(let path, let declared, let held)):
            return
                "warning: \(Printable.text(path)): data chunk claims \(declared) bytes, the file holds \(held); streaming what is there\n"
        case .clockStatus(let status): return Self.clockLine(status) + "\n"
        case .ptpStatus(nil): return ""
        case .ptpStatus(let status?):
            let role = status.isGrandmaster ? "is the grandmaster" : "follows grandmaster \(status.grandmasterText)"
            let lock = status.isLocked ? "locked" : "not locked: the system clock may not follow it"
            return
                "\(status.isLocked ? "" : "warning: ")ptp: this host \(role) in domain \(status.domain) (\(lock)); UTC offset \(status.utcOffset) s\(status.utcOffsetValid ? "" : " (not marked valid)")\n"
        case .ptpUnavailable(let path):
            return
                "warning: ptp: no ptp4l answered on \(Printable.text(path)) (--ptp4l-socket); timestamps and a=ts-refclk follow the \(arguments.take.aes67 ? "NTP or local clock, not PTP" : "system clock with a TAI offset of 37 s unless the kernel's is set")\n"
        case .grandmasterChanged(let old, let new, let elapsed):
            return
                "warning: ptp: the grandmaster changed \(Self.seconds(elapsed)) s into the stream, from \(old.grandmasterText) to \(new.grandmasterText); the SDP files name the new one\(arguments.take.aes67 || sapAsked ? " and a new version is announced" : "")\n"
        case .sdpNotRewritten(let path, let reason):
            return "warning: \(Printable.text(path)): cannot rewrite the SDP: \(Printable.text(reason))\n"
        case .announced(let count): return "sap: \(count) announcements and deletions sent\n"
        case .plan(.packetTimeAdjusted(_, let requested, let sizing, let bytesPerFrame, let mtu, let rate)):
            let used = MediaTime.millisecondsText(frames: sizing.framesPerPacket, sampleRate: rate)
            return
                "warning: \(arguments.packetTimeSpelling) \(requested) needs \(sizing.requestedFrames * bytesPerFrame) bytes per packet, more than the \(sizing.payloadLimit) that \(mtuSpelling(mtu)) allows; sending \(used) ms packets (\(sizing.framesPerPacket) frames, \(sizing.payloadBytes) bytes) instead\n"
        case .plan(.oddPort(_, let port)):
            return "warning: --port \(port) is odd; receivers expect RTP on an even port and RTCP on the next\n"
        case .trackStarting(let track, let sdpPath):
            let stream = track.stream
            return
                "\(Printable.text(track.name)): \(track.encoding.name) \(track.format.sampleRate) Hz \(track.format.channelCount) ch, \(stream.packetTimeText) ms packets, PT \(track.payloadType), SSRC 0x\(String(track.ssrc, radix: 16)), first RTP timestamp \(track.initialTimestamp) -> \(track.destination); SDP \(Printable.text(sdpPath))\n"
        case .waitingForStart(let seconds, let start):
            return
                "waiting \(Self.seconds(seconds)) s for the start at \(CivilDate.iso8601(unixNanoseconds: start)); Ctrl-C stops\n"
        case .timerSlackUnavailable(let error): return "warning: \(error); wake-ups may be up to 50 us late\n"
        case .realtimeUnavailable(let error): return "warning: --realtime: \(error); pacing with normal priority\n"
        case .progress(let progress): return self.progress(progress)
        case .clockChanged(let status, let elapsed):
            let line =
                status.isSynchronized
                ? "clock: synchronised \(Self.seconds(elapsed)) s into the stream (adjtimex: estimated error \(status.estimatedErrorMicroseconds) us, maximum \(status.maximumErrorMicroseconds) us); a slewed correction reaches these tracks, a stepped one only after a restart"
                : "warning: clock: synchronisation lost \(Self.seconds(elapsed)) s into the stream (adjtimex); the clock runs free, and tracks from other PCs may drift from these"
            return (terminal ? "\r\u{1B}[K" : "") + line + "\n"
        case .statisticsNotWritten(let path, let reason):
            return "warning: --stats \(Printable.text(path)): \(Printable.text(reason))\n"
        case .datagramTooLarge(let track, let bytes, let mtu):
            let path = mtu.map { "the path's MTU is \($0)" } ?? "the path's MTU is smaller"
            return
                "warning: \(Printable.text(track)): \(bytes)-byte datagrams do not fit: \(Printable.text(path)) and Don't Fragment is set; they are not sent (counted as failed). Use a shorter --ptime, --mtu, or --allow-fragmentation\n"
        case .delivery(let track, let destination, let change, let elapsed):
            let at = "\(Self.seconds(elapsed)) s into the stream"
            let line =
                switch change {
                case .failing(let errno):
                    "warning: \(Printable.text(track)): sends to \(destination) fail (\(SystemError.sendReason(errno))) \(at); the stream keeps its timeline and counts what it cannot send"
                case .recovered(let failed, let seconds):
                    "\(Printable.text(track)): sends to \(destination) go through again \(at), after \(Self.seconds(seconds)) s in which \(failed) packets could not be sent"
                case .refused:
                    "\(Printable.text(track)): nobody listens at \(destination) yet (ICMP port unreachable) \(at); every packet is still sent"
                case .listening(let refused, let seconds):
                    "\(Printable.text(track)): \(destination) listens now (\(at): no refusal for \(Self.seconds(DeliveryWatch.quietSeconds)) s, after \(refused) refused sends over \(Self.seconds(seconds)) s)"
                }
            return (terminal ? "\r\u{1B}[K" : "") + line + "\n"
        case .stall(let worst, let sent, let skipped, let elapsed):
            let late = DecimalText.fixed(Double(arguments.pacing.maximumLatenessNanoseconds) / 1e6, digits: 0)
            return
                (terminal ? "\r\u{1B}[K" : "")
                + "warning: the stream stalled \(Self.seconds(elapsed)) s in: \(Self.seconds(worst)) s behind at worst (the process was stopped, or starved of CPU); \(sent) packets of the backlog left late at once, \(skipped) more than \(late) ms late were skipped (their media time passes, receivers count them lost)\n"
        case .trackFinished(let outcome): return finished(outcome)
        }
    }

    /// What the kernel's clock status means for the take, in one line.
    static func clockLine(_ status: ClockSyncStatus) -> String {
        status.isSynchronized
            ? "clock: synchronised (adjtimex: estimated error \(status.estimatedErrorMicroseconds) us, maximum \(status.maximumErrorMicroseconds) us)"
            : "warning: clock: NOT synchronised (adjtimex); tracks from other PCs will not line up"
    }

    /// The status lines: every half second with `--verbose` (redrawn in place on a terminal), and once at the end;
    /// at the end and with `--verbose`, a line per receiver that reported.
    func progress(_ progress: SendProgress) -> String {
        guard arguments.verbose || progress.isFinal else { return "" }
        let live = terminal && progress.tracks.count == 1
        let lines = progress.tracks.map(Self.statusLine)
        if live && !progress.isFinal { return "\r\u{1B}[K" + lines.joined() }
        var text = (live ? "\r\u{1B}[K" : "") + lines.map { $0 + "\n" }.joined()
        for track in progress.tracks {
            for receiver in track.receivers {
                text += "\(Printable.text(track.name)): \(Self.receiverLine(receiver))\n"
            }
        }
        return text
    }

    /// One track's status: media sent of the total, packets, late packets and the worst lateness, send failures.
    static func statusLine(_ track: TrackProgress) -> String {
        let rate = track.sampleRate
        let counts = track.counters
        let total = track.plannedFrames.map { seconds(MediaTime.seconds(frames: $0, sampleRate: rate)) } ?? "-"
        return
            "\(Printable.text(track.name)): \(seconds(MediaTime.seconds(frames: counts.frames, sampleRate: rate)))/\(total) s, \(counts.packets) packets, \(counts.latePackets) late (worst \(seconds(Double(counts.worstLatenessNanoseconds) / 1e6)) ms), \(counts.skippedPackets > 0 ? "\(counts.skippedPackets) skipped, " : "")\(counts.refusedSends) refused, \(counts.failedSends) failed"
    }

    /// What one receiver reported: loss, jitter, round trip.
    static func receiverLine(_ receiver: ReceiverStatistics) -> String {
        // A CNAME is whatever a peer sent: quoted, escaped and cut to a length.
        let name =
            receiver.canonicalName.map { Printable.quoted($0, limit: 64) } ?? "0x" + String(receiver.ssrc, radix: 16)
        let rtt = receiver.roundTripMilliseconds.map { ", rtt \(seconds($0)) ms" } ?? ""
        return
            "receiver \(name) (\(receiver.address)): lost \(receiver.cumulativeLost) (\(seconds(receiver.fractionLost * 100))% last), jitter \(seconds(receiver.jitterMilliseconds)) ms\(rtt)"
    }

    func finished(_ outcome: TrackOutcome) -> String {
        var text = ""
        let counts = outcome.counters
        if counts.clippedSamples > 0 {
            text +=
                "warning: \(outcome.name): \(counts.clippedSamples) samples clipped to the \(outcome.encoding.name) range\n"
        }
        if counts.failedSends > 0 {
            text +=
                "warning: \(outcome.name): \(counts.failedSends) datagrams not sent (last error: \(errorText(counts.lastSendError)))\n"
        }
        if let failure = outcome.readFailure { text += "audiostreamer: \(outcome.name): read failed: \(failure)\n" }
        if outcome.underruns > 0 {
            text += "warning: \(outcome.name): the disk fell behind \(outcome.underruns) times; packets waited for it\n"
        }
        return text
    }

    /// Seconds (or milliseconds, or percent) with three decimals.
    static func seconds(_ value: Double) -> String { DecimalText.fixed(value, digits: 3) }
}
