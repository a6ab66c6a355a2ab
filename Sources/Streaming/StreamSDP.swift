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

    public init(
        name: String, destinationHost: String, port: Int, payloadType: UInt8, encoding: AudioPayloadEncoding,
        sampleRate: Int, channelCount: Int, framesPerPacket: Int, originHost: String, sessionID: UInt64,
        rtcpPort: Int? = nil, rtcpMultiplexed: Bool = false
    ) {
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
            origin: .init(sessionID: sessionID, sessionVersion: sessionID, address: ConnectionAddress(address: originHost)),
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
        attributes.append(Attribute("recvonly"))
        return MediaDescription(port: port, formats: [String(payloadType)], attributes: attributes)
    }
}
