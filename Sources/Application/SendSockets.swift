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
    static func resolveHosts(of take: Take, interface: UInt32, network: any Network) throws(SendFailure)
        -> [String: ResolvedHost]
    {
        var hosts: [String: ResolvedHost] = [:]
        let local = Set(take.localTracks.map { $0.track.destination ?? take.destination })
        let all = Set(take.tracks.map { $0.destination ?? take.destination }).union(local)
        for host in all.sorted() {
            do {
                let address = try network.resolve(host)
                let route = try network.route(towards: address, interface: interface)
                hosts[host] = ResolvedHost(address: address, localAddress: route.localAddress, pathMTU: route.mtu)
            } catch let error as ResolutionError {
                if local.contains(host) { throw .unknownHost(error) }
            } catch {
                guard local.contains(host) else { continue }
                let system = error as? SystemError ?? SystemError("connect", errno: 0)
                if let address = try? network.resolve(host) { throw .unreachable(host: host, address, system) }
                throw .network(system)
            }
        }
        return hosts
    }

    /// The host `name` resolved, with this host's address and the route's MTU on the way there by `interface`;
    /// `secondLeg` says, in a failure, that it is the ST 2022-7 second leg's.
    static func resolveHost(_ name: String, interface: UInt32, network: any Network, secondLeg: Bool = false)
        throws(SendFailure) -> ResolvedHost
    {
        do {
            let address = try network.resolve(name)
            let route = try network.route(towards: address, interface: interface)
            return ResolvedHost(address: address, localAddress: route.localAddress, pathMTU: route.mtu)
        } catch let error as ResolutionError {
            throw .unknownHost(error, secondLeg: secondLeg)
        } catch {
            let system = error as? SystemError ?? SystemError("connect", errno: 0)
            if let address = try? network.resolve(name) {
                throw .unreachable(host: name, address, system, secondLeg: secondLeg)
            }
            throw .network(system)
        }
    }

    /// Every track of the take as bundling sees it: this node's from their files (with their WAV speaker masks
    /// where the take is this node's alone; a take file's nodes describe each other's bundles without them), each
    /// checked against what the take declares of it; another node's as declared.
    static func bundlingMembers(of take: Take, files: [WAVFrameReader], fileOf: [Int: Int]) throws(PlanError)
        -> [Bundling.Member]
    {
        try take.tracks.indices.map { index throws(PlanError) -> Bundling.Member in
            let track = take.tracks[index]
            guard let file = fileOf[index].map({ files[$0] }) else {
                guard let member = Bundling.Member(declared: track) else {
                    throw .remoteTrackUndeclared(track: track.name, node: track.node ?? "")
                }
                return member
            }
            try Planner.checkDeclared(track, format: file.format, take: take)
            return Bundling.Member(
                name: track.name, format: file.format,
                channelMask: take.localNode == nil ? file.layout.channelMask : 0, node: track.node)
        }
    }

    /// A track's engine parts, its sockets open.
    struct OpenedTrack {
        var track: Track
        var rtcp: StreamParticipant
        var reader: ReadAheadSource?
        var sockets: SendingSockets
        /// An ST 2022-7 stream's second leg: its sockets and its own sender reports.
        var secondLeg: (rtcp: StreamParticipant, sockets: SendingSockets)?
    }

    /// Opens what a track's plan names: its RTP socket (bound to the source port if any, connected to the
    /// destination) and its RTCP socket (the same with rtcp-mux, else its own, bound so reports come back to it).
    static func open(
        _ plan: TrackPlan, source: any FrameSource, plan session: TakePlan, interface: UInt32,
        secondInterface: UInt32 = 0, environment: Environment, stop: StopSignal
    ) throws(SendFailure) -> OpenedTrack {
        let sockets: SendingSockets
        var secondSockets: SendingSockets?
        do {
            sockets = try environment.network.openSending(plan, interface: interface)
            if let leg = plan.onSecondLeg {
                secondSockets = try environment.network.openSending(leg, interface: secondInterface)
            }
        } catch {
            throw .network(error as? SystemError ?? SystemError("socket", errno: 0))
        }
        let clock = environment.timeline
        // Files (and bundles of them) are read ahead by one reader thread, off the pacing thread: a ring of at least
        // a second each.
        var reader: ReadAheadSource?
        if plan.source != .testSignal {
            let format = plan.format
            reader = ReadAheadSource(
                source, capacity: max(256 * 1024, format.sampleRate * format.bytesPerFrame),
                maximumFrames: plan.framesPerPacket, loops: plan.loops, clock: clock, stop: stop)
        }
        let packetizer = Packetizer(
            source: plan.format.encoding, encoding: plan.encoding, channelCount: plan.format.channelCount,
            framesPerPacket: plan.framesPerPacket, payloadType: plan.payloadType, ssrc: plan.ssrc,
            initialSequenceNumber: plan.initialSequenceNumber, initialTimestamp: plan.initialTimestamp)
        // Each datagram on both legs from the same deadline, where the stream has two.
        let sink: any DatagramSink = secondSockets.map { DuplicatingSink(sockets.rtp, $0.rtp) } ?? sockets.rtp
        let track = Track(
            name: plan.name, source: reader ?? source, packetizer: packetizer, sink: sink,
            frameLimit: plan.frameLimit, loops: plan.loops)
        let rtcp = StreamParticipant(
            track: track, socket: sockets.rtcp, destination: plan.rtcpDestination,
            canonicalName: session.canonicalName, isMultiplexed: plan.rtcpMultiplexed)
        var secondLeg: (rtcp: StreamParticipant, sockets: SendingSockets)?
        if let leg = plan.onSecondLeg, let legSockets = secondSockets {
            let participant = StreamParticipant(
                track: track, socket: legSockets.rtcp, destination: leg.rtcpDestination,
                canonicalName: session.canonicalName, isMultiplexed: leg.rtcpMultiplexed)
            secondLeg = (participant, legSockets)
        }
        return OpenedTrack(track: track, rtcp: rtcp, reader: reader, sockets: sockets, secondLeg: secondLeg)
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
