import Interfaces
import Numbers
import PCM
import RTP
import SDP

/// What a user asks to record: the streams to expect, how long to wait for late packets, where the files go, and
/// when the take starts and ends.
public struct RecordTake: Sendable, Hashable {
    /// What a take without other word uses.
    public enum Defaults {
        /// Long enough for a LAN's jitter and for a sender's first report to arrive after its first packet.
        public static let latencyMilliseconds = ExactDecimal(numerator: 200)
        public static let idleSeconds = ExactDecimal(numerator: 10)
    }

    /// One stream to record.
    public struct Stream: Sendable, Hashable {
        public var description: StreamDescription
        /// Where it was described, for messages: `file.sdp:7`, a take file's track, the options.
        public var origin: String
        /// The RTP clock's tie to the wall clock is assumed (a take file's senders use wall-clock timestamps unless
        /// told otherwise) rather than stated by an SDP: sender reports that disagree win.
        public var mediaClockAssumed: Bool
        /// The description was written by the stream's own sender (its SDP's `o=` names the stream's source).
        public var fromSender: Bool

        public init(
            description: StreamDescription, origin: String, mediaClockAssumed: Bool = false, fromSender: Bool = false
        ) {
            self.description = description
            self.origin = origin
            self.mediaClockAssumed = mediaClockAssumed
            self.fromSender = fromSender
        }
    }

    public var streams: [Stream] = []
    /// How long a packet may be late and still take its place.
    public var latencyMilliseconds = Defaults.latencyMilliseconds
    public var output = RecordOutput.directory(".")
    /// The take's time zero; nil is the earliest first sample of any track.
    public var start: StartRequest?
    /// Media to record from time zero, in seconds; nil records until the streams end.
    public var duration: ExactDecimal?
    /// Stop after this long without a packet, once packets have come.
    public var idleSeconds = Defaults.idleSeconds
    /// The recorder's RTCP CNAME; nil makes one from the user and the local address.
    public var canonicalName: String?
    /// The interface multicast groups are joined on, by name or address; nil leaves the routing table's.
    public var interface: String?
    /// The interface the second legs of ST 2022-7 streams are joined on; nil leaves the routing table's.
    public var redundantInterface: String?
    /// The DSCP of the receiver reports.
    public var dscp = NetworkOptions.defaultDSCP
    /// The least time between receiver reports before RFC 3550's randomisation, in seconds.
    public var rtcpMinimumSeconds = ExactDecimal(numerator: 5)

    public init() {}
}

/// Where the recording goes.
public enum RecordOutput: Sendable, Hashable {
    /// One WAV per track in this folder.
    case directory(String)
    /// Every track interleaved in one WAV, in the take's order.
    case multichannel(String)

    /// Whether each track has a file of its own.
    public var isDirectory: Bool {
        if case .directory = self { true } else { false }
    }
}

/// One track to record, decided.
public struct RecordTrackPlan: Sendable, Hashable {
    public var name: String
    public var stream: StreamDescription
    /// Where its RTP is received, and its RTCP (nil with rtcp-mux: on the RTP socket).
    public var listen: Endpoint
    public var rtcpListen: Endpoint?
    /// For a multicast stream: the group to join, and its one source when the SDP names it (source-specific).
    public var multicastGroup: IPAddress?
    public var multicastSource: IPAddress?
    /// The SSRC to expect, when the description names one; otherwise the first one heard.
    public var expectedSSRC: UInt32?
    public var clock: TimelineClock
    /// How many frames late a packet may be and still take its place.
    public var latencyFrames: Int
    /// Where its file goes (one file per track).
    public var path: String
    public var origin: String
    /// The second leg of an ST 2022-7 stream (RFC 7104 `a=group:DUP`): where its copy is received, merged with the
    /// first by sequence number; nil for a stream on one network.
    public var secondLeg: RecordLeg?
    /// A bundle's channel groups, each a file of its own (where the stream's description gives a channel order and
    /// each track has its file); nil: the stream is one file, `path`.
    public var parts: [RecordPart]?

