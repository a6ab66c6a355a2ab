import RTP

/// The third stage of a track's reception: where a segment's timestamps stand on the take's timeline. The delta
/// added to an extended RTP timestamp gives frames since the Unix epoch (UTC): from an RFC 7273 media clock, from
/// the sender's reports (RFC 3550 section 6.4.1), or, when neither came within the window, from the first packet's
/// arrival. Sender reports are also the points from which the stream's drift is measured.
struct TimelineMapping {
    /// Extended timestamp + delta = frames since the Unix epoch (UTC) at the stream's rate; nil until mapped.
    private(set) var delta: Int64?
    private(set) var source: MappingSource?
    let firstArrival: Int64
    /// Whether the first (NTP, RTP) pair of a sender report has been compared with the mapping.
    private var reportChecked = false
    private(set) var firstReport: (ntp: Int64, rtp: Int64)?
    private(set) var lastReport: (ntp: Int64, rtp: Int64)?

    init(firstArrival: Int64) {
        self.firstArrival = firstArrival
    }

    var isMapped: Bool { delta != nil }

    mutating func map(delta: Int64, source: MappingSource) {
        self.delta = delta
        self.source = source
    }

    /// The delta that places a segment by when its first packet arrived, `firstPosition` its first frame.
    func arrivalDelta(firstPosition: Int64, rate: Int) -> Int64 {
        EpochFrames(unixNanoseconds: firstArrival, rate: rate).frames - firstPosition
    }

    /// What a sender report changes, at `rate`, `rtp` its timestamp extended to the segment's.
    enum ReportOutcome: Equatable {
        /// The report maps a segment that had no mapping yet.
        case mapped
        /// It agrees with the mapping within a frame, or was not the first to be compared.
        case agrees
        /// It disagrees by `frames` with the mapping; `replaced` when the report's mapping was taken instead.
        case disagrees(frames: Int64, replaced: Bool)
    }

    /// Takes a sender report's (NTP, RTP) pair. An assumed media clock (a take file's) that the first report
    /// contradicts gives way, if nothing is written yet (`unwritten`).
    mutating func take(ntp: Int64, rtp: Int64, rate: Int, assumed: Bool, unwritten: Bool) -> ReportOutcome {
        if firstReport == nil { firstReport = (ntp, rtp) }
        lastReport = (ntp, rtp)
        let reported = EpochFrames(unixNanoseconds: ntp, rate: rate).frames - rtp
        guard let current = delta else {
            map(delta: reported, source: .senderReports)
            return .mapped
        }
        guard !reportChecked else { return .agrees }
        reportChecked = true
        let difference = reported - current
        guard abs(difference) > 1 else { return .agrees }
        guard assumed && unwritten else { return .disagrees(frames: difference, replaced: false) }
        map(delta: reported, source: .senderReports)
        return .disagrees(frames: difference, replaced: true)
    }

    /// The stream's rate against the timeline, in parts per million, from its first and last sender reports (nil
    /// until two of them are far enough apart to tell).
    func driftPartsPerMillion(rate: Int) -> Double? {
        guard let first = firstReport, let last = lastReport, last.ntp - first.ntp > 500_000_000 else { return nil }
        let media = Double(last.rtp - first.rtp) / Double(rate)
        let wall = Double(last.ntp - first.ntp) / 1e9
        return (media - wall) / wall * 1e6
    }
}
