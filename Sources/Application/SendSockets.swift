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
    /// Every host the take names, resolved, with this host's address on the way to each. The hosts of other nodes'
    /// tracks are resolved where they can be: they are only described.
    static func resolveHosts(of take: Take, interface: UInt32) throws(SendFailure) -> [String: ResolvedHost] {
        var hosts: [String: ResolvedHost] = [:]
        let local = Set(take.localTracks.map { $0.track.destination ?? take.destination })
        let all = Set(take.tracks.map { $0.destination ?? take.destination }).union(local)
        for host in all.sorted() {
            do {
                let address = try Resolver.resolve(host)
                let route = try Resolver.route(towards: address, interface: interface)
                hosts[host] = ResolvedHost(address: address, localAddress: route.localAddress, pathMTU: route.mtu)
            } catch let error as ResolutionError {
                if local.contains(host) { throw .unknownHost(error) }
            } catch {
                guard local.contains(host) else { continue }
                let system = error as? SystemError ?? SystemError("connect", errno: 0)
                if let address = try? Resolver.resolve(host) { throw .unreachable(host: host, address, system) }
                throw .network(system)
            }
        }
        return hosts
    }

    /// A track's engine parts, its sockets open.
    struct OpenedTrack {
        var track: Track
        var rtcp: StreamParticipant
        var reader: ReadAheadSource?
        var socket: UDPSocket
        var rtcpSocket: UDPSocket
    }

    /// Opens what a track's plan names: its RTP socket (bound to the source port if any, connected to the
    /// destination) and its RTCP socket (the same with rtcp-mux, else its own, bound so reports come back to it).
    static func open(
        _ plan: TrackPlan, source: any FrameSource, plan session: TakePlan, interface: UInt32,
        clock: MonotonicTimeline, stop: StopSignal
    ) throws(SendFailure) -> OpenedTrack {
        let (socket, rtcpSocket) = try openSockets(plan, interface: interface)
        // Files are read ahead by one reader thread, off the pacing thread: a ring of at least a second each.
        var reader: ReadAheadSource?
        if case .file = plan.source {
            let format = plan.format
            reader = ReadAheadSource(
                source, capacity: max(256 * 1024, format.sampleRate * format.bytesPerFrame),
                maximumFrames: plan.framesPerPacket, loops: plan.loops, clock: clock, stop: stop)
        }
        let packetizer = Packetizer(
            source: plan.format.encoding, encoding: plan.encoding, channelCount: plan.format.channelCount,
            framesPerPacket: plan.framesPerPacket, payloadType: plan.payloadType, ssrc: plan.ssrc,
            initialSequenceNumber: plan.initialSequenceNumber, initialTimestamp: plan.initialTimestamp)
        let track = Track(
            name: plan.name, source: reader ?? source, packetizer: packetizer, sink: socket,
            frameLimit: plan.frameLimit, loops: plan.loops)
        let rtcp = StreamParticipant(
            track: track, socket: rtcpSocket, destination: plan.rtcpDestination,
            canonicalName: session.canonicalName, isMultiplexed: plan.rtcpMultiplexed)
        return OpenedTrack(track: track, rtcp: rtcp, reader: reader, socket: socket, rtcpSocket: rtcpSocket)
    }

    /// A track's RTP socket (connected to the destination) and RTCP socket (the same with rtcp-mux), both marked
    /// with the track's DSCP, with Don't Fragment unless fragmentation is allowed, with the multicast hop limit,
    /// interface and loop for a multicast destination, and bound to the asked address. RTCP leaves from the RTP
    /// source port + 1 (RFC 3550 section 11): with a system-chosen port, pairs are tried until one is free.
    static func openSockets(_ plan: TrackPlan, interface: UInt32) throws(SendFailure) -> (UDPSocket, UDPSocket) {
        let family = plan.destination.family
        let bindAddress = plan.bindsSourceAddress ? plan.sourceAddress : .unspecified(family)
        func prepared() throws -> UDPSocket {
            let socket = try UDPSocket(family: family)
            try socket.setDSCP(plan.dscp)
            if let ttl = plan.multicastTTL {
                try socket.setMulticast(hops: ttl, interface: interface, loop: plan.multicastLoop)
            }
            return socket
        }
        var attempt = 0
        while true {
            attempt += 1
            do {
                let socket = try prepared()
                socket.setBufferSize(send: 1 << 20)
                try socket.setDontFragment(plan.dontFragment)
                try socket.bind(to: Endpoint(address: bindAddress, port: plan.sourcePort ?? 0))
                try socket.connect(to: plan.destination)
                if plan.rtcpMultiplexed { return (socket, socket) }
                let rtcpSocket = try prepared()
                // RTCP listens where RTP leaves from (the address the route chose, 127.0.0.1 towards loopback), not
                // on every interface: reports come back to the address the sender reports come from.
                let local = try socket.localEndpoint()
                // A system-chosen 65535 has no next port: another pair is tried.
                guard let rtcpPort = plan.sourceRTCPPort ?? TakeRules.nextPort(after: local.port) else { continue }
                do {
                    try rtcpSocket.bind(to: Endpoint(address: local.address, port: rtcpPort), reusingAddress: false)
                } catch let error as SystemError where error.isAddressInUse && plan.sourcePort == nil && attempt < 32 {
                    continue
                }
                return (socket, rtcpSocket)
            } catch {
                throw .network(error as? SystemError ?? SystemError("socket", errno: 0))
            }
        }
    }

    /// Writes every track's SDP, then the session's, each atomically, creating the folder. Writes every SDP file of the plan; when one cannot be written and `all` is set (at the start), those already
    /// written go too, so a start that fails leaves none behind.
    static func writeSDPFiles(of plan: TakePlan, all: Bool = false) throws(SendFailure) {
        var written: [String] = []
        do throws(SendFailure) {
            for track in plan.tracks {
                try writeSDP(plan.sessionDescription(for: track), to: track.sdpPath)
                written.append(track.sdpPath)
            }
            if let path = plan.sessionSDPPath { try writeSDP(plan.sessionDescription, to: path) }
        } catch {
            if all { written.forEach(FileSystem.remove) }
            throw error
        }
    }

    /// The paths of every SDP file of the plan.
    static func sdpPaths(of plan: TakePlan) -> [String] {
        plan.tracks.map(\.sdpPath) + (plan.sessionSDPPath.map { [$0] } ?? [])
    }

    /// Writes an SDP file atomically, creating its folder.
    public static func writeSDP(_ description: SessionDescription, to path: String) throws(SendFailure) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        do {
            if !folder.isEmpty { try FileSystem.createDirectory(folder) }
            try FileSystem.writeAtomically(Array(description.rendered().utf8), to: path)
        } catch {
            throw .sdpNotWritten(path: path, reason: "\(error)")
        }
    }
}
