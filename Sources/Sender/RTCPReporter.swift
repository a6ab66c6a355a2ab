import Interfaces
import RTP

/// Sends every track's RTCP and reads what comes back, on a thread of its own, apart from the packet path.
///
/// The first compound goes out right after the first RTP packet (receivers align nothing before a sender
/// report), the next after the RFC 3550 interval. When the tracks end, the last compound (SR, SDES, BYE) waits
/// until the last packet's media has played out, one packet time after it; when stopped by a signal it goes
/// at once.
public final class RTCPReporter: @unchecked Sendable {
    // @unchecked: `random`, `buffer` and the waiter belong to the reporter's thread from `run` on.
    public let sessions: [StreamParticipant]
    public let interval: RTCPInterval
    private var random: any RandomNumberGenerator
    /// Waits on every RTCP socket once (sessions may share one).
    private let waiter: any DatagramWaiting
    private var buffer = [UInt8](repeating: 0, count: 2048)

    /// - Parameter waiter: waits on the sessions' sockets; each session's socket must be among its `sockets`.
    public init(
        sessions: [StreamParticipant], interval: RTCPInterval, waiter: any DatagramWaiting,
        random: any RandomNumberGenerator
    ) {
        self.sessions = sessions
        self.interval = interval
        self.waiter = waiter
        self.random = random
    }

    /// Every distinct socket of `sessions`, in order: what the waiter must wait on.
    public static func sockets(of sessions: [StreamParticipant]) -> [any DatagramSocket] {
        var sockets: [any DatagramSocket] = []
        for session in sessions where !sockets.contains(where: { $0 === session.socket }) {
            sockets.append(session.socket)
        }
        return sockets
    }

    /// Runs until the tracks have finished (`pacingFinished`) or `stop` is set, then says goodbye.
    public func run(start: ClockPair, clocks: some Clocks, pacingFinished: StopSignal, stop: StopSignal) {
        // Right after the first packet: its deadline plus a little for it to leave.
        var next = start.monotonic + 1_000_000
        while !stop.isStopped && !pacingFinished.isStopped {
            let now = clocks.monotonicNow()
            if now >= next {
                // Each report stamped with the clocks read just before it is built and sent, so its NTP time is
                // the moment it leaves, not when the first of many tracks' reports was built.
                for session in sessions { session.send(at: clocks.pairNow(), start: start, goodbye: false) }
                next = clocks.monotonicNow() + nextIntervalNanoseconds()
                continue
            }
            receive(waitingUntil: min(next, now + 20_000_000), clocks: clocks)
        }
        if !stop.isStopped {
            // Natural end: the last packet's media plays out, and the receivers' buffers after it, before the BYE
            // (and the SAP deletion that follows it) tells them the stream is over.
            let end =
                (sessions.map { session -> Int64 in
                    let sent = session.counters.frames.load(ordering: .relaxed)
                    return start.monotonic
                        + MediaTime.nanoseconds(frames: sent, sampleRate: session.identity.sampleRate)
                        + session.identity.packetNanoseconds
                }.max() ?? 0) + Self.goodbyeDelayNanoseconds
            while !stop.isStopped, clocks.monotonicNow() < end {
                receive(waitingUntil: min(end, clocks.monotonicNow() + 20_000_000), clocks: clocks)
            }
        }
        for session in sessions { session.send(at: clocks.pairNow(), start: start, goodbye: true) }
    }

    /// How long after the last packet's media the goodbye waits: 200 ms, twice the 100 ms PipeWire's RTP source
    /// buffers by default and as long as `audiostreamer record`'s latency window, so a receiver that frees a stream
    /// at its BYE or SAP deletion has played (or written) all of it.
    public static let goodbyeDelayNanoseconds: Int64 = 200_000_000

    private func nextIntervalNanoseconds() -> Int64 {
        let average = sessions.map(\.averagePacketBytes).reduce(0, +) / Double(max(1, sessions.count))
        let members = 1 + (sessions.map { $0.receiverStatistics.count }.max() ?? 0)
        let seconds = interval.randomizedSeconds(
            members: members, senders: 1, averagePacketBytes: average, weSent: true, using: &random)
        return Int64(seconds * 1e9)
    }

    /// Reads what arrives on the RTCP sockets until `deadline` (monotonic). Waiting allocates nothing; only a
    /// datagram that arrives is copied out.
    private func receive(waitingUntil deadline: Int64, clocks: some Clocks) {
        let wait = Int((deadline - clocks.monotonicNow() + 999_999) / 1_000_000)
        guard waiter.wait(milliseconds: wait) else { return }
        for (index, socket) in waiter.sockets.enumerated() where waiter.isReadable(index) {
            while let (count, source) = buffer.withUnsafeMutableBytes({ socket.receiveNow(into: $0) }) {
                let arrival = clocks.pairNow()
                let datagram = Array(buffer[0..<count])
                for session in sessions where session.socket === socket {
                    session.receive(datagram, from: source, arrival: arrival)
                }
            }
        }
    }
}
