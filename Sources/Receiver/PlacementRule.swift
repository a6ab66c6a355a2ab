import RTP

/// Where a segment of a stream stands on the timeline, decided from what is told and what is heard, ranked:
/// a media clock whose reference this host has verified, when it agrees with the arrival; else the sender's own
/// reports; else a media clock that agrees with the arrival though its reference cannot be checked; else the
/// arrival. A media clock on the sender's own clock (`local`) is never followed, only compared with the reports. Every disagreement is said, with both sides and the choice made. One pure function, a table of cases
/// (the documentation lists them, and a test checks each).
public enum PlacementRule {
    /// What is known of a segment when its placement is decided. Deltas are added to its extended RTP timestamps to
    /// give frames since the Unix epoch (UTC).
    public struct Evidence: Sendable, Hashable {
        /// What the description's media clock says (RFC 7273 direct), and whether its reference is verified here.
        public var mediaClock: MediaClockClaim?
        /// What the sender's first report says (RFC 3550 section 6.4.1).
        public var report: Int64?
        /// What the first packet's arrival says.
        public var arrival: Int64
        /// How far a placement may stand from the arrival and still be believed: the latency window and a
        /// plausible network delay, in frames.
        public var windowFrames: Int64
        /// Whether the wait for a report is over.
        public var waitedEnough: Bool

        public init(
            mediaClock: MediaClockClaim?, report: Int64?, arrival: Int64, windowFrames: Int64, waitedEnough: Bool
        ) {
            self.mediaClock = mediaClock
            self.report = report
            self.arrival = arrival
            self.windowFrames = windowFrames
            self.waitedEnough = waitedEnough
        }
    }

    /// A media clock's placement, and how far this host can check the reference clock it follows.
    public struct MediaClockClaim: Sendable, Hashable {
        public var delta: Int64
        public var standing: Standing

        /// What this host knows of the reference clock a media clock follows.
        public enum Standing: Sendable, Hashable {
            /// One this host follows or has checked (the same PTP grandmaster; a synchronised clock for UTC).
            case verified
            /// One this host cannot check.
            case unverified
            /// The sender's own clock (`ts-refclk:local`): it places nothing, as no one here reads that clock, but
            /// the sender's reports count the same clock and can be compared with it.
            case sendersOwn
        }

        public init(delta: Int64, standing: Standing) {
            self.delta = delta
            self.standing = standing
        }

        public init(delta: Int64, verified: Bool) {
            self.init(delta: delta, standing: verified ? .verified : .unverified)
        }
    }

    /// Two sources that disagree by more than a frame: the one followed and the other, `frames` the other's place
    /// less the followed one's.
    public struct Disagreement: Sendable, Hashable {
        public var followed: MappingSource
        public var other: MappingSource
        public var frames: Int64

        public init(followed: MappingSource, other: MappingSource, frames: Int64) {
            self.followed = followed
            self.other = other
            self.frames = frames
        }
    }

    /// The decision: the source followed and its delta (nil while it is worth waiting for a report), and what to
    /// say.
    public struct Decision: Sendable, Hashable {
        public var source: MappingSource?
        public var delta: Int64?
        public var said: [Disagreement]

        public init(source: MappingSource?, delta: Int64?, said: [Disagreement] = []) {
            self.source = source
            self.delta = delta
            self.said = said
        }

        static let wait = Decision(source: nil, delta: nil)
    }

    public static func decide(_ evidence: Evidence) -> Decision {
        let arrival = evidence.arrival
        func near(_ delta: Int64) -> Bool { abs(delta - arrival) <= evidence.windowFrames }
        func differ(_ followed: (MappingSource, Int64), _ other: (MappingSource, Int64)) -> [Disagreement] {
            abs(other.1 - followed.1) > 1
                ? [Disagreement(followed: followed.0, other: other.0, frames: other.1 - followed.1)] : []
        }
        // A verified media clock that agrees with what is heard is the best there is.
        if let media = evidence.mediaClock, media.standing == .verified, near(media.delta) {
            return Decision(source: .mediaClock, delta: media.delta)
        }
        if let report = evidence.report {
            var said = evidence.mediaClock.map { differ((.senderReports, report), (.mediaClock, $0.delta)) } ?? []
            // Sender reports far from the arrival: followed (the sender says so), but never silently.
            if !near(report) { said += differ((.senderReports, report), (.arrival, arrival)) }
            return Decision(source: .senderReports, delta: report, said: said)
        }
        guard evidence.waitedEnough else { return .wait }
        if let media = evidence.mediaClock, media.standing != .sendersOwn {
            // No report came: a media clock that agrees with the arrival places the stream to the sample, whether
            // or not its reference can be checked; one that does not is said, and the arrival followed.
            if near(media.delta) { return Decision(source: .mediaClock, delta: media.delta) }
            return Decision(
                source: .arrival, delta: arrival, said: differ((.arrival, arrival), (.mediaClock, media.delta)))
        }
        return Decision(source: .arrival, delta: arrival)
    }
}

extension TimelineClock {
    /// What a media clock claims of a stream's place, before the first packet gives it a timestamp: its offset, its
    /// timescale and its standing here (the sender's own clock read as its system clock counts, UTC). Nil where
    /// the description has no media clock.
    var claim: (offset: UInt32, timescale: Timescale, standing: PlacementRule.MediaClockClaim.Standing)? {
        switch self {
        case .direct(let offset, let timescale, let verified): (offset, timescale, verified ? .verified : .unverified)
        case .sendersOwn(let offset): (offset, .utc, .sendersOwn)
        case .senderReports: nil
        }
    }
}
