import PCM

/// Why a take cannot be planned as asked: the one error of the planning layer. Cases carry the values at fault;
/// the command line words them and names its own flags.
public enum PlanError: Error, Sendable, Hashable {
    /// The packet time rounds to no frame at this rate.
    case packetTimeBelowOneFrame(packetTime: String, sampleRate: Int)
    /// The asked packet time does not fit the MTU, and the policy is strict.
    case packetExceedsMTU(packetTime: String, bytes: Int, mtu: Int, limit: Int)
    /// Even fragmented, the packet would exceed what UDP carries.
    case packetLargerThanUDP(bytes: Int, limit: Int)
    /// Not one frame fits the MTU.
    case frameExceedsMTU(bytesPerFrame: Int, mtu: Int, limit: Int)
    /// RFC 3551 keeps this static payload type for another format.
    case payloadTypeNotAllowed(payloadType: Int, encoding: AudioPayloadEncoding, sampleRate: Int, channels: Int)
    /// A port of track `slot` (counting from 0) falls outside 1-65535.
    case portOutOfRange(PortRole, base: Int, slot: Int)
    /// The asked start has passed, or is too close to set up for.
    case startNotInFuture(startUnixNanoseconds: Int64, nowUnixNanoseconds: Int64)
    /// Two tracks share a name, so their SDP files would share a path.
    case duplicateTrackName(String)
    /// The take has no track for this node.
    case noTrackForNode(String)
    /// A track declares a format its file does not have.
    case declaredFormatMismatch(track: String, declared: DeclaredFormat, actual: DeclaredFormat, file: String)
    /// Another node's track lacks what this node needs to describe it (encoding, rate, channels).
    case remoteTrackUndeclared(track: String, node: String)
    /// The planner was given fewer input formats than the take has local tracks.
    case inputsMissing(expected: Int, given: Int)
    /// A host the take names was not resolved before planning.
    case unresolvedHost(String)
    /// A session description describes a stream the recorder cannot receive; `line` is where.
    case unusableStream(line: Int, StreamProblem)
    /// Nothing to record: the descriptions hold no audio stream.
    case noStreams
    /// A source has more channels than a bundle may carry.
    case bundleTooNarrow(track: String, channels: Int, maximum: Int)
    /// A source's rate or sample width differs from the bundle it would join.
    case bundleMixesFormats(track: String, format: PCMFormat, bundleTrack: String, bundleFormat: PCMFormat)
    /// A stream the ST 2110-30 level cannot carry: its rate, or its channels at that rate.
    case st2110(ST2110Level, track: String, sampleRate: Int, channels: Int)
    /// A stream of the level does not fit the MTU at the packet time the level gives it.
    case st2110DoesNotFit(ST2110Level, track: String, packetTime: PacketTime, mtu: Int)
    /// Two streams to record want one port.
    case portInUseTwice(Int)
    /// An AES67 take that AES67 receivers would not accept.
    case aes67(AES67Problem, track: String)
    /// One SSRC was given for several tracks (the option's for every track without its own, or the same one
    /// twice): each stream needs its own.
    case sharedSSRC(tracks: Int)
    /// A setting asked beside a take file would send something else than the file makes every node and recorder
    /// expect: the file wins, so the setting is refused.
    case overridesTakeFile(TakeSetting)
    /// Two descriptions of one stream (one destination and RTP port) disagree on what goes on the wire; each is
    /// named by where it was read.
    case conflictingDescriptions(port: Int, first: String, second: String)
}

/// What an AES67 take must have and a track has not (AES67-2018 sections 7 and 8).
public enum AES67Problem: Sendable, Hashable {
    /// AES67 streams go to a multicast group.
    case notMulticast(String)
    /// AES67's one common rate is 48 kHz.
    case sampleRate(Int)
    /// At most 8 channels a stream.
    case channels(Int)
    /// A packet time AES67 does not list (frames at 48 kHz): 1 ms (48) every device takes; 0.125, 0.25, 0.333 and
    /// 4 ms (6, 12, 16, 192) some do.
    case packetTime(frames: Int)

    /// The frames a packet of an AES67 stream may carry at 48 kHz (AES67-2018 section 7.2).
    public static let framesPerPacket: Set<Int> = [6, 12, 16, 48, 192]
}

/// What makes a described stream one the recorder cannot receive.
public enum StreamProblem: Sendable, Hashable {
    /// No `c=` for it at media or session level.
    case noConnection
    /// Neither `RTP/AVP` nor `RTP/AVPF` (an encrypted or non-RTP transport).
    case transport(String)
    /// Its payload is not linear PCM: the `a=rtpmap` as written.
    case encoding(String)
    /// A dynamic payload type without an `a=rtpmap`.
    case noRTPMap(payloadType: String)
    /// An attribute this stream needs, malformed: its name.
    case malformedAttribute(String)
    /// Port 0: the stream is switched off.
    case disabled
    /// An RFC 7104 duplication group the recorder cannot use: its `a=group` value, and why.
    case duplication(String, DuplicationProblem)
}

/// Why a duplication group (`a=group:DUP`, SMPTE ST 2022-7) cannot be received.
public enum DuplicationProblem: Sendable, Hashable {
    /// It names a `mid` no audio section has.
    case unknownMid(String)
    /// Not two legs: the recorder merges a primary and a secondary.
    case legCount(Int)
    /// The legs differ in payload type, format or packet time: they are not copies of one stream.
    case legsDiffer
}

/// Which of a track's ports a `portOutOfRange` is about.
public enum PortRole: Sendable, Hashable {
    case destination
    case rtcpDestination
    case source
}
