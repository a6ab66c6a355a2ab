import Numbers
import PCM

/// What a user asks to send: the destination, how to packetize and announce, when to start, and the tracks.
///
/// A take comes from the command line's options, from a take file shared by several PCs, or both (the file's
/// destination, port, packet time and tracks over the options). It says nothing about sockets or clocks: the planner
/// turns it, with the inputs' formats and the resolved addresses, into one plan per track.
public struct Take: Sendable, Hashable {
    /// What a take without other word uses.
    public enum Defaults {
        public static let destination = "127.0.0.1"
        public static let port = 5004
        public static let mtu = 1500
        public static let sdpDirectory = "sdp"
        public static let sessionName = "audiostreamer session"
    }

    /// The take's name: the session SDP's `s=`, and what SSRCs are derived from in a take file.
    public var name: String?
    /// The destination host, a name or a numeric address.
    public var destination = Defaults.destination
    /// The RTP port of the first track; track i goes to `port` + 2i.
    public var port = Defaults.port
    public var packetTime = PacketTime.standard
    /// The payload; nil picks the one that carries the file losslessly (L16 for 8 and 16-bit, else L24).
    public var encoding: AudioPayloadEncoding?
    /// The RTP payload type; nil picks RFC 3551's static one where there is one, else 96.
    public var payloadType: UInt8?
    /// The SSRC of a track that has none of its own; nil draws one at random.
    public var ssrc: UInt32?
    public var initialSequenceNumber: UInt16?
    /// A fixed first RTP timestamp; nil lets `timestampOrigin` decide.
    public var initialTimestamp: UInt32?
    /// Where the RTP timestamps start; nil is the take's default (`origin`).
    public var timestampOrigin: TimestampOrigin?
    public var mtu = Defaults.mtu
    public var fragmentation = FragmentationPolicy.fit
    public var rtcp = RTCPPlacement.nextPort
    public var rtcpInterval = RTCPIntervalPolicy.standard
    /// The local port track 0's RTP leaves from (track i from + 2i, RTCP from the next); nil lets the system choose.
    public var sourcePort: Int?
    /// The CNAME of every track of this process; nil makes one from the user and the local address.
    public var canonicalName: String?
    /// Media to send, in seconds; nil sends each source once (or forever when looping).
    public var duration: ExactDecimal?
    public var loops = false
    /// When the first sample is due; nil is the next 10 ms boundary of the wall clock, shortly after planning.
    public var start: StartRequest?
    /// The folder the SDP files go to.
    public var sdpDirectory = Defaults.sdpDirectory
    /// Every track of the take, in order: a track's place in this list is its slot, which fixes its ports.
    public var tracks: [TakeTrack] = []
    /// Which node this process is: it sends the tracks of that node and describes the others; nil sends all.
    public var localNode: String?
    /// How the datagrams go on the network: DSCP, multicast scope and interface, the local address.
    public var network = NetworkOptions()
    /// Whether the take must be what AES67 receivers accept: multicast, 48 kHz, L24, at most 8 channels a stream.
    public var aes67 = false
    /// The most channels a stream carries where tracks are bundled (`--bundle`); nil sends a stream per track.
    public var bundle: Int?
    /// SMPTE ST 2022-7: every packet sent again, identically and from the same deadline, on a second network.
    public var redundant: RedundantLeg?
    /// The ST 2110-30 conformance level the streams must meet (`--st2110-level`): it bundles the tracks up to its
    /// largest stream, and sets each stream's packet time.
    public var st2110Level: ST2110Level?

    public init() {}

    /// The tracks this process sends, with their slots.
    public var localTracks: [(slot: Int, track: TakeTrack)] {
        tracks.enumerated().filter { localNode == nil || $0.element.node == localNode }.map { ($0.offset, $0.element) }
    }

    /// Where the RTP timestamps start: as asked, else PTP time for an AES67 take (AES67's media clock), else the
    /// wall clock.
    public var origin: TimestampOrigin { timestampOrigin ?? (studio ? .ptp : .wallClock) }

    /// Whether the take is for studio receivers (`--aes67` or an ST 2110-30 level): L24, PTP time and clock where
    /// ptp4l answers (else the system clock, with a warning), SAP on.
    public var studio: Bool { aes67 || st2110Level != nil }

    /// The name for the session SDP.
    public var sessionName: String { name ?? Defaults.sessionName }
}

/// One track of a take.
public struct TakeTrack: Sendable, Hashable {
    public var name: String
    public var source: TrackSource
    /// The node (PC) that sends it; nil on a take without nodes.
    public var node: String?
    /// What the take declares of its format, so other nodes can describe it.
    public var declared: DeclaredFormat?
    public var ssrc: UInt32?
    /// A destination of its own instead of the take's.
    public var destination: String?
    /// A packet time of its own instead of the take's (an ST 2110-30 level's for its channel count).
    public var packetTime: PacketTime?
    /// A bundle's channel groups, one per source in order (ST 2110-30 channel order, labels); nil for one source.
    public var channelGroups: [ChannelGroup]?

