/// Packet interval time (PIT): the time between the arrivals of consecutive packets, whatever they carry, as EBU
/// LIST measures it for every ST 2110 stream (`packet_interval_time_analyzer.cpp`): its minimum, mean and maximum,
/// and a histogram. The mean is the span over the intervals, (last - first) / (packets - 1), where LIST keeps a
/// running mean that weighs its first interval twice.
public struct PacketIntervals: Sendable, Hashable {
    /// Intervals measured (packets - 1).
    public private(set) var count = 0
    public private(set) var minimumNanoseconds = Int64.max
    public private(set) var maximumNanoseconds = Int64.min
    /// The histogram's bin width: a twentieth of the packet time (LIST's is 10 ns, too fine to draw).
    public let binNanoseconds: Int64
    /// bins[k] counts the intervals in [k, k + 1) bin widths; the last bin also holds every longer one, the first
    /// every negative one (a capture's clock stepping back).
    public private(set) var bins: [Int]
    private var first: Int64?
    private var last: Int64?

    /// Bins up to three packet times.
    public init(packetNanoseconds: Int64) {
        binNanoseconds = max(1, packetNanoseconds / 20)
        bins = [Int](repeating: 0, count: 61)
    }

    public mutating func arrived(at time: Int64) {
        if first == nil { first = time }
        if let last {
            let interval = time - last
            count += 1
            minimumNanoseconds = min(minimumNanoseconds, interval)
            maximumNanoseconds = max(maximumNanoseconds, interval)
            let bin = interval < 0 ? 0 : min(bins.count - 1, Int(interval / binNanoseconds))
            bins[bin] += 1
        }
        last = time
    }

    /// The mean interval; nil before two packets.
    public var meanNanoseconds: Double? {
        guard count > 0, let first, let last else { return nil }
        return Double(last - first) / Double(count)
    }
}
