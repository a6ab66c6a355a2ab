import Interfaces
import PCM
import RTP
import SDP

/// The one rule that describes a stream of a take: the sender's own streams, the other nodes' streams it writes
/// into `session.sdp`, and the streams a recorder expects from a take file are all made here, so that they agree.
public enum StreamRule {
    /// What a stream's description needs beyond the take and its track.
    public struct Context: Sendable, Hashable {
        /// What `a=ts-refclk` says; nil where the describer cannot know the sender's clock (a recorder), whose
        /// media clock is then taken on UTC.
        public var referenceClock: String?
        /// TAI - UTC in seconds.
        public var taiOffsetSeconds: Int
        /// When the take's first sample is due, Unix nanoseconds.
        public var start: Int64

        public init(referenceClock: String?, taiOffsetSeconds: Int, start: Int64) {
            self.referenceClock = referenceClock
            self.taiOffsetSeconds = taiOffsetSeconds
            self.start = start
        }
    }

    /// Where a stream goes, as far as the describer knows: the host as the take names it, its address where it
    /// resolved (or is numeric), and the route's MTU where known.
    public struct Destination: Sendable, Hashable {
        public var host: String
        public var address: IPAddress?
        public var pathMTU: Int?

        public init(host: String, address: IPAddress?, pathMTU: Int? = nil) {
            self.host = host
            self.address = address ?? IPAddress(host)
            self.pathMTU = pathMTU
        }
    }

    /// The description of track `slot` of `take`, carrying `format` (as sent, or as the take declares it), to
    /// `destination`, with its packet sizing. `drawnTimestamp` is a random first timestamp where the take asks for
    /// one; `sourceFilter` is the sender's address, known to the sender alone.
    public static func describe(
        name: String, slot: Int, take: Take, format: DeclaredFormat.Complete, destination: Destination,
        ssrc: UInt32?, drawnTimestamp: UInt32?, sourceFilter: IPAddress?, context: Context,
        channelGroups: [ChannelGroup]? = nil, packetTime: PacketTime? = nil
    ) throws(PlanError) -> (stream: StreamDescription, sizing: PacketSizing) {
        let ports = try Planner.portsOf(slot: slot, take: take)
        let family = destination.address?.family ?? (destination.host.contains(":") ? .ipv6 : .ipv4)
        // The route's MTU where it is smaller than the take's: a datagram never exceeds what the path carries.
        let mtu = min(take.mtu, destination.pathMTU ?? take.mtu)
        let sizing = try PacketSizing(
            packetTime: packetTime ?? take.packetTime, sampleRate: format.sampleRate,
            bytesPerFrame: format.channelCount * format.encoding.bytesPerSample, mtu: mtu,
            ipOverhead: PacketSizing.overhead(family), policy: take.fragmentation)
        let payloadType = try Planner.payloadType(
            take.payloadType, encoding: format.encoding, sampleRate: format.sampleRate, channels: format.channelCount)
        let multicast = destination.address?.isMulticast == true
        let address =
            destination.address.map { connection($0, take: take) }
            ?? ConnectionAddress(family: family == .ipv6 ? .ipv6 : .ipv4, address: destination.host)
        let clock = mediaClock(take: take, context: context, sampleRate: format.sampleRate, drawn: drawnTimestamp)
        var stream = StreamDescription(
            name: name, destination: address, port: ports.rtp, payloadType: payloadType, encoding: format.encoding,
            sampleRate: format.sampleRate, channelCount: format.channelCount, framesPerPacket: sizing.framesPerPacket,
            rtcpPort: ports.rtcp, rtcpMultiplexed: take.rtcp == .multiplexed, referenceClock: context.referenceClock,
            mediaClockOffset: clock.offset, ssrc: ssrc,
            sourceFilter: multicast ? sourceFilter.map(Planner.connectionAddress) : nil)
        stream.channelGroups = channelGroups
        return (stream, sizing)
    }

    /// The `c=` of a destination: an IPv4 multicast group carries the take's TTL (RFC 8866 section 5.7).
    public static func connection(_ address: IPAddress, take: Take) -> ConnectionAddress {
        var connection = Planner.connectionAddress(address)
        if address.isMulticast && address.family == .ipv4 {
            connection.ttl = take.network.ttl ?? NetworkOptions.defaultMulticastTTL
        }
        return connection
    }

    /// A track's first RTP timestamp and its offset from the media time of the clock a=ts-refclk names (RFC 7273
    /// a=mediaclk:direct). The timestamp is as given, or `drawn` (random), or the start's time x rate on UTC
    /// (wall clock) or TAI (PTP); the reference clock's time is TAI when it is PTP, else UTC. A random timestamp of
    /// another node (`drawn` nil) is unknown, and so is its offset.
    static func mediaClock(take: Take, context: Context, sampleRate: Int, drawn: UInt32?) -> (
        first: UInt32?, offset: UInt32?
    ) {
        let tai = Int64(context.taiOffsetSeconds) * 1_000_000_000
        let start = context.start
        let onPTP = context.referenceClock?.hasPrefix("ptp") == true
        let reference = MediaClock.rtpTimestamp(unixNanoseconds: onPTP ? start + tai : start, sampleRate: sampleRate)
        let first: UInt32? =
            if let given = take.initialTimestamp {
                given
            } else {
                switch take.origin {
                case .random: drawn
                case .wallClock: MediaClock.rtpTimestamp(unixNanoseconds: start, sampleRate: sampleRate)
                case .ptp: MediaClock.rtpTimestamp(unixNanoseconds: start + tai, sampleRate: sampleRate)
                }
            }
        return (first, first.map { $0 &- reference })
    }
}

extension DeclaredFormat {
    /// A format with every part known.
    public struct Complete: Sendable, Hashable {
        public var encoding: AudioPayloadEncoding
        public var sampleRate: Int
        public var channelCount: Int

        public init(encoding: AudioPayloadEncoding, sampleRate: Int, channelCount: Int) {
            self.encoding = encoding
            self.sampleRate = sampleRate
            self.channelCount = channelCount
        }
    }

    /// This format, if every part of it is declared.
    public var complete: Complete? {
        guard let encoding, let sampleRate, let channelCount else { return nil }
        return Complete(encoding: encoding, sampleRate: sampleRate, channelCount: channelCount)
    }
}
