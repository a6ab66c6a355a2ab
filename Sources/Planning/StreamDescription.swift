import PCM
import RTP
import SDP

/// What a receiver must know about one RTP audio stream, and the SDP `m=` section that tells it (RFC 8866,
/// RFC 3551 section 6, RFC 4566's ptime, RFC 7273's clock lines, AES67's recvonly sender convention).
public struct StreamDescription: Sendable, Hashable {
    public var name: String
    /// Where the stream goes (`c=`).
    public var destination: ConnectionAddress
    public var port: Int
    public var payloadType: UInt8
    public var encoding: AudioPayloadEncoding
    public var sampleRate: Int
    public var channelCount: Int
    public var framesPerPacket: Int
    /// Where RTCP goes, and whether it shares the RTP port (RFC 5761).
    public var rtcpPort: Int
    public var rtcpMultiplexed: Bool
    /// RFC 7273 `a=ts-refclk`: the clock the media clock follows (`ntp=...`, `ptp=...`, `local`); nil when unsaid.
    public var referenceClock: String?
    /// RFC 7273 `a=mediaclk:direct=`: the RTP timestamp minus the reference clock's media time, modulo 2^32
    /// (0 when timestamps come from the wall clock); nil when the SDP does not tie the RTP clock to a reference.
    public var mediaClockOffset: UInt32?
    /// RFC 5576 `a=ssrc:`: the SSRC the stream carries, when announced.
    public var ssrc: UInt32?
    /// RFC 4570 `a=source-filter: incl`: the one sender of a multicast stream.
    public var sourceFilter: ConnectionAddress?
    /// ST 2110-30's channel order (`a=fmtp:<pt> channel-order=SMPTE2110.(...)`) with each channel's label (`i=`, in
    /// the Dante/PipeWire form): a bundle of several sources; nil for a stream of one.
    public var channelGroups: [ChannelGroup]?
    /// SMPTE ST 2022-7: the same packets sent again on a second network, described as RFC 7104's duplication
    /// group (`a=group:DUP`, an `m=` section per leg with its `a=mid`); nil for a stream on one network.
    public var secondLeg: Leg?

    /// Where the second copy of a stream goes: its own destination, ports and sender.
    public struct Leg: Sendable, Hashable {
        public var destination: ConnectionAddress
        public var port: Int
        public var rtcpPort: Int
        public var sourceFilter: ConnectionAddress?

        public init(destination: ConnectionAddress, port: Int, rtcpPort: Int, sourceFilter: ConnectionAddress?) {
            self.destination = destination
            self.port = port
            self.rtcpPort = rtcpPort
            self.sourceFilter = sourceFilter
        }
    }

    public init(
        name: String, destination: ConnectionAddress, port: Int, payloadType: UInt8, encoding: AudioPayloadEncoding,
        sampleRate: Int, channelCount: Int, framesPerPacket: Int, rtcpPort: Int, rtcpMultiplexed: Bool = false,
        referenceClock: String? = "local", mediaClockOffset: UInt32? = 0, ssrc: UInt32? = nil,
        sourceFilter: ConnectionAddress? = nil
    ) {
        self.ssrc = ssrc
        self.sourceFilter = sourceFilter
        self.name = name
        self.destination = destination
        self.port = port
        self.payloadType = payloadType
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.framesPerPacket = framesPerPacket
        self.rtcpPort = rtcpPort
        self.rtcpMultiplexed = rtcpMultiplexed
        self.referenceClock = referenceClock
        self.mediaClockOffset = mediaClockOffset
    }

    /// The packet time in milliseconds as `a=ptime` carries it.
    public var packetTimeText: String { MediaTime.millisecondsText(frames: framesPerPacket, sampleRate: sampleRate) }