    /// Where the stream (its first leg) is received.
    public var firstLeg: RecordLeg {
        RecordLeg(
            listen: listen, rtcpListen: rtcpListen, multicastGroup: multicastGroup, multicastSource: multicastSource)
    }

    /// The files the track's audio goes to.
    public var paths: [String] { parts?.map(\.path) ?? [path] }

    public init(
        name: String, stream: StreamDescription, listen: Endpoint, rtcpListen: Endpoint?, expectedSSRC: UInt32?,
        clock: TimelineClock, latencyFrames: Int, path: String, origin: String, multicastGroup: IPAddress? = nil,
        multicastSource: IPAddress? = nil
    ) {
        self.name = name
        self.stream = stream
        self.listen = listen
        self.rtcpListen = rtcpListen
        self.multicastGroup = multicastGroup
        self.multicastSource = multicastSource
        self.expectedSSRC = expectedSSRC
        self.clock = clock
        self.latencyFrames = latencyFrames
        self.path = path
        self.origin = origin
    }

    public var sampleRate: Int { stream.sampleRate }
    public var format: PCMFormat {
        PCMFormat(encoding: stream.encoding.fileEncoding, channelCount: stream.channelCount, sampleRate: sampleRate)
    }
}

/// Where one leg of a duplicated stream is received.
public struct RecordLeg: Sendable, Hashable {
    public var listen: Endpoint
    /// Nil with rtcp-mux: on the RTP socket.
    public var rtcpListen: Endpoint?
    public var multicastGroup: IPAddress?
    public var multicastSource: IPAddress?

    public init(listen: Endpoint, rtcpListen: Endpoint?, multicastGroup: IPAddress?, multicastSource: IPAddress?) {
        self.listen = listen
        self.rtcpListen = rtcpListen
        self.multicastGroup = multicastGroup
        self.multicastSource = multicastSource
    }
}

/// One channel group of a bundled stream, recorded as a file of its own.
public struct RecordPart: Sendable, Hashable {
    public var name: String
    public var path: String
    /// Where its channels begin in the stream's frame, and how many.
    public var channelOffset: Int
    public var channelCount: Int

    public init(name: String, path: String, channelOffset: Int, channelCount: Int) {
        self.name = name
        self.path = path
        self.channelOffset = channelOffset
        self.channelCount = channelCount
    }
}

/// A recording, planned.
public struct RecordingPlan: Sendable, Hashable {
    public var tracks: [RecordTrackPlan]
    /// The take's time zero if it was asked for, Unix nanoseconds.
    public var start: Int64?
    public var durationNanoseconds: Int64?
    public var idleNanoseconds: Int64
    public var latencyNanoseconds: Int64
    public var canonicalName: String
    public var output: RecordOutput
    public var interface: String?
    public var dscp: Int
    public var rtcpMinimumSeconds: Double
    /// TAI - UTC in seconds, for streams whose media clock counts PTP time.
    public var taiOffsetSeconds: Int
}

