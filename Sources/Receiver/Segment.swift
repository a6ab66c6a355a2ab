import RTP

/// One segment of a track: a run of packets with one SSRC and continuous timestamps, its reorder window, its
/// reception statistics and where it stands on the timeline.
final class Segment {
    let index: Int
    let ssrc: UInt32
    var counters: RTPCounterExtension
    var reception: ReceptionStatistics
    var jitter = InterarrivalJitter()
    /// The segment's window: replaced only before anything is released, when the track follows the wire's format.
    var buffer: JitterBuffer
    var mapping: TimelineMapping
    /// What the description's media clock says of the segment's place, from its first packet.
    var mediaClaim: PlacementRule.MediaClockClaim?
    /// What the sender's first report in the segment says of it.
    var reportDelta: Int64?
    /// The packet count of the last sender report, and, once the sender has said goodbye, the total it sent.
    var reportedPackets: Int64 = 0
    var sentInAll: Int64?
    /// Packets the sender had sent before this recorder heard its first (it started listening late), from the
    /// sender reports: they are no part of the recording, so not lost either.
    var unheardBefore: Int64?
    var ended = false

    /// How many more packets a sender report may count than have arrived, and still be packets on the way.
    static let packetsInFlight: Int64 = 8

    init(index: Int, header: RTPHeader, buffer: JitterBuffer, arrival: Int64) {
        self.index = index
        ssrc = header.ssrc
        counters = RTPCounterExtension(sequence: header.sequenceNumber, timestamp: header.timestamp)
        reception = ReceptionStatistics(firstSequence: Int64(header.sequenceNumber))
        self.buffer = buffer
        mapping = TimelineMapping(firstArrival: arrival)
    }

    /// Packets expected: from the sequence numbers, or, where this recorder heard the stream from its start, the
    /// sender's own total once it has said goodbye (which also counts a last packet lost, that sequence numbers
    /// cannot show). Where it listened late, the sequence numbers alone: the sender's count of what it sent before
    /// is known only to a packet or so (a report made just before a packet left can arrive after it), and a packet
    /// sent before the recorder listened is never loss.
    var expected: Int64 {
        guard let sentInAll, (unheardBefore ?? 0) == 0 else { return reception.expected }
        return max(reception.expected, sentInAll)
    }

    /// Takes the sender's count from a report: sent so far, against what the sequence numbers cover. A few more are
    /// on the way (or were the first ones, lost); many more were sent before anyone listened here. A report can
    /// count fewer than have arrived (one made while a packet was leaving) but never fewer than were sent before the
    /// first one heard, so the largest estimate of the reports before the goodbye is the closest; the goodbye's own
    /// report counts a lost last packet too, and is used only when no other came.
    func count(reportedPackets packets: UInt32, beforeGoodbye: Bool) {
        reportedPackets = Int64(packets)
        let ahead = Int64(packets) - reception.expected
        let unheard = ahead > Self.packetsInFlight ? ahead : 0
        if let known = unheardBefore {
            if beforeGoodbye { unheardBefore = max(known, unheard) }
        } else {
            unheardBefore = unheard
        }
    }

    /// The sender said goodbye: the segment ends with what it says it sent.
    func end() {
        ended = true
        sentInAll = reportedPackets
    }

    /// The segment's first frame, in its extended timestamps.
    var firstPosition: Int64 { buffer.lowestStart ?? counters.highestTimestamp }
}
