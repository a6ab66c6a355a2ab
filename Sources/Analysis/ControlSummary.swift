import RTP

/// What a stream's RTCP said (RFC 3550 section 6): sender reports and how their RTP timestamps stand against the
/// packets', the canonical names, goodbyes, and compound packets that do not parse.
public struct ControlSummary: Sendable {
    public private(set) var senderReports = 0
    public private(set) var goodbyes = 0
    public private(set) var malformed = 0
    /// CNAMEs in order of first appearance, at most eight, each at most 255 bytes as SDES allows.
    public private(set) var canonicalNames: [String] = []
    /// Of every sender report, its RTP timestamp less the newest packet's before it arrived, in frames: how far the
    /// report's mapping stands from the packets (a packet time or so for a sender that reports what it sends).
    public private(set) var reportOffsetFrames: (minimum: Int64, maximum: Int64)?
    /// The media clock's rate as two consecutive sender reports give it (RTP ticks over NTP seconds), the last pair.
    public private(set) var reportedRate: Double?
    private var previous: RTCPSenderReport?

    public init() {}

    /// Takes a compound RTCP datagram; `newestTimestamp` is the newest packet's RTP timestamp, to place the report's.
    public mutating func take(_ datagram: [UInt8], newestTimestamp: UInt32?) {
        let packets: [RTCPPacket]
        do {
            packets = try RTCPPacket.parseCompound(datagram)
        } catch {
            malformed += 1
            return
        }
        for packet in packets {
            switch packet {
            case .senderReport(let report):
                senderReports += 1
                if let newestTimestamp {
                    let offset = Int64(Int32(bitPattern: report.rtpTimestamp &- newestTimestamp))
                    let old = reportOffsetFrames ?? (offset, offset)
                    reportOffsetFrames = (min(old.minimum, offset), max(old.maximum, offset))
                }
                if let previous, report.ntpTimestamp > previous.ntpTimestamp {
                    let seconds =
                        Double(report.ntpTimestamp.unixNanoseconds - previous.ntpTimestamp.unixNanoseconds) / 1e9
                    let ticks = Double(Int32(bitPattern: report.rtpTimestamp &- previous.rtpTimestamp))
                    reportedRate = ticks / seconds
                }
                previous = report
            case .sourceDescription(let description):
                for chunk in description.chunks {
                    if let name = chunk.canonicalName, !canonicalNames.contains(name), canonicalNames.count < 8 {
                        canonicalNames.append(name)
                    }
                }
            case .goodbye: goodbyes += 1
            default: break
            }
        }
    }
}
