import RTP

/// What one receiver reported about one of our streams: its latest report block, its CNAME, the round trip.
public struct ReceiverStatistics: Sendable, Hashable {
    public var ssrc: UInt32
    public var canonicalName: String?
    public var address: String
    public var reports: Int
    /// Fraction of packets lost since the previous report, 0...1.
    public var fractionLost: Double
    public var cumulativeLost: Int
    /// Interarrival jitter in milliseconds.
    public var jitterMilliseconds: Double
    /// Round-trip time from LSR and DLSR (RFC 3550 section 6.4.1), nil until the receiver has seen an SR.
    public var roundTripMilliseconds: Double?
    /// When its latest report arrived: the middle 32 bits of the NTP time (1/65536 s), for timing it out.
    public var lastReport: UInt32

    /// The figures of a report block received at `arrival` (NTP time), for a stream at `sampleRate`.
    public init(
        reporter: UInt32, block: RTCPReportBlock, arrival: NTPTimestamp, sampleRate: Int, address: String,
        previous: ReceiverStatistics?
    ) {
        ssrc = reporter
        canonicalName = previous?.canonicalName
        self.address = address
        reports = (previous?.reports ?? 0) + 1
        lastReport = arrival.middle32
        fractionLost = Double(block.fractionLost) / 256
        cumulativeLost = Int(block.cumulativeLost)
        jitterMilliseconds = Double(block.jitter) * 1000 / Double(sampleRate)
        if block.lastSenderReport != 0 {
            // All three in units of 1/65536 s, modulo 2^32.
            let roundTrip = arrival.middle32 &- block.lastSenderReport &- block.delaySinceLastSenderReport
            roundTripMilliseconds = Double(roundTrip) * 1000 / 65536
        } else {
            roundTripMilliseconds = nil
        }
    }
}
