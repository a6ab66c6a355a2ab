import Interfaces
import Numbers
import PCM
import RTP
import SDP

/// Turns a take into a plan. A pure function of the take, the inputs and the random source: no sockets, no clocks
/// read, no files opened.
public enum Planner {
    /// How far ahead of planning an asked start must be, to leave time to open sockets and threads.
    public static let setUpNanoseconds: Int64 = 50_000_000
    /// Without an asked start, tracks start on the first 10 ms boundary of the wall clock this long after planning.
    public static let defaultStartDelayNanoseconds: Int64 = 150_000_000
    public static let startBoundaryNanoseconds: Int64 = 10_000_000

    public static func plan(
        _ take: Take, inputs: PlanInputs, random: inout some RandomNumberGenerator
    ) throws(PlanError) -> TakePlan {
        let local = take.localTracks
        if let node = take.localNode, local.isEmpty { throw .noTrackForNode(node) }
        guard inputs.formats.count == local.count else {
            throw .inputsMissing(expected: local.count, given: inputs.formats.count)
        }
        var seen = Set<String>()
        for (_, track) in local where !seen.insert(track.name).inserted { throw .duplicateTrackName(track.name) }
        // SSRCs given (the option's, or a track's own) must differ: receivers tell streams apart by them.
        let given = local.compactMap { $0.1.ssrc ?? take.ssrc }
        if let shared = Dictionary(grouping: given, by: { $0 }).values.map(\.count).max(), shared > 1 {
            throw .sharedSSRC(tracks: shared)
        }

        let start = try startInstant(take.start, now: inputs.now)
        var events: [PlanEvent] = []
        var plans: [TrackPlan] = []
        for ((slot, track), format) in zip(local, inputs.formats) {
            plans.append(
                try planTrack(
                    track, slot: slot, format: format, take: take, inputs: inputs, start: start, random: &random,
                    events: &events))
        }
        guard let first = plans.first else { throw .inputsMissing(expected: 1, given: 0) }
        // This host as the first track leaves it: the address it binds (--bind), else the route's.
        let localHost = first.sourceAddress
        // A session ID that stays the same for the same take from the same host (SAP receivers and AES67 devices
        // know a stream by it), and a version that is the NTP time the description was made (RFC 8866 section 5.2).
        let sessionID = TakeRules.sessionID(
            name: take.sessionName, host: localHost.description, destination: first.destination.description)
        let origin = SessionDescription.Origin(
            sessionID: sessionID, sessionVersion: TakeRules.sessionVersion(unixNanoseconds: inputs.now),
            address: connectionAddress(localHost))

        let streams = try take.tracks.indices.map { slot throws(PlanError) -> StreamDescription in
            if let mine = plans.first(where: { $0.slot == slot }) { return mine.stream }
            return try remoteStream(take.tracks[slot], slot: slot, take: take, inputs: inputs, start: start)
        }
        return TakePlan(
            tracks: plans, startUnixNanoseconds: start,
            canonicalName: take.canonicalName ?? TakeRules.canonicalName(user: inputs.userName, address: localHost),
            rtcpInterval: rtcpInterval(take.rtcpInterval, tracks: plans), origin: origin, streams: streams,
            sessionName: take.sessionName,
            sessionSDPPath: streams.count > 1 ? take.sdpDirectory + "/session.sdp" : nil, events: events)
    }

    /// The start instant: as asked, if far enough ahead; else the next 10 ms boundary after a short delay.
    static func startInstant(_ request: StartRequest?, now: Int64) throws(PlanError) -> Int64 {
        guard let request else {
            return MediaClock.nextBoundary(after: now + defaultStartDelayNanoseconds, step: startBoundaryNanoseconds)
        }
        let start = request.unixNanoseconds(now: now)
        guard start > now + setUpNanoseconds else {
            throw .startNotInFuture(startUnixNanoseconds: start, nowUnixNanoseconds: now)
        }
        return start
    }

