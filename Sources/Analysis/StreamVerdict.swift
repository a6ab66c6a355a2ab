import Planning

/// A stream's timing judged against a profile: its TS-DF class, and every limit of the profile it does not meet.
public struct StreamVerdict: Sendable, Hashable {
    /// The class of its largest TS-DF (and of its longest packet interval: a stream that stops for more than 17
    /// packet times is outside whatever its periods say); nil when no period could be measured.
    public var timing: TimingClass?
    public var failures: [ProfileFailure]
    /// Whether the RTP timestamps were judged against a reference clock (JT-NM 2022's delay limits need one; without
    /// it they are not judged, and the summary says so).
    public var delayJudged: Bool
    /// What the stream's description says that AES67 (or the level asked for) does not take.
    public var findings: [DescriptionFinding] = []

    public var meetsProfile: Bool { failures.isEmpty }

    /// The verdict on `stream` against `profile`; with `level`, its description must also fit that ST 2110-30
    /// level (the AES67 findings are remarks either way).
    public static func judge(_ stream: StreamAnalyzer, profile: Profile, level: ST2110Level? = nil) -> StreamVerdict {
        let findings = DescriptionCheck.findings(stream.description, level: level)
        let levelFailures = level == nil ? [] : findings.filter(\.failsLevel).map(ProfileFailure.description)
        var verdict = timed(stream, profile: profile)
        verdict.findings = findings
        verdict.failures += levelFailures
        return verdict
    }

    /// The timing part of the verdict.
    static func timed(_ stream: StreamAnalyzer, profile: Profile) -> StreamVerdict {
        let packet = Double(stream.packetNanoseconds)
        guard let factor = stream.delayFactor.summary, packet > 0 else {
            return StreamVerdict(timing: nil, failures: [.notMeasured], delayJudged: false)
        }
        var timing = TimingClass.of(
            delayFactorNanoseconds: factor.maximum, packetNanoseconds: stream.packetNanoseconds)
        let intervals = stream.intervals
        if intervals.count > 0, Double(intervals.maximumNanoseconds) > Profile.intervalMaximumPacketTimes * packet {
            timing = .outside
        }
        var failures: [ProfileFailure] = []
        let required: TimingClass = profile == .narrow ? .narrow : .wide
        if timing > required {
            failures.append(.delayFactor(timing, maximumNanoseconds: factor.maximum, required: required))
        }
        var delayJudged = false
        if profile == .jtnm2022 {
            if case .mediaClock = stream.delay.anchor, stream.delay.count > 0, let mean = stream.delay.meanNanoseconds {
                delayJudged = true
                if stream.delay.minimumNanoseconds < 0 {
                    failures.append(.timestampAhead(minimumNanoseconds: stream.delay.minimumNanoseconds))
                }
                if mean > Profile.delayMeanLimitNanoseconds {
                    failures.append(.delayMean(nanoseconds: mean, limit: Profile.delayMeanLimitNanoseconds))
                }
                let limit = Profile.delayMaximumPacketTimes * packet
                if Double(stream.delay.maximumNanoseconds) > limit {
                    failures.append(.delayMaximum(nanoseconds: stream.delay.maximumNanoseconds, limit: limit))
                }
            }
            if let mean = intervals.meanNanoseconds, !Profile.intervalMeanRange.contains(mean / packet) {
                failures.append(.intervalMean(packetTimes: mean / packet))
            }
            let limit = Profile.intervalMaximumPacketTimes * packet
            if intervals.count > 0, Double(intervals.maximumNanoseconds) > limit {
                failures.append(.intervalMaximum(nanoseconds: intervals.maximumNanoseconds, limit: limit))
            }
        }
        return StreamVerdict(timing: timing, failures: failures, delayJudged: delayJudged)
    }
}
