import RTP

/// The first stage of a track's reception: whether a datagram is an RTP packet of the track's stream. It checks
/// that the bytes are RTP, that they are not RTCP sharing the port (RFC 5761), the payload type, the SSRC where one
/// is expected, and that the payload is whole frames.
struct PacketFilter {
    let payloadType: UInt8
    let expectedSSRC: UInt32?
    let rtcpMultiplexed: Bool
    let bytesPerFrame: Int

    /// What the filter made of a datagram.
    enum Verdict {
        /// A packet of the stream.
        case accepted(RTPPacket)
        /// Not RTP, or a payload of no whole number of frames.
        case malformed
        /// RTP of another payload type than described.
        case otherPayloadType(UInt8)
        /// RTP of another SSRC than described.
        case unexpected
        /// RTCP on a multiplexed port: the RTCP path takes it.
        case rtcp
    }

    init(_ reception: TrackReception) {
        payloadType = reception.payloadType
        expectedSSRC = reception.expectedSSRC
        rtcpMultiplexed = reception.rtcpMultiplexed
        bytesPerFrame = reception.format.bytesPerFrame
    }

    func check(_ bytes: UnsafeRawBufferPointer) -> Verdict {
        let packet: RTPPacket
        do {
            packet = try RTPPacket(parsing: bytes)
        } catch {
            return .malformed
        }
        if rtcpMultiplexed, MultiplexedPacket(firstByte: bytes[0], secondByte: bytes[1]) == .rtcp { return .rtcp }
        let header = packet.header
        guard header.payloadType == payloadType else { return .otherPayloadType(header.payloadType) }
        guard expectedSSRC.map({ $0 == header.ssrc }) ?? true else { return .unexpected }
        guard packet.payloadRange.count % bytesPerFrame == 0 else { return .malformed }
        return .accepted(packet)
    }
}