    public init(
        name: String, source: TrackSource, node: String? = nil, declared: DeclaredFormat? = nil, ssrc: UInt32? = nil,
        destination: String? = nil
    ) {
        self.name = name
        self.source = source
        self.node = node
        self.declared = declared
        self.ssrc = ssrc
        self.destination = destination
    }
}

/// Where a track's samples come from.
public enum TrackSource: Sendable, Hashable {
    /// A WAV file by path.
    case file(String)
    /// The built-in test signal.
    case testSignal
    /// Several sources interleaved in one stream, each source's channels after the one before's.
    case bundle([TrackSource])
}

/// A stream format as a take declares it (or as a file has it); any part may be left out.
public struct DeclaredFormat: Sendable, Hashable, CustomStringConvertible {
    public var encoding: AudioPayloadEncoding?
    public var sampleRate: Int?
    public var channelCount: Int?

    public init(encoding: AudioPayloadEncoding? = nil, sampleRate: Int? = nil, channelCount: Int? = nil) {
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channelCount = channelCount
    }

    /// Whether every part this declares agrees with `other`.
    public func agrees(with other: DeclaredFormat) -> Bool {
        (encoding == nil || encoding == other.encoding) && (sampleRate == nil || sampleRate == other.sampleRate)
            && (channelCount == nil || channelCount == other.channelCount)
    }

    /// `L24 48000 Hz 2 ch`, with `?` for a part left out.
    public var description: String {
        "\(encoding?.name ?? "?") \(sampleRate.map(String.init) ?? "?") Hz \(channelCount.map(String.init) ?? "?") ch"
    }
}

/// Where a track's RTCP goes.
public enum RTCPPlacement: Sendable, Hashable {
    /// The RTP port + 1 (RFC 3550 section 11).
    case nextPort
    /// This port for track 0, + 2i for track i (announced with RFC 3605 `a=rtcp`).
    case port(Int)
    /// The RTP port itself (RFC 5761, `a=rtcp-mux`).
    case multiplexed
}

/// How short the RTCP interval may be (RFC 3550 section 6.2).
public enum RTCPIntervalPolicy: Sendable, Hashable {
    /// The RFC's 5 s minimum.
    case standard
    /// A minimum of this many seconds.
    case minimum(ExactDecimal)
    /// The "reduced minimum": 360 / session bandwidth in kbit/s.
    case reducedMinimum
}

/// Where the RTP timestamps of a stream start.
public enum TimestampOrigin: Sendable, Hashable {
    /// From the wall clock at the start instant (RFC 7273 direct, offset 0): the default.
    case wallClock
    /// A random offset (RFC 3550 section 5.1's classic choice).
    case random
    /// From PTP time at the start instant: TAI, the wall clock plus TAI - UTC (AES67's media clock, RFC 7273 direct
    /// with offset 0 against a PTP reference clock).
    case ptp
}

/// How a take's datagrams go on the network.
public struct NetworkOptions: Sendable, Hashable {
    /// AF41, what AES67 gives media and RTCP (RFC 4594's multimedia conferencing class).
    public static let defaultDSCP = 34
    /// A multicast stream stays on the local network unless told otherwise.
    public static let defaultMulticastTTL = 1

    /// The DSCP of every RTP and RTCP datagram.
    public var dscp = defaultDSCP
    /// The IPv4 TTL or IPv6 hop limit of multicast datagrams; nil is `defaultMulticastTTL`.
    public var ttl: Int?
    /// The interface multicast leaves by (or is joined on), by name or address; nil leaves the routing table's.
    public var interface: String?
    /// Whether this host's own sockets hear its multicast.
    public var multicastLoop = false
    /// The local address the sending sockets bind to; nil lets the system choose.
    public var bindAddress: String?

    public init() {}
}

/// The second network of an ST 2022-7 take: where its copies go and how they leave.
public struct RedundantLeg: Sendable, Hashable {
    /// The destination host of the second leg, a name or a numeric address.
    public var destination: String
    /// The RTP port of track 0 on the second leg (track i on + 2i); nil: the first leg's.
    public var port: Int?
    /// The interface the second leg's multicast leaves by, by name or address; nil: the routing table's.
    public var interface: String?
    /// The local address the second leg's sockets bind to; nil: the system's choice.
    public var bindAddress: String?

    public init(destination: String, port: Int? = nil, interface: String? = nil, bindAddress: String? = nil) {
        self.destination = destination
        self.port = port
        self.interface = interface
        self.bindAddress = bindAddress
    }
}