/// Turns what to record into a plan: a pure function of the take and the inputs.
public enum RecordPlanner {
    public static func plan(
        _ take: RecordTake, now: Int64, userName: String, localAddress: IPAddress,
        taiOffsetSeconds: Int = TAI.defaultOffsetSeconds, hostClock: HostClock = HostClock(synchronized: false)
    ) throws(PlanError) -> RecordingPlan {
        guard !take.streams.isEmpty else { throw .noStreams }
        // A port is taken once per address listened on: flows to one port in different groups (as Dante and many
        // AES67 devices send them) are received side by side.
        var ports = Set<Endpoint>()
        var names = Set<String>()
        var tracks: [RecordTrackPlan] = []
        let folder: String
        switch take.output {
        case .directory(let path): folder = path
        case .multichannel: folder = ""
        }
        for stream in try merged(take.streams) {
            let description = stream.description
            let leg = try Self.leg(
                destination: description.destination, port: description.port, rtcpPort: description.rtcpPort,
                multiplexed: description.rtcpMultiplexed, sourceFilter: description.sourceFilter, taken: &ports)
            let secondLeg = try description.secondLeg.map { second throws(PlanError) in
                try Self.leg(
                    destination: second.destination, port: second.port, rtcpPort: second.rtcpPort,
                    multiplexed: description.rtcpMultiplexed, sourceFilter: second.sourceFilter, taken: &ports)
            }
            // A bundle (a channel order in its description) splits into a file per group, named from its labels.
            var parts: [RecordPart]?
            if take.output.isDirectory, let groups = description.channelGroups {
                var offset = 0
                parts = groups.map { group in
                    let name = uniqueName(fileName(group.commonName), in: &names)
                    defer { offset += group.channelCount }
                    return RecordPart(
                        name: name, path: folder + "/" + name + ".wav", channelOffset: offset,
                        channelCount: group.channelCount)
                }
            }
            let name = parts == nil ? uniqueName(fileName(description.name), in: &names) : fileName(description.name)
            let clock = ReferenceClock.timelineClock(
                offset: description.mediaClockOffset, referenceClock: description.referenceClock,
                assumed: stream.mediaClockAssumed, host: hostClock)
            tracks.append(
                RecordTrackPlan(
                    name: name, stream: description, listen: leg.listen, rtcpListen: leg.rtcpListen,
                    expectedSSRC: description.ssrc, clock: clock,
                    latencyFrames: take.latencyMilliseconds.scaled(by: description.sampleRate, dividedBy: 1000),
                    path: (folder.isEmpty ? "" : folder + "/") + name + ".wav", origin: stream.origin,
                    multicastGroup: leg.multicastGroup, multicastSource: leg.multicastSource))
            tracks[tracks.count - 1].parts = parts
            tracks[tracks.count - 1].secondLeg = secondLeg
        }
        return RecordingPlan(
            tracks: tracks, start: take.start?.unixNanoseconds(now: now),
            durationNanoseconds: take.duration.map { Int64($0.scaled(by: 1_000_000_000)) },
            idleNanoseconds: Int64(take.idleSeconds.scaled(by: 1_000_000_000)),
            latencyNanoseconds: Int64(take.latencyMilliseconds.scaled(by: 1_000_000)),
            canonicalName: take.canonicalName ?? TakeRules.canonicalName(user: userName, address: localAddress),
            output: take.output,
            interface: take.interface, dscp: take.dscp,
            rtcpMinimumSeconds: Double(take.rtcpMinimumSeconds.scaled(by: 1_000_000)) / 1e6,
            taiOffsetSeconds: taiOffsetSeconds)
    }

    /// Where one leg of a stream is received: on its group's address for a multicast stream (so other groups on
    /// the port stay out), joined from its one source where the description names it; its ports taken once per
    /// address, the RTP port first so a clash names it.
    public static func leg(
        destination: ConnectionAddress, port: Int, rtcpPort: Int, multiplexed: Bool, sourceFilter: ConnectionAddress?,
        taken ports: inout Set<Endpoint>
    ) throws(PlanError) -> RecordLeg {
        let family: IPAddress.Family = destination.family == .ipv6 ? .ipv6 : .ipv4
        let group = IPAddress(destination.address).flatMap { $0.isMulticast ? $0 : nil }
        let listen = group ?? .unspecified(family)
        for port in rtcpPort == port ? [port] : [port, rtcpPort] {
            guard ports.insert(Endpoint(address: listen, port: port)).inserted else { throw .portInUseTwice(port) }
        }
        return RecordLeg(
            listen: Endpoint(address: listen, port: port),
            rtcpListen: multiplexed ? nil : Endpoint(address: listen, port: rtcpPort), multicastGroup: group,
            multicastSource: group == nil ? nil : sourceFilter.flatMap { IPAddress($0.address) })
    }

