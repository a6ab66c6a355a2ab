/// The timestamped delay factor (TS-DF) of EBU Tech 3337 over consecutive measurement periods: in each, the
/// relative transit time of every packet against the period's first (the reference),
/// D(i) = (R(i) - R(0)) - (S(i) - S(0)), R the arrival and S the RTP timestamp as time, and TS-DF = max D - min D
/// (the reference's own D = 0 included). A period begins with the first packet that arrives more than
/// `periodNanoseconds` after the previous period's reference. Tech 3337 recommends 1 s; EBU LIST closes its
/// windows after 200 ms and drops the last, unfinished one; here the last period counts when it spans at least
/// half a period.
public struct DelayFactorMeter: Sendable {
    /// One measurement period: when its reference arrived (nanoseconds after the stream's first packet), its TS-DF
    /// and how many packets it held.
    public struct Period: Sendable, Hashable {
        public var startNanoseconds: Int64
        public var delayFactorNanoseconds: Int64
        public var packets: Int
    }

    public let periodNanoseconds: Int64
    public let sampleRate: Int
    public private(set) var periods: [Period] = []
    private var origin: Int64?
    private var reference: (arrival: Int64, timestamp: Int64)?
    private var lowest: Int64 = 0
    private var highest: Int64 = 0
    private var packets = 0
    private var lastArrival: Int64 = 0

    public init(periodNanoseconds: Int64 = 1_000_000_000, sampleRate: Int) {
        self.periodNanoseconds = periodNanoseconds
        self.sampleRate = max(1, sampleRate)
        // Ten minutes of 1 s periods without growing (a packet that closes a period then allocates nothing).
        periods.reserveCapacity(600)
    }

    /// Takes a packet: its arrival and its extended RTP timestamp.
    public mutating func take(arrival: Int64, timestamp: Int64) {
        if origin == nil { origin = arrival }
        if let start = reference, arrival - start.arrival > periodNanoseconds {
            close()
        }
        lastArrival = arrival
        guard let reference else {
            self.reference = (arrival, timestamp)
            lowest = 0
            highest = 0
            packets = 1
            return
        }
        let media = Self.nanoseconds(timestamp - reference.timestamp, sampleRate: sampleRate)
        let transit = (arrival - reference.arrival) &- media
        lowest = min(lowest, transit)
        highest = max(highest, transit)
        packets += 1
    }

    /// Closes the period under way: kept when it spans at least half a period (the last one of a stream).
    public mutating func finish() {
        if let reference, 2 * (lastArrival - reference.arrival) >= periodNanoseconds { close() }
        reference = nil
    }

    private mutating func close() {
        guard let reference, let origin else { return }
        periods.append(
            Period(
                startNanoseconds: reference.arrival - origin, delayFactorNanoseconds: highest - lowest, packets: packets
            ))
        self.reference = nil
    }

    /// Frames as nanoseconds at `sampleRate`, saturating for a nonsense timestamp jump.
    static func nanoseconds(_ frames: Int64, sampleRate: Int) -> Int64 {
        // In integers where the product fits (any timestamp step of a real stream), rounded to nearest.
        if frames.magnitude < 1 << 33 {
            let product = frames * 1_000_000_000
            let rate = Int64(sampleRate)
            return (product + (product < 0 ? -rate : rate) / 2) / rate
        }
        let value = (Double(frames) * 1e9 / Double(sampleRate)).rounded()
        guard value.magnitude < 9.2e18 else { return value < 0 ? Int64.min / 2 : Int64.max / 2 }
        return Int64(value)
    }

    /// The median and the largest TS-DF over the periods; nil before the first period.
    public var summary: (median: Int64, maximum: Int64)? {
        let values = periods.map(\.delayFactorNanoseconds).sorted()
        guard let maximum = values.last else { return nil }
        return (values[(values.count - 1) / 2], maximum)
    }
}
