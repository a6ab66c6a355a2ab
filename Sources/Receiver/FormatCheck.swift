import RTP

/// The stage after the filter: whether the stream's packets carry the described format, from the first two
/// consecutive ones (the payload length of the first over the timestamp step to the second).
///
/// Where the first two packets of the track decide it and the wire is unambiguous (one channel count at the
/// described width), the track may follow the wire: the first packet's payload is kept for that, to be placed again
/// at the count the wire carries. Once a mismatch stands, nothing more of the track passes.
struct FormatCheck {
    private(set) var channelCount: Int
    let bytesPerSample: Int
    /// The format the packets carry, where it is not the described one and the track does not follow it.
    private(set) var mismatch: FormatMismatch?
    private var checked = false
    private var seen = 0
    private var previous: (ssrc: UInt32, sequence: UInt16, timestamp: UInt32, payloadBytes: Int)?
    /// The first packet's payload and timestamp, kept until the check is decided.
    private(set) var first: (timestamp: UInt32, payload: [UInt8])?

    /// What the check made of a packet.
    enum Verdict: Equatable {
        /// The packet may pass.
        case pass
        /// The packets carry another format: nothing of the track passes.
        case refuse
        /// The first two packets of the track carry `channels` at the described width: the track may follow the
        /// wire (`follow`), or refuse it (`refuse`); until one is called the track passes nothing.
        case carries(channels: Int)
    }

    init(channelCount: Int, bytesPerSample: Int) {
        self.channelCount = channelCount
        self.bytesPerSample = bytesPerSample
    }

    mutating func check(_ header: RTPHeader, payload: UnsafeRawBufferPointer) -> Verdict {
        if mismatch != nil { return .refuse }
        guard !checked else { return .pass }
        seen += 1
        if seen == 1 { first = (header.timestamp, [UInt8](payload)) }
        defer { previous = (header.ssrc, header.sequenceNumber, header.timestamp, payload.count) }
        guard let earlier = previous, earlier.ssrc == header.ssrc, header.sequenceNumber == earlier.sequence &+ 1
        else { return .pass }
        checked = true
        let kept = first
        first = nil
        mismatch = FormatMismatch.check(
            payloadBytes: earlier.payloadBytes, step: Int(Int32(bitPattern: header.timestamp &- earlier.timestamp)),
            channels: channelCount, bytesPerSample: bytesPerSample)
        guard let mismatch else { return .pass }
        if seen == 2, let heard = mismatch.heardChannels, heard > 0 {
            first = kept
            return .carries(channels: heard)
        }
        return .refuse
    }

    /// The track follows the wire's channel count: the mismatch is no longer one. Returns the first packet's
    /// timestamp and payload, to be placed again.
    /// Nil, and nothing changed, where the wire cannot be followed (the check did not say `carries`).
    mutating func follow() -> (timestamp: UInt32, payload: [UInt8])? {
        guard let kept = first, checked, let heard = mismatch?.heardChannels else { return nil }
        channelCount = heard
        mismatch = nil
        first = nil
        return kept
    }

    /// The track cannot follow the wire: the mismatch stands.
    mutating func refuse() { first = nil }
}