    static func planTrack(
        _ track: TakeTrack, slot: Int, format: PCMFormat, take: Take, inputs: PlanInputs, start: Int64,
        random: inout some RandomNumberGenerator, events: inout [PlanEvent]
    ) throws(PlanError) -> TrackPlan {
        if take.aes67 {
            guard format.sampleRate == 48_000 else { throw .aes67(.sampleRate(format.sampleRate), track: track.name) }
            guard format.channelCount <= 8 else { throw .aes67(.channels(format.channelCount), track: track.name) }
        }
        var track = track
        if let level = take.st2110Level {
            guard let time = level.packetTime(sampleRate: format.sampleRate, channels: format.channelCount) else {
                throw .st2110(level, track: track.name, sampleRate: format.sampleRate, channels: format.channelCount)
            }
            track.packetTime = time
        }
        let encoding = take.studio ? .l24 : take.encoding ?? format.encoding.naturalPayload
        try checkDeclared(track, format: format, take: take)
        let hostName = track.destination ?? take.destination
        let host = try resolved(hostName, inputs)
        let ports = try portsOf(slot: slot, take: take)
        let multicast = host.address.isMulticast
        let source = try take.network.bindAddress.map { text throws(PlanError) in
            guard let address = IPAddress(text), address.family == host.address.family else {
                throw .unresolvedHost(text)
            }
            return address
        }
        let sourceAddress = source ?? host.localAddress
        let ssrc = track.ssrc ?? take.ssrc ?? UInt32.random(in: .min ... .max, using: &random)
        let sequence = take.initialSequenceNumber ?? UInt16.random(in: .min ... .max, using: &random)
        let drawn = take.origin == .random ? UInt32.random(in: .min ... .max, using: &random) : nil
        let context = StreamRule.Context(
            referenceClock: inputs.referenceClock, taiOffsetSeconds: inputs.taiOffsetSeconds, start: start)
        let leg = try secondLeg(slot: slot, take: take, inputs: inputs)
        // Datagrams fit the narrower of the two paths: both legs carry the same ones.
        let pathMTU = [host.pathMTU, leg?.mtu].compactMap { $0 }.min()
        var (stream, sizing) = try StreamRule.describe(
            name: track.name, slot: slot, take: take,
            format: .init(encoding: encoding, sampleRate: format.sampleRate, channelCount: format.channelCount),
            destination: .init(host: hostName, address: host.address, pathMTU: pathMTU), ssrc: ssrc,
            drawnTimestamp: drawn, sourceFilter: sourceAddress, context: context, channelGroups: track.channelGroups,
            packetTime: track.packetTime)
        let mtu = min(take.mtu, pathMTU ?? take.mtu)
        if let leg {
            stream.secondLeg = StreamDescription.Leg(
                destination: StreamRule.connection(leg.destination.address, take: take), port: leg.destination.port,
                rtcpPort: leg.rtcpDestination.port,
                sourceFilter: leg.destination.address.isMulticast ? connectionAddress(leg.sourceAddress) : nil)
        }
        // A level's packet time is part of what its receivers take: a datagram the MTU cannot carry at that time is
        // refused, never sent at another.
        if let level = take.st2110Level, sizing.wasReduced {
            throw .st2110DoesNotFit(
                level, track: track.name, packetTime: track.packetTime ?? take.packetTime, mtu: mtu)
        }
        if take.aes67 && !AES67Problem.framesPerPacket.contains(sizing.framesPerPacket) {
            throw .aes67(.packetTime(frames: sizing.framesPerPacket), track: track.name)
        }
        if take.aes67 && !multicast { throw .aes67(.notMulticast(host.address.description), track: track.name) }
        if sizing.wasReduced {
            events.append(
                .packetTimeAdjusted(
                    track: track.name, requested: track.packetTime ?? take.packetTime, sizing: sizing,
                    bytesPerFrame: format.channelCount * encoding.bytesPerSample, mtu: mtu,
                    sampleRate: format.sampleRate))
        }
        if ports.rtp % 2 == 1 { events.append(.oddPort(track: track.name, port: ports.rtp)) }
        let timestamp =
            StreamRule.mediaClock(take: take, context: context, sampleRate: format.sampleRate, drawn: drawn).first
            ?? 0
        return TrackPlan(
            name: track.name, slot: slot, source: track.source, format: format,
            destination: Endpoint(address: host.address, port: ports.rtp),
            rtcpDestination: Endpoint(address: host.address, port: ports.rtcp),
            rtcpMultiplexed: take.rtcp == .multiplexed, sourceAddress: sourceAddress, bindsSourceAddress: source != nil,
            dscp: take.network.dscp, dontFragment: take.fragmentation != .allowFragmentation, mtu: mtu,
            multicastTTL: multicast ? take.network.ttl ?? NetworkOptions.defaultMulticastTTL : nil,
            multicastLoop: take.network.multicastLoop, sourcePort: ports.source,
            sourceRTCPPort: ports.sourceRTCP,
            encoding: encoding, payloadType: stream.payloadType, ssrc: ssrc, initialSequenceNumber: sequence,
            initialTimestamp: timestamp, sizing: sizing,
            frameLimit: take.duration.map { $0.scaled(by: format.sampleRate) }, loops: take.loops, secondLeg: leg,
            stream: stream, sdpPath: take.sdpDirectory + "/" + track.name + ".sdp")
    }

