import Interfaces
import RTP

/// What a track takes from its sender's RTCP: the sender reports (its count, a point for the drift, evidence of the
/// segment's place), its CNAME, and its goodbye.
extension TrackReceiver {
    /// Takes in one RTCP compound that arrived for this track from `source`.
    public func receiveRTCP(
        _ packets: [RTCPPacket], source: Endpoint, arrival: Int64, leg: Int = 0, timeline: inout TakeTimeline
    ) {
        let saysGoodbye = packets.contains { packet in
            if case .goodbye(let goodbye) = packet { goodbye.sources.contains { $0 == ssrc } } else { false }
        }
        for packet in packets {
            switch packet {
            case .senderReport(let report) where report.ssrc == ssrc:
                // Reports go back by the first leg where it reports (a second leg's sender may be unreachable from it).
                if leg == 0 || senderRTCP == nil { senderRTCP = source }
                counters.reports.add(1, ordering: .relaxed)
                lastSenderReport = (report.ntpTimestamp.middle32, arrival)
                take(report, beforeGoodbye: !saysGoodbye, timeline: &timeline, now: arrival)
            case .sourceDescription(let description):
                for chunk in description.chunks where chunk.ssrc == ssrc {
                    if let name = chunk.canonicalName { senderName = String(name.prefix(255)) }
                }
            case .goodbye(let goodbye) where goodbye.sources.contains { $0 == ssrc }:
                segment?.end()
                updateExpected()
                counters.goodbyes.add(1, ordering: .relaxed)
                events.append(.goodbye(track: reception.name))
            default: break
            }
        }
    }

    /// A sender report: the sender's count, a point for the drift, and evidence for the segment's place: it places
    /// a segment still waiting, and is compared once with one placed otherwise. `beforeGoodbye` is false for the
    /// report that comes with the BYE.
    private func take(_ report: RTCPSenderReport, beforeGoodbye: Bool, timeline: inout TakeTimeline, now: Int64) {
        guard let segment else { return }
        segment.count(reportedPackets: report.packetCount, beforeGoodbye: beforeGoodbye)
        let rtp = segment.counters.nearest(timestamp: report.rtpTimestamp)
        let reported = segment.mapping.note(ntp: report.ntpTimestamp.unixNanoseconds, rtp: rtp, rate: rate)
        if segment.reportDelta == nil { segment.reportDelta = reported }
        guard segment.mapping.isMapped else {
            place(segment, waitedEnough: false, timeline: &timeline, now: now)
            return
        }
        if let difference = segment.mapping.compareOnce(reported), abs(difference) > 1,
            let followed = segment.mapping.source
        {
            events.append(
                .sourcesDisagree(
                    track: reception.name, followed: followed, other: .senderReports, frames: difference,
                    sampleRate: rate))
        }
    }
}
