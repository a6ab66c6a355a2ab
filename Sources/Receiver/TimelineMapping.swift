import RTP

/// Where a segment's timestamps stand on the take's timeline, once decided (`PlacementRule` decides): the delta added
/// to an extended RTP timestamp to give frames since the Unix epoch (UTC), and the source it came from. The
/// sender's reports are also the points from which the stream's drift is measured.
struct TimelineMapping {
    /// Extended timestamp + delta = frames since the Unix epoch (UTC) at the stream's rate; nil until mapped.
    private(set) var delta: Int64?
    private(set) var source: MappingSource?
    let firstArrival: Int64
    /// Whether a sender report has been compared with the mapping (once is enough: later ones measure drift).
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

    /// Notes a sender report's (NTP, RTP) pair, `rtp` extended to the segment's timestamps; returns the delta it
    /// says, to the nearest frame (a pair that names a sample's instant, as audiostreamer's do, lands on it whatever
    /// nanosecond the NTP format rounds to).
    mutating func note(ntp: Int64, rtp: Int64, rate: Int) -> Int64 {
        if firstReport == nil { firstReport = (ntp, rtp) }
        lastReport = (ntp, rtp)
        return EpochFrames(unixNanoseconds: ntp + 500_000_000 / Int64(rate), rate: rate).frames - rtp
    }

    /// How far a report's delta stands from the mapping, the first time a report is compared after mapping (by
    /// another source); nil after that, or while unmapped.
    mutating func compareOnce(_ reported: Int64) -> Int64? {
        guard let delta, !reportChecked else { return nil }
        reportChecked = true
        return source == .senderReports ? nil : reported - delta
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
