import Numbers

/// What a stream's timing must meet, as EBU LIST's analysis profiles give it (`apps/listwebserver/src/enums/
/// profiles/profiles.ts`, read December 2026), each limit in packet times or microseconds:
///
/// - TS-DF (EBU Tech 3337, the limits AES67 recommends per LIST's documentation `docs/audio_timing_analysis.md`):
///   narrow below 1 packet time, wide up to 17, outside beyond (LIST's `EBUAudioTsdfProfile`,
///   `{tolerance: 1, limit: 17}`, compared strictly below and at most).
/// - JT-NM Tested 2022 adds the RTP timestamp against arrival (`deltaPktTsVsRtpTsLimit`: minimum at least 0 us,
///   mean at most 2500 us, maximum at most 20 packet times) and the packet interval time (`pit`: mean 0.99 to 1.01
///   packet times, maximum at most 17).
public enum Profile: String, Sendable, Hashable, CaseIterable {
    case narrow
    case wide
    case jtnm2022 = "jtnm-2022"

    public static let narrowPacketTimes = 1.0
    public static let widePacketTimes = 17.0
    public static let delayMeanLimitNanoseconds = 2_500_000.0
    public static let delayMaximumPacketTimes = 20.0
    public static let intervalMeanRange = 0.99...1.01
    public static let intervalMaximumPacketTimes = 17.0
}

/// A stream's timing as the TS-DF limits class it.
public enum TimingClass: String, Sendable, Hashable, Comparable {
    case narrow
    case wide
    case outside

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
    private var rank: Int {
        switch self {
        case .narrow: 0
        case .wide: 1
        case .outside: 2
        }
    }

    /// The class of a largest TS-DF against the packet time.
    public static func of(delayFactorNanoseconds: Int64, packetNanoseconds: Int64) -> TimingClass {
        let packet = Double(packetNanoseconds)
        let value = Double(delayFactorNanoseconds)
        if value < Profile.narrowPacketTimes * packet { return .narrow }
        if value <= Profile.widePacketTimes * packet { return .wide }
        return .outside
    }
}

/// Why a stream does not meet a profile, each with the measured value and the limit; its description is the
/// sentence the command line and the report page print.
public enum ProfileFailure: Sendable, Hashable, CustomStringConvertible {
    /// Its TS-DF class is worse than the profile's.
    case delayFactor(TimingClass, maximumNanoseconds: Int64, required: TimingClass)
    /// A packet arrived before the instant its RTP timestamp names (JT-NM 2022: never).
    case timestampAhead(minimumNanoseconds: Int64)
    case delayMean(nanoseconds: Double, limit: Double)
    case delayMaximum(nanoseconds: Int64, limit: Double)
    case intervalMean(packetTimes: Double)
    case intervalMaximum(nanoseconds: Int64, limit: Double)
    /// Nothing to judge: fewer packets than a measurement period needs.
    case notMeasured
    /// The description does not meet the ST 2110-30 level asked for.
    case description(DescriptionFinding)

    static func ms(_ nanoseconds: Double) -> String { DecimalText.fixed(nanoseconds / 1e6, digits: 3) }

    public var description: String {
        switch self {
        case .delayFactor(let timing, let maximum, _): "TS-DF \(Self.ms(Double(maximum))) ms is \(timing.rawValue)"
        case .timestampAhead(let minimum):
            "a packet arrived \(Self.ms(Double(-minimum))) ms before the instant its RTP timestamp names"
        case .delayMean(let mean, let limit):
            "RTP timestamps \(Self.ms(mean)) ms behind arrival on average, above \(Self.ms(limit))"
        case .delayMaximum(let maximum, let limit):
            "an RTP timestamp \(Self.ms(Double(maximum))) ms behind arrival, above \(Self.ms(limit))"
        case .intervalMean(let packetTimes):
            "the mean packet interval is \(DecimalText.fixed(packetTimes, digits: 4)) packet times, outside 0.99 to 1.01"
        case .intervalMaximum(let maximum, let limit):
            "a packet interval of \(Self.ms(Double(maximum))) ms, above \(Self.ms(limit))"
        case .notMeasured: "too short for one TS-DF period"
        case .description(let finding): "the SDP: \(finding)"
        }
    }
}
