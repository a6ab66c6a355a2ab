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
                "warning: ptp: no ptp4l answered on \(Printable.text(path)) (--ptp4l-socket); timestamps and a=ts-refclk follow the \(arguments.take.studio ? "NTP or local clock, not PTP" : "system clock with a TAI offset of 37 s unless the kernel's is set")\n"
        case .grandmasterChanged(let old, let new, let elapsed):
            return
                "warning: ptp: the grandmaster changed \(Self.seconds(elapsed)) s into the stream, from \(old.grandmasterText) to \(new.grandmasterText); the SDP files name the new one\(arguments.take.studio || sapAsked ? " and a new version is announced" : "")\n"
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
        case .realtimeUnavailable(let error, asked: true):
            return "warning: --realtime: \(error); pacing with normal priority\n"
        case .realtimeUnavailable(let error, asked: false):
            return arguments.verbose
                ? "note: realtime priority not permitted (\(error)); pacing with normal priority\n" : ""
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
                    "warning: \(Printable.text(track)): sends to \(destination) fail (\(Self.sendReason(errno))) \(at); the stream keeps its timeline and counts what it cannot send"
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

    /// Why a datagram could not be sent: the C library's words, and for a full send buffer what that means for a
    /// stream.
    static func sendReason(_ errno: Int32) -> String {
        let reason = SystemError.reason(errno)
        guard SystemError.isSendBufferFull(errno) else { return reason }
        return "\(reason): the send buffer is full, the way out is slower than the stream"
    }

    /// What one receiver reported (on either leg of an ST 2022-7 stream; its address tells which): loss, jitter,
    /// round trip.
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