    /// A track's file against what the take declares of it (a take file's `encoding`, `sample_rate`, `channels`).
    public static func checkDeclared(_ track: TakeTrack, format: PCMFormat, take: Take) throws(PlanError) {
        guard let declared = track.declared else { return }
        let encoding = take.studio ? .l24 : take.encoding ?? format.encoding.naturalPayload
        let actual = DeclaredFormat(
            encoding: encoding, sampleRate: format.sampleRate, channelCount: format.channelCount)
        guard declared.agrees(with: actual) else {
            let file = if case .file(let path) = track.source { path } else { track.name }
            throw .declaredFormatMismatch(track: track.name, declared: declared, actual: actual, file: file)
        }
    }

    /// Track `slot`'s second leg (SMPTE ST 2022-7): to the leg's destination, on its own port base (the first
    /// leg's where none is given), RTCP on the next port or multiplexed as on the first; from the leg's bound
    /// address, else this host's on the way there.
    static func secondLeg(slot: Int, take: Take, inputs: PlanInputs) throws(PlanError) -> SendLeg? {
        guard let redundant = take.redundant else { return nil }
        guard let host = inputs.secondLegHost else { throw .unresolvedHost(redundant.destination) }
        let base = redundant.port ?? take.port
        guard let rtp = TakeRules.port(base: base, slot: slot) else {
            throw .portOutOfRange(.destination, base: base, slot: slot)
        }
        let placement: RTCPPlacement = take.rtcp == .multiplexed ? .multiplexed : .nextPort
        guard let rtcp = TakeRules.rtcpPort(placement, rtpPort: rtp, slot: slot) else {
            throw .portOutOfRange(.destination, base: base, slot: slot)
        }
        let bound = try redundant.bindAddress.map { text throws(PlanError) in
            guard let address = IPAddress(text), address.family == host.address.family else {
                throw .unresolvedHost(text)
            }
            return address
        }
        return SendLeg(
            destination: Endpoint(address: host.address, port: rtp),
            rtcpDestination: Endpoint(address: host.address, port: rtcp), sourceAddress: bound ?? host.localAddress,
            bindsSourceAddress: bound != nil,
            multicastTTL: host.address.isMulticast ? take.network.ttl ?? NetworkOptions.defaultMulticastTTL : nil,
            mtu: min(take.mtu, host.pathMTU ?? take.mtu))
    }

