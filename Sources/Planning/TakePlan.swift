import Interfaces
import Numbers
import PCM
import RTP
import SDP

/// What planning needs beyond the take, found out beforehand by whoever can (the files' formats, the resolved
/// addresses, the time, the user): plain values, so that a plan is a function of the take and these.
public struct PlanInputs: Sendable, Hashable {
    /// The format of each local track's source, in the order of `Take.localTracks`.
    public var formats: [PCMFormat]
    /// Every host the take names (its destination and each track's own), resolved.
    public var hosts: [String: ResolvedHost]
    /// Wall-clock time of planning, Unix nanoseconds.
    public var now: Int64
    /// The user the default CNAME names (`user@address`).
    public var userName: String
    /// What `a=ts-refclk` may truly say of this host's clock (see `ReferenceClock.describe`).
    public var referenceClock: String
    /// TAI - UTC in seconds, for timestamps on PTP time.
    public var taiOffsetSeconds: Int
    /// The second leg's destination as resolved on its own interface (SMPTE ST 2022-7), where the take has one.
    public var secondLegHost: ResolvedHost?

    public init(
        formats: [PCMFormat], hosts: [String: ResolvedHost], now: Int64, userName: String, referenceClock: String,
        taiOffsetSeconds: Int = TAI.defaultOffsetSeconds
    ) {
        self.formats = formats
        self.hosts = hosts
        self.now = now
        self.userName = userName
        self.referenceClock = referenceClock
        self.taiOffsetSeconds = taiOffsetSeconds
    }
}

/// A destination host as resolved: its address, and this host's own address on the way there (for `o=` and the
/// CNAME).
public struct ResolvedHost: Sendable, Hashable {
    public var address: IPAddress
    public var localAddress: IPAddress
    /// The MTU of the route there (the outgoing interface's, or what path MTU discovery learned), when known.
    public var pathMTU: Int?

    public init(address: IPAddress, localAddress: IPAddress, pathMTU: Int? = nil) {
        self.address = address
        self.localAddress = localAddress
        self.pathMTU = pathMTU
    }
}

/// Something the plan decided that the user should hear about; nothing is wrong.
public enum PlanEvent: Sendable, Hashable {
    /// The asked packet time did not fit the MTU; a shorter one is used.
    case packetTimeAdjusted(
        track: String, requested: PacketTime, sizing: PacketSizing, bytesPerFrame: Int, mtu: Int,
        sampleRate: Int)
    /// The track's RTP port is odd, where receivers expect an even one with RTCP on the next.
    case oddPort(track: String, port: Int)
}

/// Everything about sending one track, decided: a value to print and test, which the engines then run and the
/// platform opens.
public struct TrackPlan: Sendable, Hashable {
    public var name: String
    /// Its place in the take, which fixes its ports.
    public var slot: Int
    public var source: TrackSource
    /// The source's format.
    public var format: PCMFormat
    public var destination: Endpoint
    public var rtcpDestination: Endpoint
    public var rtcpMultiplexed: Bool
    /// The local address the track's sockets bind to (the source of its datagrams, `a=source-filter`'s address).
    public var sourceAddress: IPAddress
    /// Whether the sockets bind to `sourceAddress` (asked for) rather than letting the system choose.
    public var bindsSourceAddress: Bool
    /// The DSCP of its datagrams, and whether Don't Fragment is set (everything but an allowed fragmentation).
    public var dscp: Int
    public var dontFragment: Bool
    /// The MTU the datagrams were sized for: the option's, or the route's where smaller.
    public var mtu: Int
    /// For a multicast destination: the hop limit, and whether this host hears its own datagrams.
    public var multicastTTL: Int?
    public var multicastLoop: Bool
    /// The local ports RTP and RTCP leave from; nil lets the system choose.
    public var sourcePort: Int?
    public var sourceRTCPPort: Int?
    public var encoding: AudioPayloadEncoding
    public var payloadType: UInt8
    public var ssrc: UInt32
    public var initialSequenceNumber: UInt16
    public var initialTimestamp: UInt32
    public var sizing: PacketSizing
    /// Frames to send before stopping; nil sends the source once (or forever when looping).
    public var frameLimit: Int?
    public var loops: Bool
    /// Its second leg (SMPTE ST 2022-7): the same datagrams to another destination on another network.
    public var secondLeg: SendLeg?
    /// What its SDP says.
    public var stream: StreamDescription
    /// Where its SDP file goes.
    public var sdpPath: String

