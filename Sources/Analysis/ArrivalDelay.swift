/// The RTP timestamp against arrival: how long after the instant its timestamp names each packet arrived, the
/// measure JT-NM Tested 2022 limits (EBU LIST's "delta packet vs RTP": never ahead, at most 2.5 ms behind on
/// average, at most 20 packet times).
///
/// Against a reference clock (`ClockAnchor.mediaClock`), the arrival is turned into the media clock's ticks
/// (Unix nanoseconds, plus the TAI offset for PTP, times the rate, plus the SDP's `mediaclk:direct` offset, modulo
/// 2^32) and the packet's timestamp subtracted as a signed 32-bit difference, to which the time since the clock's
/// tick began is added: the delay in nanoseconds, not rounded to a sample. Without one (`.relative`), each
/// packet's delay is taken against the stream's first packet's, which counts as 0.
public struct ArrivalDelay: Sendable {
    /// The lowest and highest of a measure over a stretch of time that starts `startNanoseconds` after the stream's
    /// first packet.
    public struct Extent: Sendable, Hashable {
        public var startNanoseconds: Int64
        public var lowNanoseconds: Int64
        public var highNanoseconds: Int64
    }

    public enum ClockAnchor: Sendable, Hashable {
        case relative
        case mediaClock(offset: UInt32, taiOffsetSeconds: Int64)
    }

    public let anchor: ClockAnchor
    public let sampleRate: Int
    public private(set) var count = 0
    public private(set) var minimumNanoseconds = Int64.max
    public private(set) var maximumNanoseconds = Int64.min
    private var total: Double = 0
    private var first: (arrival: Int64, timestamp: Int64)?
    /// The lowest and highest delay in each `seriesPeriod` of arrival time, for a picture: 100 ms to begin with;
    /// when `maximumExtents` are kept, neighbours merge and the period doubles.
    public private(set) var series: [Extent] = []
    public private(set) var seriesPeriodNanoseconds: Int64
    public static let maximumExtents = 2048
    private var origin: Int64?

    public init(anchor: ClockAnchor, sampleRate: Int, seriesPeriodNanoseconds: Int64 = 100_000_000) {
        self.anchor = anchor
        self.sampleRate = max(1, sampleRate)
        self.seriesPeriodNanoseconds = seriesPeriodNanoseconds
        series.reserveCapacity(Self.maximumExtents)
    }

    /// Takes a packet: its arrival (Unix nanoseconds), its RTP timestamp and its extended timestamp.
    public mutating func take(arrival: Int64, timestamp: UInt32, extended: Int64) {
        let delay: Int64
        switch anchor {
        case .relative:
            let start = first ?? (arrival, extended)
            first = start
            delay =
                (arrival - start.arrival)
                &- DelayFactorMeter.nanoseconds(extended - start.timestamp, sampleRate: sampleRate)
        case .mediaClock(let offset, let tai):
            let clock = Self.mediaClockPosition(unixNanoseconds: arrival, taiOffsetSeconds: tai, sampleRate: sampleRate)
            let difference = Int32(bitPattern: (clock.ticks &+ offset) &- timestamp)
            // Whole ticks and the billionths past the last, in one division: at most 2^31 ticks, no overflow.
            let nanoticks = Int64(difference) * 1_000_000_000 + clock.nanoticks
            let rate = Int64(sampleRate)
            delay = (nanoticks + (nanoticks < 0 ? -rate : rate) / 2) / rate
        }
        count += 1
        minimumNanoseconds = min(minimumNanoseconds, delay)
        maximumNanoseconds = max(maximumNanoseconds, delay)
        total += Double(delay)
        let origin = self.origin ?? arrival
        self.origin = origin
        let start = (arrival - origin) / seriesPeriodNanoseconds * seriesPeriodNanoseconds
        if let last = series.last, last.startNanoseconds == start {
            series[series.count - 1].lowNanoseconds = min(last.lowNanoseconds, delay)
            series[series.count - 1].highNanoseconds = max(last.highNanoseconds, delay)
        } else {
            if series.count == Self.maximumExtents { mergeNeighbours() }
            let start = (arrival - origin) / seriesPeriodNanoseconds * seriesPeriodNanoseconds
            if let last = series.last, last.startNanoseconds == start {
                series[series.count - 1].lowNanoseconds = min(last.lowNanoseconds, delay)
                series[series.count - 1].highNanoseconds = max(last.highNanoseconds, delay)
            } else {
                series.append(Extent(startNanoseconds: start, lowNanoseconds: delay, highNanoseconds: delay))
            }
        }
    }

    public var meanNanoseconds: Double? { count > 0 ? total / Double(count) : nil }

    /// Halves the extents kept, each pair one, over twice the period.
    private mutating func mergeNeighbours() {
        seriesPeriodNanoseconds *= 2
        var merged: [Extent] = []
        merged.reserveCapacity(Self.maximumExtents)
        for extent in series {
            let start = extent.startNanoseconds / seriesPeriodNanoseconds * seriesPeriodNanoseconds
            if let last = merged.last, last.startNanoseconds == start {
                merged[merged.count - 1].lowNanoseconds = min(last.lowNanoseconds, extent.lowNanoseconds)
                merged[merged.count - 1].highNanoseconds = max(last.highNanoseconds, extent.highNanoseconds)
            } else {
                merged.append(
                    Extent(
                        startNanoseconds: start, lowNanoseconds: extent.lowNanoseconds,
                        highNanoseconds: extent.highNanoseconds))
            }
        }
        series = merged
    }

    /// The media clock's value at a Unix instant, modulo 2^32: whole seconds times the rate plus the fraction's
    /// ticks, in wrapping arithmetic (only the low 32 bits count).
    public static func mediaClockTicks(unixNanoseconds: Int64, taiOffsetSeconds: Int64, sampleRate: Int) -> UInt32 {
        mediaClockPosition(unixNanoseconds: unixNanoseconds, taiOffsetSeconds: taiOffsetSeconds, sampleRate: sampleRate)
            .ticks
    }

    /// The media clock at a Unix instant: its value modulo 2^32, and how far past that tick the instant is, in
    /// billionths of a tick (exact), so that a delay against the clock is not rounded to a sample.
    public static func mediaClockPosition(unixNanoseconds: Int64, taiOffsetSeconds: Int64, sampleRate: Int) -> (
        ticks: UInt32, nanoticks: Int64
    ) {
        var (whole, part) = unixNanoseconds.quotientAndRemainder(dividingBy: 1_000_000_000)
        if part < 0 {
            whole -= 1
            part += 1_000_000_000
        }
        let seconds = UInt64(bitPattern: whole &+ taiOffsetSeconds)
        let rate = UInt64(max(1, sampleRate))
        // The fraction of the second in billionths of a tick: its whole ticks, and the rest of one.
        let nanoticks = UInt64(part) * rate
        let tick = nanoticks / 1_000_000_000
        return (UInt32(truncatingIfNeeded: seconds &* rate &+ tick), Int64(nanoticks - tick * 1_000_000_000))
    }
}