    /// Another node's track, described from what the take declares of it by the one rule. Its sender's address and
    /// route are not known here, so a multicast stream has no source filter.
    static func remoteStream(_ track: TakeTrack, slot: Int, take: Take, inputs: PlanInputs, start: Int64)
        throws(PlanError) -> StreamDescription
    {
        guard let format = track.declared?.complete else {
            throw .remoteTrackUndeclared(track: track.name, node: track.node ?? "")
        }
        let host = track.destination ?? take.destination
        return try StreamRule.describe(
            name: track.name, slot: slot, take: take, format: format,
            destination: .init(host: host, address: inputs.hosts[host]?.address), ssrc: track.ssrc,
            drawnTimestamp: nil, sourceFilter: nil,
            context: .init(
                referenceClock: inputs.referenceClock, taiOffsetSeconds: inputs.taiOffsetSeconds, start: start),
            channelGroups: track.channelGroups
        ).stream
    }

    /// The ports of track `slot`: RTP, RTCP, and the local ones they leave from when the take fixes them.
    static func portsOf(slot: Int, take: Take) throws(PlanError) -> (
        rtp: Int, rtcp: Int, source: Int?, sourceRTCP: Int?
    ) {
        guard let rtp = TakeRules.port(base: take.port, slot: slot) else {
            throw .portOutOfRange(.destination, base: take.port, slot: slot)
        }
        guard let rtcp = TakeRules.rtcpPort(take.rtcp, rtpPort: rtp, slot: slot) else {
            let base = if case .port(let base) = take.rtcp { base } else { take.port }
            throw .portOutOfRange(take.rtcp == .nextPort ? .destination : .rtcpDestination, base: base, slot: slot)
        }
        guard let sourceBase = take.sourcePort else { return (rtp, rtcp, nil, nil) }
        guard let source = TakeRules.port(base: sourceBase, slot: slot),
            let sourceRTCP = take.rtcp == .multiplexed
                ? source : TakeRules.rtcpPort(.nextPort, rtpPort: source, slot: slot)
        else { throw .portOutOfRange(.source, base: sourceBase, slot: slot) }
        return (rtp, rtcp, source, sourceRTCP)
    }

    /// The payload type: as asked if RFC 3551 allows it for this stream, else the static one there is, else 96.
    static func payloadType(_ asked: UInt8?, encoding: AudioPayloadEncoding, sampleRate: Int, channels: Int)
        throws(PlanError) -> UInt8
    {
        let chosen =
            asked ?? RTPPayloadType.staticType(encoding: encoding, sampleRate: sampleRate, channelCount: channels)
            ?? RTPPayloadType.firstDynamic
        guard RTPPayloadType.allows(chosen, encoding: encoding, sampleRate: sampleRate, channelCount: channels) else {
            throw .payloadTypeNotAllowed(
                payloadType: Int(chosen), encoding: encoding, sampleRate: sampleRate, channels: channels)
        }
        return chosen
    }

    /// The RTCP interval for the session bandwidth of the leanest track (RFC 3550 section 6.2).
    static func rtcpInterval(_ policy: RTCPIntervalPolicy, tracks: [TrackPlan]) -> RTCPInterval {
        let bandwidth = RTCPInterval.leanestSessionBandwidth(
            of: tracks.map {
                ($0.format.sampleRate, $0.format.channelCount, $0.encoding.bytesPerSample, $0.framesPerPacket)
            })
        let minimum =
            switch policy {
            case .standard: RTCPInterval.defaultMinimumSeconds
            case .minimum(let seconds): Double(seconds.scaled(by: 1_000_000)) / 1e6
            case .reducedMinimum: RTCPInterval.reducedMinimum(sessionBandwidth: bandwidth)
            }
        return RTCPInterval(sessionBandwidth: bandwidth, minimumSeconds: minimum)
    }

    static func resolved(_ host: String, _ inputs: PlanInputs) throws(PlanError) -> ResolvedHost {
        guard let resolved = inputs.hosts[host] else { throw .unresolvedHost(host) }
        return resolved
    }

    /// `IN IP4 <address>` or `IN IP6 <address>` for an address, by its family.
    public static func connectionAddress(_ address: IPAddress) -> ConnectionAddress {
        ConnectionAddress(family: address.family == .ipv6 ? .ipv6 : .ipv4, address: address.description)
    }
}
