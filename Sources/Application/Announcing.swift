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

extension SendProgram {
    /// The SAP announcer of a plan, announcing already on a thread of its own.
    final class Announcing: @unchecked Sendable {
        // @unchecked: the announcer's state is its own thread's; `finished` is atomic.
        let announcer: SAPAnnouncer
        let finished = StopSignal()
        var thread: OSThread?

        init(_ announcer: SAPAnnouncer) {
            self.announcer = announcer
        }

        /// Ends the announcements: the deletions go out, and the thread is joined.
        func finish() {
            finished.stop()
            thread?.join()
            thread = nil
        }
    }

    /// Starts announcing every track's SDP with SAP: to 239.255.255.255:9875 for IPv4 (AES67's), the IPv6 group of
    /// the session's scope for IPv6, or the address asked for; with the tracks' multicast hop limit and interface.
    static func startAnnouncing(
        _ plan: TakePlan, request: SendRequest, interface: UInt32, onSecondLeg: Bool = false,
        environment: Environment
    ) throws(SendFailure)
        -> Announcing
    {
        guard let first = plan.tracks.first else { throw .plan(.noStreams, takeFile: nil) }
        let group: IPAddress
        if let text = request.sapAddress {
            guard let address = IPAddress(text), address.isMulticast else { throw .sapAddress(text) }
            group = address
        } else {
            group = first.destination.family == .ipv6 ? SAPGroup.ipv6(for: first.destination.address) : SAPGroup.ipv4
        }
        do {
            let socket = try environment.network.openAnnouncing(
                family: group.family, hops: plan.tracks.compactMap(\.multicastTTL).max() ?? 1, interface: interface,
                loop: first.multicastLoop)
            let announcer = SAPAnnouncer(
                descriptions: plan.tracks.map { plan.sessionDescription(for: $0).rendered() }, socket: socket,
                destination: Endpoint(address: group, port: SAPPacket.port),
                origin: onSecondLeg ? first.secondLeg?.sourceAddress ?? first.sourceAddress : first.sourceAddress,
                random: environment.random())
            let announcing = Announcing(announcer)
            let stop = StopSignal()
            let clocks = environment.clocks
            announcing.thread = try OSThread {
                announcer.run(clocks: clocks, finished: announcing.finished, stop: stop)
            }
            return announcing
        } catch {
            throw .network(error as? SystemError ?? SystemError("socket", errno: 0))
        }
    }
}
