import Interfaces
import RTCP
import RTP
import Synchronization

/// What the receive loop needs to know of the take, as values.
public struct RecorderSettings: Sendable, Hashable {
    /// The take's time zero if it was asked for, Unix nanoseconds.
    public var start: Int64?
    public var latencyNanoseconds: Int64
    /// The take ends after this long without a packet, once packets have come.
    public var idleNanoseconds: Int64
    public var durationNanoseconds: Int64?
    /// The least time between receiver reports before RFC 3550's randomisation.
    public var rtcpMinimumSeconds: Double
    /// The CNAME of the recorder's reports, and its own SSRC towards each track.
    public var canonicalName: String
    public var reportSSRCs: [UInt32]

    public init(
        start: Int64?, latencyNanoseconds: Int64, idleNanoseconds: Int64, durationNanoseconds: Int64?,
        rtcpMinimumSeconds: Double, canonicalName: String, reportSSRCs: [UInt32]
    ) {
        self.start = start
        self.latencyNanoseconds = latencyNanoseconds
        self.idleNanoseconds = idleNanoseconds
        self.durationNanoseconds = durationNanoseconds
        self.rtcpMinimumSeconds = rtcpMinimumSeconds
        self.canonicalName = canonicalName
        self.reportSSRCs = reportSSRCs
    }
}

/// The recorder's receive loop: one thread reads every track's sockets in batches, hands RTP and RTCP to the tracks,
/// fixes the take's time zero, releases what is old enough, sends receiver reports back, and ends the take when it
/// is over.
public final class Recorder {
    /// Which track and which of its sockets a socket index stands for.
    public struct Route: Sendable, Hashable {
        public var track: Int
        /// Whether the socket is the track's RTCP port (with rtcp-mux, the RTP socket carries both).
        public var isRTCP: Bool
        /// Which leg of an ST 2022-7 stream the socket receives (0, the first, for a stream on one network).
        public var leg: Int

        public init(track: Int, isRTCP: Bool, leg: Int = 0) {
            self.track = track
            self.isRTCP = isRTCP
            self.leg = leg
        }
    }

    /// Why a take ended.
    public enum Ending: Sendable, Hashable {
        case stopped
        case goodbyes
        case idle
        case duration
        case outputFailed
    }

    public let tracks: [TrackReceiver]
    public let settings: RecorderSettings
    let routes: [Route]
    let receiver: any DatagramBatchReceiving
    /// Each track's RTCP participant, reporting from the track's RTCP socket (its RTP socket with rtcp-mux).
    public let participants: [ReceivingParticipant]
    public private(set) var timeline: TakeTimeline
    private var random: any RandomNumberGenerator
    /// Datagrams the kernel dropped, summed over every socket, as last read.
    public let kernelDrops = Atomic<Int>(0)
    /// Set when an output can no longer be written; the take ends.
    public let outputFailed = Atomic<Bool>(false)
    /// Datagrams that were not valid RTCP.
    public let malformedRTCP = Atomic<Int>(0)
    /// Sees every datagram as it is dispatched, on the receive thread: the track, the leg, whether it is RTCP, its
    /// bytes (valid during the call) and its arrival. Set before `run`; an analysis of each track's arrival.
    public var tap:
        ((_ track: Int, _ leg: Int, _ isRTCP: Bool, _ bytes: UnsafeRawBufferPointer, _ arrival: Int64) -> Void)?

    public init(
        tracks: [TrackReceiver], settings: RecorderSettings, routes: [Route], receiver: any DatagramBatchReceiving,
        reportSockets: [any DatagramSocket], random: any RandomNumberGenerator
    ) {
        precondition(routes.count == receiver.socketCount, "one route per socket")
        precondition(settings.reportSSRCs.count == tracks.count, "one report SSRC per track")
        self.tracks = tracks
        self.settings = settings
        self.routes = routes
        self.receiver = receiver
        participants = zip(tracks, reportSockets).enumerated().map { index, pair in
            ReceivingParticipant(
                ssrc: settings.reportSSRCs[index], canonicalName: settings.canonicalName,
                sampleRate: pair.0.reception.sampleRate, socket: pair.1, destination: nil,
                isMultiplexed: pair.0.reception.rtcpMultiplexed, sending: NotSending(), receiving: pair.0)
        }
        self.random = random
        timeline = TakeTimeline(
            start: settings.start.map { EpochFrames(frames: $0, rate: 1_000_000_000) },
            latencyNanoseconds: settings.latencyNanoseconds)
    }