    /// The `m=` section, its attributes in the order AES67 receivers are documented to accept (AES67-2018 annex
    /// and the RAVENNA and PipeWire SAP examples): `i=` with the stream's name (a bundle's channel labels), then
    /// `a=recvonly`, `a=rtpmap`, a bundle's `a=fmtp` channel order,
    /// `a=source-filter` (RFC 4570, multicast), `a=ptime`, `a=framecount` (frames per packet, for receivers that
    /// read it), `a=ts-refclk` and `a=mediaclk` (RFC 7273), and last where RTCP goes when not on port + 1
    /// (RFC 3605 `a=rtcp`, RFC 5761 `a=rtcp-mux`).
    public var mediaDescription: MediaDescription {
        var attributes = [
            Attribute("recvonly"),
            Attribute("rtpmap", "\(payloadType) \(encoding.name)/\(sampleRate)/\(channelCount)"),
        ]
        if let channelGroups {
            attributes.append(Attribute("fmtp", "\(payloadType) \(ChannelOrder.parameter(channelGroups))"))
        }
        if let sourceFilter {
            attributes.append(
                Attribute(
                    "source-filter",
                    " incl IN \(destination.family.rawValue) \(destination.address) \(sourceFilter.address)"))
        }
        attributes.append(Attribute("ptime", packetTimeText))
        attributes.append(Attribute("framecount", String(framesPerPacket)))
        if let referenceClock { attributes.append(Attribute("ts-refclk", referenceClock)) }
        if let mediaClockOffset { attributes.append(Attribute("mediaclk", "direct=\(mediaClockOffset)")) }
        if rtcpMultiplexed {
            attributes.append(Attribute("rtcp-mux"))
        } else if rtcpPort != TakeRules.nextPort(after: port) {
            attributes.append(Attribute("rtcp", String(rtcpPort)))
        }
        return MediaDescription(
            port: port, formats: [String(payloadType)], information: channelGroups.map(ChannelOrder.labelText) ?? name,
            attributes: attributes)
    }

    /// The `m=` section of the second leg: the first's, with the leg's port, RTCP port, `c=` and source filter.
    public var secondLegDescription: MediaDescription? {
        guard let secondLeg else { return nil }
        var leg = self
        leg.destination = secondLeg.destination
        leg.port = secondLeg.port
        leg.rtcpPort = secondLeg.rtcpPort
        leg.sourceFilter = secondLeg.sourceFilter
        leg.secondLeg = nil
        var media = leg.mediaDescription
        media.connection = secondLeg.destination
        return media
    }

    /// The stream's `m=` sections, each with its `c=`: one, or the two legs of a duplication group tagged with
    /// `a=mid:<first>` and `a=mid:<second>`; and the group's session-level attribute.
    func mediaSections(mids: (String, String)) -> (media: [MediaDescription], group: Attribute?) {
        var first = mediaDescription
        first.connection = destination
        guard var second = secondLegDescription else { return ([first], nil) }
        first.attributes.append(Attribute("mid", mids.0))
        second.attributes.append(Attribute("mid", mids.1))
        return ([first, second], Attribute("group", "DUP \(mids.0) \(mids.1)"))
    }

    /// The SDP for this stream alone, its `c=` at session level (at media level for each leg of a duplicated one).
    public func sessionDescription(origin: SessionDescription.Origin) -> SessionDescription {
        guard secondLeg != nil else {
            return SessionDescription(
                origin: origin, sessionName: name, connection: destination, media: [mediaDescription])
        }
        let (media, group) = mediaSections(mids: ("1", "2"))
        return SessionDescription(
            origin: origin, sessionName: name, attributes: group.map { [$0] } ?? [], media: media)
    }

    /// One SDP for several streams, each its own `m=` section with its own `i=` and `c=`: ffmpeg aligns the streams
    /// of one SDP on their sender reports, GStreamer groups streams that share a CNAME.
    public static func sessionDescription(
        for streams: [StreamDescription], name: String, origin: SessionDescription.Origin
    ) -> SessionDescription {
        var media: [MediaDescription] = []
        var groups: [Attribute] = []
        for (index, stream) in streams.enumerated() {
            let sections = stream.mediaSections(mids: ("\(2 * index + 1)", "\(2 * index + 2)"))
            media += sections.media
            if let group = sections.group { groups.append(group) }
        }
        return SessionDescription(origin: origin, sessionName: name, attributes: groups, media: media)
    }
}