    /// Frames in a full packet.
    public var framesPerPacket: Int { sizing.framesPerPacket }
    /// The media time of a full packet in nanoseconds.
    public var packetNanoseconds: Int64 {
        MediaTime.nanoseconds(frames: sizing.framesPerPacket, sampleRate: format.sampleRate)
    }
}

/// Where a track's second leg goes and how it leaves.
public struct SendLeg: Sendable, Hashable {
    public var destination: Endpoint
    public var rtcpDestination: Endpoint
    /// The local address its sockets bind to (its `a=source-filter`), and whether they bind it.
    public var sourceAddress: IPAddress
    public var bindsSourceAddress: Bool
    public var multicastTTL: Int?
    /// The MTU of its route, where smaller than the take's.
    public var mtu: Int
}

extension TrackPlan {
    /// The plan as its second leg sends: the first's datagrams, to the leg's destination from the leg's address.
    public var onSecondLeg: TrackPlan? {
        guard let leg = secondLeg else { return nil }
        var plan = self
        plan.destination = leg.destination
        plan.rtcpDestination = leg.rtcpDestination
        plan.sourceAddress = leg.sourceAddress
        plan.bindsSourceAddress = leg.bindsSourceAddress
        plan.multicastTTL = leg.multicastTTL
        plan.sourcePort = nil
        plan.sourceRTCPPort = nil
        plan.secondLeg = nil
        return plan
    }
}

/// A whole take, planned for this node.
public struct TakePlan: Sendable, Hashable {
    /// The tracks this process sends, in take order.
    public var tracks: [TrackPlan]
    /// When every track's first sample is due, Unix nanoseconds.
    public var startUnixNanoseconds: Int64
    /// The RTCP CNAME of every track of this process.
    public var canonicalName: String
    /// When RTCP may be sent (RFC 3550 section 6.3), for the tracks' common session bandwidth.
    public var rtcpInterval: RTCPInterval
    /// The `o=` line of every SDP this process writes.
    public var origin: SessionDescription.Origin
    /// Every stream of the take, this node's and the others', in take order.
    public var streams: [StreamDescription]
    public var sessionName: String
    /// Where the session SDP goes, when the take has more than one stream.
    public var sessionSDPPath: String?
    /// What the user should hear about, in the order it was decided.
    public var events: [PlanEvent]

    /// The SDP of one of this process's tracks. Its `o=` is the stream's own (RFC 8866 makes it a session's unique
    /// identifier; SAP receivers and AES67 devices key streams by it): derived from the take, the track, this host
    /// and the track's destination, so it is the same for the same stream in every run.
    public func sessionDescription(for track: TrackPlan) -> SessionDescription {
        var own = origin
        own.sessionID = TakeRules.sessionID(
            name: "\(sessionName)/\(track.name)", host: origin.address.address,
            destination: track.destination.description)
        return track.stream.sessionDescription(origin: own)
    }

    /// The plan with every one of its streams naming another reference clock (a new grandmaster), as a new version
    /// of its descriptions.
    public func withReferenceClock(_ referenceClock: String, version: UInt64) -> TakePlan {
        var plan = self
        for index in plan.tracks.indices { plan.tracks[index].stream.referenceClock = referenceClock }
        for index in plan.streams.indices { plan.streams[index].referenceClock = referenceClock }
        plan.origin.sessionVersion = max(version, origin.sessionVersion + 1)
        return plan
    }

    /// The SDP holding every stream of the take.
    public var sessionDescription: SessionDescription {
        StreamDescription.sessionDescription(for: streams, name: sessionName, origin: origin)
    }
}