    /// A track name made safe as a file name: no path separators, control characters or leading dots, at most 200
    /// bytes; "track" for nothing left.
    public static func fileName(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            if scalar == "/" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F || scalar == ":" {
                scalars.append("_")
            } else {
                scalars.append(scalar)
            }
        }
        var text = String(scalars).trimmingDots()
        while text.utf8.count > 200 { text.removeLast() }
        return text.isEmpty ? "track" : text
    }

    /// `name`, or `name 2`, `name 3` ... when taken.
    static func uniqueName(_ name: String, in names: inout Set<String>) -> String {
        var candidate = name
        var number = 2
        while !names.insert(candidate).inserted {
            candidate = "\(name) \(number)"
            number += 1
        }
        return candidate
    }

    /// A stream described by its port alone and what the options say of its format: L24, 48 kHz, stereo, payload
    /// type 96 where they say nothing; RTCP on the next port; placed by its sender reports, or by arrival.
    public static func portStream(
        port: Int, encoding: AudioPayloadEncoding?, sampleRate: Int?, channelCount: Int?, payloadType: UInt8?
    ) -> StreamDescription {
        let rate = sampleRate ?? 48_000
        return StreamDescription(
            name: "port \(port)", destination: ConnectionAddress(address: "0.0.0.0"), port: port,
            payloadType: payloadType ?? RTPPayloadType.firstDynamic, encoding: encoding ?? .l24, sampleRate: rate,
            channelCount: channelCount ?? 2, framesPerPacket: max(1, rate / 1000),
            rtcpPort: TakeRules.nextPort(after: port) ?? port, referenceClock: nil, mediaClockOffset: nil)
    }

    /// The streams of a take file: every track of every node, described by the rule the senders use (`StreamRule`),
    /// so that the recorder expects the ports, RTCP placement, payload types, packet sizes and SSRCs they send. Each
    /// must declare its format. Their media clocks are assumed (the senders' clocks are theirs to know): sender
    /// reports that disagree win.
    public static func streams(of file: TakeFile, path: String, taiOffsetSeconds: Int) throws(PlanError)
        -> [RecordTake.Stream]
    {
        var take = try file.applied(to: Take(), node: nil, path: path)
        // Bundled as every node bundles it: from the declared formats.
        if let maximum = take.bundle {
            let members = try take.tracks.map { track throws(PlanError) -> Bundling.Member in
                guard let member = Bundling.Member(declared: track) else {
                    throw .remoteTrackUndeclared(track: track.name, node: track.node ?? "")
                }
                return member
            }
            take = try Bundling.bundled(take, members: members, maximum: maximum).0
        }
        // A take file's timestamps start from the wall clock or PTP time, never at random, so their offset from
        // the reference clock does not depend on when the take starts.
        let context = StreamRule.Context(referenceClock: nil, taiOffsetSeconds: taiOffsetSeconds, start: 0)
        return try take.tracks.indices.map { slot throws(PlanError) -> RecordTake.Stream in
            let track = take.tracks[slot]
            guard let format = track.declared?.complete else {
                throw .remoteTrackUndeclared(track: track.name, node: track.node ?? "")
            }
            let description = try StreamRule.describe(
                name: track.name, slot: slot, take: take, format: format,
                destination: .init(host: track.destination ?? take.destination, address: nil), ssrc: track.ssrc,
                drawnTimestamp: nil, sourceFilter: nil, context: context, channelGroups: track.channelGroups
            ).stream
            return RecordTake.Stream(
                description: description, origin: "\(path): track '\(track.name)'", mediaClockAssumed: true)
        }
    }
}

extension String {
    func trimmingDots() -> String {
        var text = Substring(self)
        while text.first == "." || text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
