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

/// The stage after the filter: whether the stream's packets carry the described format, from the first two
/// consecutive ones (the payload length of the first over the timestamp step to the second). Once they do not,
/// nothing more of the track passes.
struct FormatCheck {
    let channelCount: Int
    let bytesPerSample: Int
    /// The format the packets carry, where it is not the described one.
    private(set) var mismatch: FormatMismatch?
    private var checked = false
    private var previous: (ssrc: UInt32, sequence: UInt16, timestamp: UInt32, payloadBytes: Int)?

    init(channelCount: Int, bytesPerSample: Int) {
        self.channelCount = channelCount
        self.bytesPerSample = bytesPerSample
    }

    /// Whether a packet may pass.
    mutating func check(_ header: RTPHeader, payloadBytes: Int) -> Bool {
        if mismatch != nil { return false }
        guard !checked else { return true }
        defer { previous = (header.ssrc, header.sequenceNumber, header.timestamp, payloadBytes) }
        guard let earlier = previous, earlier.ssrc == header.ssrc, header.sequenceNumber == earlier.sequence &+ 1
        else { return true }
        checked = true
        mismatch = FormatMismatch.check(
            payloadBytes: earlier.payloadBytes, step: Int(Int32(bitPattern: header.timestamp &- earlier.timestamp)),
            channels: channelCount, bytesPerSample: bytesPerSample)
        return mismatch == nil
    }
}
