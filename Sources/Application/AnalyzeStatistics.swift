import Analysis
import JSON
import Numbers

extension AnalyzeProgram {
    /// The statistics document of `analyze` (`--stats`): the profile, and per stream what was counted and measured
    /// (microseconds unless the key says otherwise) and its verdict.
    static func statistics(_ streams: [AnalyzedStream], profile: Profile) -> JSONValue {
        .object([
            ("command", .string("analyze")), ("profile", .string(profile.rawValue)),
            ("kernel_drops", .integer(streams.map(\.kernelDrops).reduce(0, +))),
            ("streams", .array(streams.map(statistics))),
        ])
    }

    static func microseconds(_ nanoseconds: Double) -> JSONValue {
        .number(DecimalText.fixed(nanoseconds / 1000, digits: 3))
    }

    static func microseconds(_ nanoseconds: Int64) -> JSONValue { microseconds(Double(nanoseconds)) }

    static func statistics(_ stream: AnalyzedStream) -> JSONValue {
        let analyzer = stream.analyzer
        let sequence = analyzer.sequence
        let intervals = analyzer.intervals
        let factor = analyzer.delayFactor.summary
        let delay = analyzer.delay
        var members: [(String, JSONValue)] = [
            ("name", .string(stream.name)), ("origin", .string(stream.origin)),
            ("packets", .integer(sequence.packets)), ("lost", .integer(sequence.lost)),
            ("duplicates", .integer(sequence.duplicates)), ("reordered", .integer(sequence.reordered)),
            ("sequence_errors", .integer(sequence.sequenceErrors)), ("ssrc_changes", .integer(sequence.ssrcChanges)),
            ("malformed", .integer(analyzer.malformed)), ("kernel_drops", .integer(stream.kernelDrops)),
            ("packet_time_us", microseconds(analyzer.packetNanoseconds)),
            (
                "pit_us",
                intervals.count > 0
                    ? .object([
                        ("min", microseconds(intervals.minimumNanoseconds)),
                        ("mean", microseconds(intervals.meanNanoseconds ?? 0)),
                        ("max", microseconds(intervals.maximumNanoseconds)),
                    ]) : .null
            ),
            (
                "tsdf_us",
                factor.map {
                    .object([
                        ("median", microseconds($0.median)), ("max", microseconds($0.maximum)),
                        ("periods", .integer(analyzer.delayFactor.periods.count)),
                        (
                            "per_period",
                            .array(analyzer.delayFactor.periods.map { microseconds($0.delayFactorNanoseconds) })
                        ),
                        ("period_ms", .integer(analyzer.delayFactor.periodNanoseconds / 1_000_000)),
                    ])
                } ?? .null
            ),
            (
                "rtp_vs_arrival_us",
                delay.count > 0
                    ? .object([
                        ("reference", .string(delay.anchor == .relative ? "first packet" : "media clock")),
                        ("min", microseconds(delay.minimumNanoseconds)),
                        ("mean", microseconds(delay.meanNanoseconds ?? 0)),
                        ("max", microseconds(delay.maximumNanoseconds)),
                    ]) : .null
            ),
            (
                "jitter_us",
                .object([
                    ("max", microseconds(analyzer.jitterMaximumNanoseconds)),
                    ("mean", microseconds(analyzer.jitterMeanNanoseconds)),
                ])
            ),
            ("wrong_payload_type", .integer(analyzer.wrongPayloadType)),
            ("wrong_length", .integer(analyzer.wrongLength)),
            (
                "levels",
                .array(
                    (0..<analyzer.levels.channelCount).map { channel in
                        let level = analyzer.levels.level(channel)
                        return .object([
                            ("peak_dbfs", level.peak.map { .number(DecimalText.fixed($0, digits: 2)) } ?? .null),
                            ("rms_dbfs", level.rms.map { .number(DecimalText.fixed($0, digits: 2)) } ?? .null),
                            ("clipped", .integer(analyzer.levels.clipped[channel])),
                        ])
                    })
            ),
            (
                "rtcp",
                .object([
                    ("sender_reports", .integer(analyzer.control.senderReports)),
                    ("cnames", .array(analyzer.control.canonicalNames.map { .string($0) })),
                    ("byes", .integer(analyzer.control.goodbyes)),
                    (
                        "sr_rtp_vs_newest_packet_frames",
                        analyzer.control.reportOffsetFrames.map {
                            .object([("min", .integer($0.minimum)), ("max", .integer($0.maximum))])
                        } ?? .null
                    ),
                    (
                        "sr_rate_hz",
                        analyzer.control.reportedRate.map { .number(DecimalText.fixed($0, digits: 1)) } ?? .null
                    ),
                    ("malformed", .integer(analyzer.control.malformed)),
                ])
            ),
        ]
        if analyzer.description.secondLeg != nil {
            let skews = analyzer.copySkews.map { abs($0) }.sorted()
            members.append(
                (
                    "legs",
                    .object([
                        ("received", .array(analyzer.legPackets.map { .integer($0) })),
                        ("lost", .array(analyzer.legLost.map { .integer($0) })),
                        ("copies", .integer(analyzer.copies)), ("only_one_leg", .integer(analyzer.onlyOneLeg)),
                        (
                            "skew_p99_us",
                            skews.isEmpty ? .null : microseconds(skews[min(skews.count - 1, skews.count * 99 / 100)])
                        ),
                    ])
                ))
        }
        members += [
            ("description", .array(stream.verdict.findings.map { .string($0.description) })),
            ("verdict", stream.verdict.timing.map { .string($0.rawValue) } ?? .null),
            ("meets_profile", .bool(stream.verdict.meetsProfile)),
        ]
        return .object(members)
    }
}
