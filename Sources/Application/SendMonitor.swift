import Interfaces
import Platform
import RTCP
import Sender

/// What the send command watches while streaming, as a pure function: a snapshot of the counters in, the events
/// worth telling out, each change told once. The status loop reads the counters; this decides what they mean.
public struct SendMonitor: Sendable {
    /// One moment of the stream.
    public struct Snapshot: Sendable {
        public var elapsedSeconds: Double
        public var isFinal: Bool
        public var tracks: [Track]
        /// The newest stall of each pacing thread, if it has had one.
        public var stalls: [Stall?]
        /// The clock's synchronisation now, or nil with no news.
        public var clockStatus: ClockSyncStatus?

        public init(
            elapsedSeconds: Double, isFinal: Bool, tracks: [Track], stalls: [Stall?], clockStatus: ClockSyncStatus?
        ) {
            self.elapsedSeconds = elapsedSeconds
            self.isFinal = isFinal
            self.tracks = tracks
            self.stalls = stalls
            self.clockStatus = clockStatus
        }

        /// One track at that moment.
        public struct Track: Sendable {
            public var name: String
            public var destination: Endpoint
            public var sampleRate: Int
            public var plannedFrames: Int?
            public var counters: TrackCounters.Snapshot
            public var receivers: [ReceiverStatistics]
            /// The bytes of a full datagram, and the path MTU the kernel learned, for a datagram too large.
            public var datagramBytes: Int
            public var pathMTU: Int?

            public init(
                name: String, destination: Endpoint, sampleRate: Int, plannedFrames: Int?,
                counters: TrackCounters.Snapshot, receivers: [ReceiverStatistics], datagramBytes: Int, pathMTU: Int?
            ) {
                self.name = name
                self.destination = destination
                self.sampleRate = sampleRate
                self.plannedFrames = plannedFrames
                self.counters = counters
                self.receivers = receivers
                self.datagramBytes = datagramBytes
                self.pathMTU = pathMTU
            }
        }
    }

    private var deliveries: [DeliveryWatch]
    private var clock: ClockWatch
    private var stallsTold: [Int] = []
    private var tooLarge = Set<String>()

    /// - Parameters:
    ///   - trackCount: the tracks watched, in the snapshots' order.
    ///   - synchronized: whether the clock was synchronised at the start.
    public init(trackCount: Int, synchronized: Bool) {
        deliveries = Array(repeating: DeliveryWatch(ignoring: SystemError.messageTooLarge), count: trackCount)
        clock = ClockWatch(synchronized: synchronized)
    }

    /// What to tell of `snapshot`, in order: delivery changes, a stall (the pacing threads' since the last look, as
    /// one: they stall together), datagrams too large, a clock change, and the progress.
    public mutating func events(for snapshot: Snapshot) -> [SendEvent] {
        var events: [SendEvent] = []
        let elapsed = snapshot.elapsedSeconds
        for (index, track) in snapshot.tracks.enumerated() where index < deliveries.count {
            for change in deliveries[index].update(track.counters, elapsed: elapsed) {
                events.append(
                    .delivery(track: track.name, destination: track.destination, change, elapsedSeconds: elapsed))
            }
        }
        if stallsTold.count != snapshot.stalls.count { stallsTold = snapshot.stalls.map { _ in 0 } }
        let new = zip(snapshot.stalls, stallsTold).compactMap { stall, told in
            stall.flatMap { $0.count > told ? $0 : nil }
        }
        if !new.isEmpty {
            stallsTold = snapshot.stalls.map { $0?.count ?? 0 }
            events.append(
                .stall(
                    worstSeconds: Double(new.map(\.worstNanoseconds).max() ?? 0) / 1e9,
                    sent: new.map(\.sent).reduce(0, +), skipped: new.map(\.skipped).reduce(0, +),
                    elapsedSeconds: elapsed))
        }
        for track in snapshot.tracks where !tooLarge.contains(track.name) {
            guard track.counters.failedSends > 0, track.counters.lastSendError == SystemError.messageTooLarge else {
                continue
            }
            tooLarge.insert(track.name)
            events.append(.datagramTooLarge(track: track.name, bytes: track.datagramBytes, pathMTU: track.pathMTU))
        }
        if !snapshot.isFinal, let status = snapshot.clockStatus, clock.changed(to: status) {
            events.append(.clockChanged(status, elapsedSeconds: elapsed))
        }
        events.append(
            .progress(
                SendProgress(
                    elapsedSeconds: elapsed, isFinal: snapshot.isFinal,
                    tracks: snapshot.tracks.map { track in
                        TrackProgress(
                            name: track.name, sampleRate: track.sampleRate, plannedFrames: track.plannedFrames,
                            counters: track.counters, receivers: track.receivers)
                    })))
        return events
    }
}
