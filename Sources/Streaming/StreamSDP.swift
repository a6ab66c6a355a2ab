import RTP
import SDP

/// What a receiver must know about one RTP audio stream, and the SDP that tells it (RFC 8866, RFC 3551 section 6,
/// RFC 4566's ptime, AES67's recvonly sender convention).
public struct StreamAnnouncement: Sendable, Hashable {
    public var name: String
    public var destinationHost: String
    public var port: Int
    public var payloadType: UInt8
    public var encoding: AudioPayloadEncoding
    public var sampleRate: Int
    public var channelCount: Int
    public var framesPerPacket: Int
    /// The sender's own address, for `o=`.
    public var originHost: String
    /// Session ID and version for `o=`: RFC 8866 suggests an NTP timestamp.
    public var sessionID: UInt64
    /// Where RTCP goes, and whether it shares the RTP port (RFC 5761).
    public var rtcpPort: Int
    public var rtcpMultiplexed: Bool
    /// RFC 7273 `a=ts-refclk`: the clock the media clock follows.
    public var referenceClock: String
    /// RFC 7273 `a=mediaclk:direct=`: the RTP timestamp minus the wall-clock media time, modulo 2^32
    /// (0 when timestamps come from the wall clock).
    public var mediaClockOffset: UInt32

    public init(
        name: String, destinationHost: String, port: Int, payloadType: UInt8, encoding: AudioPayloadEncoding,
        sampleRate: Int, channelCount: Int, framesPerPacket: Int, originHost: String, sessionID: UInt64,
        rtcpPort: Int? = nil, rtcpMultiplexed: Bool = false, referenceClock: String = "local",
        mediaClockOffset: UInt32 = 0
    ) {
        self.referenceClock = referenceClock
        self.mediaClockOffset = mediaClockOffset
        self.rtcpPort = rtcpPort ?? port + 1
        self.rtcpMultiplexed = rtcpMultiplexed
        self.name = name
        self.destinationHost = destinationHost
        self.port = port
        self.payloadType = payloadType
        self.encoding = encoding
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.framesPerPacket = framesPerPacket
        self.originHost = originHost
        self.sessionID = sessionID
    }

    /// The packet time in milliseconds as `a=ptime` carries it.
    public var packetTimeText: String { PacketTime.millisecondsText(frames: framesPerPacket, sampleRate: sampleRate) }

    /// The SDP for this stream alone.
    public var sessionDescription: SessionDescription {
        SessionDescription(
            origin: .init(
                sessionID: sessionID, sessionVersion: sessionID, address: ConnectionAddress(address: originHost)),
            sessionName: name,
            connection: ConnectionAddress(address: destinationHost),
            media: [mediaDescription])
    }

    /// The `m=` section: format, rate, channels, packet time, where RTCP goes when not on port + 1
    /// (RFC 3605 `a=rtcp`, RFC 5761 `a=rtcp-mux`), and that the sender only sends.
    public var mediaDescription: MediaDescription {
        var attributes = [
            Attribute("rtpmap", "\(payloadType) \(encoding.name)/\(sampleRate)/\(channelCount)"),
            Attribute("ptime", packetTimeText),
        ]
        if rtcpMultiplexed {
            attributes.append(Attribute("rtcp-mux"))
        } else if rtcpPort != port + 1 {
            attributes.append(Attribute("rtcp", String(rtcpPort)))
        }
        attributes.append(Attribute("ts-refclk", referenceClock))
        attributes.append(Attribute("mediaclk", "direct=\(mediaClockOffset)"))
        attributes.append(Attribute("recvonly"))
        return MediaDescription(port: port, formats: [String(payloadType)], attributes: attributes)
    }

    /// One SDP for several streams, each its own `m=` section with its own `c=`: ffmpeg aligns the streams of one
    /// SDP on their sender reports, GStreamer groups streams that share a CNAME.
    public static func sessionDescription(for streams: [StreamAnnouncement], name: String) -> SessionDescription? {
        guard let first = streams.first else { return nil }
        return SessionDescription(
            origin: .init(
                sessionID: first.sessionID, sessionVersion: first.sessionID,
                address: ConnectionAddress(address: first.originHost)),
            sessionName: name,
            media: streams.map { stream in
                var media = stream.mediaDescription
                media.information = stream.name
                media.connection = ConnectionAddress(address: stream.destinationHost)
                return media
            })
    }
}
