import Receiver
import Testing

/// The evidence table, a row per case: what is told (a media clock, verified here or not), what is heard (a sender
/// report, the arrival), the source followed and what is said. Deltas are frames at 48 kHz; the window is 0.7 s
/// (200 ms of latency and 500 ms of plausible network delay); the arrival says 1 000 000.
@Suite struct PlacementRuleTests {
    static let arrival: Int64 = 1_000_000
    static let window: Int64 = 33_600
    static let thirtySeconds: Int64 = 1_440_000

    struct Row: Sendable, CustomStringConvertible {
        var label: String
        var media: PlacementRule.MediaClockClaim?
        var report: Int64?
        var waited: Bool
        var followed: MappingSource?
        var delta: Int64?
        var said: [PlacementRule.Disagreement]
        var description: String { label }
    }

    static func media(_ delta: Int64, verified: Bool) -> PlacementRule.MediaClockClaim {
        PlacementRule.MediaClockClaim(delta: delta, verified: verified)
    }

    static func local(_ delta: Int64) -> PlacementRule.MediaClockClaim {
        PlacementRule.MediaClockClaim(delta: delta, standing: .sendersOwn)
    }

    static func said(_ followed: MappingSource, _ other: MappingSource, _ frames: Int64) -> PlacementRule.Disagreement {
        PlacementRule.Disagreement(followed: followed, other: other, frames: frames)
    }

    static let rows: [Row] = [
        Row(
            label: "1 a verified media clock near the arrival: followed at once",
            media: media(1_000_480, verified: true),
            report: nil, waited: false, followed: .mediaClock, delta: 1_000_480, said: []),
        Row(
            label: "2 a verified media clock and a report that disagrees: the media clock, the report said later",
            media: media(1_000_480, verified: true), report: 1_000_000, waited: false, followed: .mediaClock,
            delta: 1_000_480, said: []),
        Row(
            label: "3 a verified media clock 30 s from the arrival, a report: the report, the media clock said",
            media: media(arrival + thirtySeconds, verified: true), report: 1_000_010, waited: false,
            followed: .senderReports, delta: 1_000_010, said: [said(.senderReports, .mediaClock, thirtySeconds - 10)]),
        Row(
            label: "4 a verified media clock 30 s away, no report yet: wait",
            media: media(arrival + thirtySeconds, verified: true),
            report: nil, waited: false, followed: nil, delta: nil, said: []),
        Row(
            label: "5 a verified media clock 30 s away, no report in time: the arrival, the media clock said",
            media: media(arrival + thirtySeconds, verified: true), report: nil, waited: true, followed: .arrival,
            delta: arrival, said: [said(.arrival, .mediaClock, thirtySeconds)]),
        Row(
            label: "6 an unverified media clock and a report: the report, a disagreement said",
            media: media(1_000_480, verified: false), report: 1_000_000, waited: false, followed: .senderReports,
            delta: 1_000_000, said: [said(.senderReports, .mediaClock, 480)]),
        Row(
            label: "7 an unverified media clock that agrees with the report to a frame: the report, nothing said",
            media: media(1_000_001, verified: false), report: 1_000_000, waited: false, followed: .senderReports,
            delta: 1_000_000, said: []),
        Row(
            label: "8 an unverified media clock, no report yet: wait", media: media(1_000_480, verified: false),
            report: nil, waited: false, followed: nil, delta: nil, said: []),
        Row(
            label: "9 an unverified media clock near the arrival, no report in time: the media clock",
            media: media(1_000_480, verified: false), report: nil, waited: true, followed: .mediaClock,
            delta: 1_000_480, said: []),
        Row(
            label: "10 an unverified media clock 30 s away, no report in time: the arrival, said",
            media: media(arrival - thirtySeconds, verified: false), report: nil, waited: true, followed: .arrival,
            delta: arrival, said: [said(.arrival, .mediaClock, -thirtySeconds)]),
        Row(
            label: "11 no media clock, a report near the arrival: the report", media: nil, report: 1_000_100,
            waited: false, followed: .senderReports, delta: 1_000_100, said: []),
        Row(
            label: "12 no media clock, a report 30 s from the arrival: the report, never silently", media: nil,
            report: arrival + thirtySeconds, waited: false, followed: .senderReports, delta: arrival + thirtySeconds,
            said: [said(.senderReports, .arrival, -thirtySeconds)]),
        Row(
            label: "13 no media clock, no report yet: wait", media: nil, report: nil, waited: false, followed: nil,
            delta: nil, said: []),
        Row(
            label: "14 no media clock, no report in time: the arrival", media: nil, report: nil, waited: true,
            followed: .arrival, delta: arrival, said: []),
        Row(
            label: "15 a media clock on the sender's own clock (local), from a stale SDP, and a report: the report, "
                + "the media clock said", media: local(arrival - 712_341_432), report: 1_000_100, waited: false,
            followed: .senderReports, delta: 1_000_100, said: [said(.senderReports, .mediaClock, -712_341_532)]),
        Row(
            label: "16 a local media clock near the arrival, no report in time: the arrival, never the media clock",
            media: local(1_000_480), report: nil, waited: true, followed: .arrival, delta: arrival, said: []),
        Row(
            label: "17 a local media clock, no report yet: wait", media: local(1_000_480), report: nil,
            waited: false, followed: nil, delta: nil, said: []),
    ]

    @Test("the evidence table", arguments: rows)
    func row(_ row: Row) {
        let decision = PlacementRule.decide(
            PlacementRule.Evidence(
                mediaClock: row.media, report: row.report, arrival: Self.arrival, windowFrames: Self.window,
                waitedEnough: row.waited))
        #expect(decision.source == row.followed)
        #expect(decision.delta == row.delta)
        #expect(decision.said == row.said)
    }
}