    /// Runs until the take ends; `events` hears what the tracks report, from this thread, and `publish` is called
    /// every tenth of a second or so, for other threads' copy of the state. Returns why it ended.
    public func run(
        clocks: some Clocks, stop: StopSignal, events: (ReceiverEvent) -> Void, publish: () -> Void = {}
    ) -> Ending {
        var nextReport: Int64?
        var nextPublish: Int64 = 0
        var ending = Ending.stopped
        // Before anything is heard, the idle time counts from the take's start, or from now where none is known.
        let began = clocks.wallNow()
        idleOrigin = max(began, settings.start ?? began)
        while true {
            if stop.isStopped { break }
            if outputFailed.load(ordering: .relaxed) {
                ending = .outputFailed
                break
            }
            _ = receiver.receive(waitingMilliseconds: 5) { socket, bytes, source, arrival in
                dispatch(socket: socket, bytes: bytes, source: source, arrival: arrival)
            }
            let now = clocks.wallNow()
            timeline.decide(now: now)
            for track in tracks {
                track.service(now: now, timeline: &timeline)
                for event in track.events { events(event) }
                track.events.removeAll(keepingCapacity: true)
            }
            keepInStep()
            var drops = 0
            for index in 0..<receiver.socketCount { drops += receiver.kernelDrops(index) }
            kernelDrops.store(drops, ordering: .relaxed)
            if let report = nextReport, now >= report {
                sendReports(now: now, goodbye: false)
                nextReport = now + reportIntervalNanoseconds()
            } else if nextReport == nil, tracks.contains(where: { $0.senderRTCP != nil }) {
                // The first report soon after the first sender report, as RFC 3550 section 6.2 has new members do.
                nextReport = now + reportIntervalNanoseconds() / 2
            }
            if now >= nextPublish {
                publish()
                nextPublish = now + 100_000_000
            }
            if let end = ended(now: now) {
                ending = end
                break
            }
        }
        timeline.decideNow()
        for track in tracks {
            track.flush(timeline: &timeline)
            for event in track.events { events(event) }
            track.events.removeAll()
        }
        sendReports(now: clocks.wallNow(), goodbye: true)
        publish()
        return ending
    }

    func dispatch(socket: Int, bytes: UnsafeRawBufferPointer, source: Endpoint, arrival: Int64) {
        let route = routes[socket]
        let track = tracks[route.track]
        let kind = bytes.count >= 2 ? MultiplexedPacket(firstByte: bytes[0], secondByte: bytes[1]) : .neither
        let isRTCP = route.isRTCP || (track.reception.rtcpMultiplexed && kind == .rtcp)
        tap?(route.track, route.leg, isRTCP, bytes, arrival)
        if isRTCP {
            let packets: [RTCPPacket]
            do {
                packets = try RTCPPacket.parseCompound(Array(bytes))
            } catch {
                malformedRTCP.add(1, ordering: .relaxed)
                return
            }
            track.receiveRTCP(packets, source: source, arrival: arrival, leg: route.leg, timeline: &timeline)
            participants[route.track].receive(packets, from: source, arrival: arrival)
        } else {
            track.receiveRTP(bytes, arrival: arrival, leg: route.leg, timeline: &timeline)
        }
    }

    /// Tracks with nothing to write (never heard, or ended) follow the others with silence as they go, never past
    /// what another has written: a track that never arrives is silence in an interleaved file too, not a stall of
    /// the others (whose rings would overflow waiting for it).
    func keepInStep() {
        guard timeline.start != nil else { return }
        var longest: Int64 = 0
        for track in tracks { longest = max(longest, track.writtenNanoseconds) }
        for track in tracks where track.isIdle && track.writtenNanoseconds < longest { track.pad(to: longest) }
    }

    /// When nothing has been heard yet, what the idle time counts from.
    private var idleOrigin: Int64 = 0

    /// The take is over: every track that was heard has said goodbye and is written, no packet has come for the idle
    /// time (since the last packet, or since the take's start while none has come), or time zero plus the duration
    /// has been written.
    func ended(now: Int64) -> Ending? {
        let heard = tracks.filter { $0.lastArrival != nil }
        if !heard.isEmpty && heard.allSatisfy(\.isFinished) && heard.count == tracks.count { return .goodbyes }
        let last = heard.compactMap(\.lastArrival).max() ?? idleOrigin
        if now - last > settings.idleNanoseconds { return .idle }
        if let duration = settings.durationNanoseconds, let start = timeline.start,
            now - timeline.latencyNanoseconds >= start.unixNanoseconds + duration
        {
            return .duration
        }
        return nil
    }

    /// RFC 3550's interval for a receiver among two members, with RTCP's 5 % of the leanest track's bandwidth.
    func reportIntervalNanoseconds() -> Int64 {
        let bandwidth = RTCPInterval.leanestSessionBandwidth(
            of: tracks.map {
                let reception = $0.reception
                return (
                    reception.sampleRate, reception.channelCount, reception.encoding.bytesPerSample,
                    reception.framesPerPacket
                )
            })
        let interval = RTCPInterval(sessionBandwidth: bandwidth, minimumSeconds: settings.rtcpMinimumSeconds)
        let seconds = interval.randomizedSeconds(
            members: 2, senders: 1, averagePacketBytes: 100, weSent: false, using: &random)
        return Int64(seconds * 1e9)
    }

    /// A receiver report (with SDES CNAME, and BYE when leaving) to every track's sender that has reported.
    func sendReports(now: Int64, goodbye: Bool) {
        let instant = ClockPair(monotonic: 0, wall: now)
        for (track, participant) in zip(tracks, participants) {
            guard let destination = track.senderRTCP, track.reportBlock(now: now) != nil else { continue }
            participant.send(at: instant, start: instant, to: destination, goodbye: goodbye)
        }
    }
}

/// A recorder's RTCP participant towards one track's sender: a receiver, reporting what the track hears.
public typealias ReceivingParticipant = RTCPParticipant<NotSending, TrackReceiver>

extension TrackReceiver: RTCPReceiving {
    public func reportBlocks(now: Int64) -> [RTCPReportBlock] { reportBlock(now: now).map { [$0] } ?? [] }
}
