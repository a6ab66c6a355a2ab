/// How long to wait between RTCP packets, RFC 3550 section 6.3 and appendix A.7.
///
/// RTCP takes 5 % of the session bandwidth, a quarter of that for senders while they are at most a quarter of
/// the members; the interval is what that budget allows for the average RTCP packet, at least the minimum
/// (5 s by default), then spread by a random factor of 0.5 to 1.5 and divided by e - 3/2 (the compensation for
/// timer reconsideration), so reports from many members do not synchronise.
public struct RTCPInterval: Sendable, Hashable {
    /// The RFC's fixed minimum.
    public static let defaultMinimumSeconds = 5.0
    static let compensation = 2.718_281_828_459_045 - 1.5
    static let rtcpFraction = 0.05
    static let senderShare = 0.25

    /// Bits per second of the RTP session: payload and headers of every packet.
    public var sessionBandwidth: Double
    /// The smallest interval before randomisation, in seconds.
    public var minimumSeconds: Double

    public init(sessionBandwidth: Double, minimumSeconds: Double = defaultMinimumSeconds) {
        self.sessionBandwidth = sessionBandwidth
        self.minimumSeconds = minimumSeconds
    }

    /// The "reduced minimum" of section 6.2: 360 divided by the session bandwidth in kbit/s, in seconds.
    public static func reducedMinimum(sessionBandwidth: Double) -> Double {
        360 / (sessionBandwidth / 1000)
    }

    /// The interval before randomisation for a participant among `members` of which `senders` send, whose RTCP
    /// packets average `averagePacketBytes` (UDP and IP headers included); `weSent` says whether it is a sender.
    public func deterministicSeconds(members: Int, senders: Int, averagePacketBytes: Double, weSent: Bool = true)
        -> Double
    {
        var bandwidth = Self.rtcpFraction * sessionBandwidth / 8  // octets per second
        var participants = Double(members)
        if Double(senders) <= Double(members) * Self.senderShare {
            // Senders share a quarter of RTCP's bandwidth among themselves, receivers the rest.
            bandwidth *= weSent ? Self.senderShare : 1 - Self.senderShare
            participants = Double(weSent ? senders : members - senders)
        }
        return max(averagePacketBytes * participants / bandwidth, minimumSeconds)
    }

    /// The randomised interval: deterministic x uniform(0.5, 1.5) / (e - 3/2).
    public func randomizedSeconds(
        members: Int, senders: Int, averagePacketBytes: Double, weSent: Bool = true,
        using random: inout some RandomNumberGenerator
    ) -> Double {
        let base = deterministicSeconds(
            members: members, senders: senders, averagePacketBytes: averagePacketBytes, weSent: weSent)
        return base * Double.random(in: 0.5...1.5, using: &random) / Self.compensation
    }

    /// The session bandwidth of the leanest of several streams, each `(sampleRate, channelCount, bytesPerSample,
    /// framesPerPacket)`: sender and recorder size RTCP's budget by it, so no stream's reports outgrow their 5 %.
    public static func leanestSessionBandwidth(
        of streams: [(sampleRate: Int, channelCount: Int, bytesPerSample: Int, framesPerPacket: Int)]
    ) -> Double {
        streams.map {
            sessionBandwidth(
                sampleRate: $0.sampleRate, channelCount: $0.channelCount, bytesPerSample: $0.bytesPerSample,
                framesPerPacket: $0.framesPerPacket)
        }.min() ?? 1
    }

    /// The session bandwidth of one L16/L24 stream: payload bits plus 40 bytes of IPv4, UDP and RTP headers per packet.
    public static func sessionBandwidth(
        sampleRate: Int, channelCount: Int, bytesPerSample: Int, framesPerPacket: Int
    ) -> Double {
        let packetsPerSecond = Double(sampleRate) / Double(framesPerPacket)
        return Double(sampleRate * channelCount * bytesPerSample * 8) + packetsPerSecond * 40 * 8
    }
}
