import Platform

/// Sends every track's RTCP on a thread of its own and reads what comes back, apart from the packet path.
///
/// The first compound goes out right after the first RTP packet (receivers align nothing before a sender
/// report), the next after the RFC 3550 interval. When the tracks end, the last compound (SR, SDES, BYE) waits
/// until the last packet's media has played out, one packet time after it; when stopped by a signal it goes
/// at once.
public final class RTCPReporter: @unchecked Sendable {
    // @unchecked: `random`, `buffer` and the poller belong to the reporter's thread from `run` on.
    public let sessions: [RTCPSession]
    public let interval: RTCPInterval
    private var random: any RandomNumberGenerator
    /// Every RTCP socket once (with rtcp-mux several sessions could share none, but each has its own).
    private let poller: SocketPoller
    private var buffer = [UInt8](repeating: 0, count: 2048)

    public init(sessions: [RTCPSession], interval: RTCPInterval, random: any RandomNumberGenerator) {
        var sockets: [UDPSocket] = []
        for session in sessions where !sockets.contains(where: { $0 === session.socket }) {
            sockets.append(session.socket)
        }
        poller = SocketPoller(sockets)
        self.sessions = sessions
        self.interval = interval
        self.random = random
    }

    /// Runs until the tracks have finished (`pacingFinished`) or `stop` is set, then says goodbye.
    public func run(start: ClockPair, pacingFinished: StopSignal, stop: StopSignal) {
        let clock = MonotonicClock()
        // Right after the first packet: its deadline plus a little for it to leave.
        var next = start.monotonic + 1_000_000
        while !stop.isStopped && !pacingFinished.isStopped {
            let now = clock.now()
            if now >= next {
                // Each report stamped with the clocks read just before it is built and sent, so its NTP time is
                // the moment it leaves, not when the first of many tracks' reports was built.
                for session in sessions { session.send(at: ClockPair.now(), start: start, goodbye: false) }
                next = clock.now() + nextIntervalNanoseconds()
                continue
            }
            receive(waitingUntil: min(next, now + 20_000_000))
        }
        if !stop.isStopped {
            // Natural end: let the last packet's media play out before the BYE.
            let end =
                sessions.map { session in
                    start.monotonic + session.track.sentMediaNanoseconds + session.track.packetNanoseconds
                }.max() ?? 0
            while !stop.isStopped, clock.now() < end {
                receive(waitingUntil: min(end, clock.now() + 20_000_000))
            }
        }
        for session in sessions { session.send(at: ClockPair.now(), start: start, goodbye: true) }
    }

    private func nextIntervalNanoseconds() -> Int64 {
        let average = sessions.map(\.averagePacketBytes).reduce(0, +) / Double(max(1, sessions.count))
        let members = 1 + (sessions.map { $0.receiverStatistics.count }.max() ?? 0)
        let seconds = interval.randomizedSeconds(
            members: members, senders: 1, averagePacketBytes: average, using: &random)
        return Int64(seconds * 1e9)
    }

    /// Reads what arrives on the RTCP sockets until `deadline` (monotonic). Waiting allocates nothing; only a
    /// datagram that arrives is copied out.
    private func receive(waitingUntil deadline: Int64) {
        let wait = Int((deadline - MonotonicClock().now() + 999_999) / 1_000_000)
        guard poller.wait(milliseconds: wait) else { return }
        for (index, socket) in poller.sockets.enumerated() where poller.isReadable(index) {
            while let (count, source) = buffer.withUnsafeMutableBytes({ socket.receiveNow(into: $0) }) {
                let arrival = ClockPair.now()
                let datagram = Array(buffer[0..<count])
                for session in sessions where session.socket === socket {
                    session.receive(datagram, from: source, arrival: arrival)
                }
            }
        }
    }
}
