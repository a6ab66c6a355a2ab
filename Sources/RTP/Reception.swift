/// Extends RTP's 16-bit sequence numbers and 32-bit timestamps to 64 bits as packets arrive, in any order
/// (RFC 3550 appendix A.1): each new value is taken as the nearest one to the highest seen so far, so wraps count
/// and reordering within half the range is told from a jump.
public struct RTPCounterExtension: Sendable, Hashable {
    /// The highest extended sequence number and timestamp seen.
    public private(set) var highestSequence: Int64
    public private(set) var highestTimestamp: Int64

    /// Starts from a first packet: its sequence number and timestamp extend to themselves.
    public init(sequence: UInt16, timestamp: UInt32) {
        highestSequence = Int64(sequence)
        highestTimestamp = Int64(timestamp)
    }

    /// The extended value of `sequence`, nearest the highest seen (which it raises when above).
    public mutating func extend(sequence: UInt16) -> Int64 {
        let delta = Int64(Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: highestSequence)))
        let extended = highestSequence + delta
        if extended > highestSequence { highestSequence = extended }
        return extended
    }

    /// The extended value of `timestamp`, nearest the highest seen (which it raises when above).
    public mutating func extend(timestamp: UInt32) -> Int64 {
        let extended = nearest(timestamp: timestamp)
        if extended > highestTimestamp { highestTimestamp = extended }
        return extended
    }

    /// The extended value `timestamp` would have, without taking it in.
    public func nearest(timestamp: UInt32) -> Int64 {
        highestTimestamp + Int64(Int32(bitPattern: timestamp &- UInt32(truncatingIfNeeded: highestTimestamp)))
    }
}

/// Interarrival jitter, RFC 3550 section 6.4.1 and appendix A.8: the mean deviation of the difference in transit
/// time between consecutive packets, smoothed by 1/16, in timestamp units.
public struct InterarrivalJitter: Sendable, Hashable {
    public private(set) var jitter: Double = 0
    private var lastTransit: Int64?

    public init() {}

    /// Takes in a packet's RTP timestamp and its arrival time expressed in the same units (frames).
    public mutating func update(timestamp: Int64, arrival: Int64) {
        let transit = arrival - timestamp
        if let lastTransit {
            let difference = Double(abs(transit - lastTransit))
            jitter += (difference - jitter) / 16
        }
        lastTransit = transit
    }

    /// The value a report block carries (truncated to whole timestamp units).
    public var reported: UInt32 { UInt32(clamping: Int64(jitter)) }
}

/// Loss as a receiver report states it, RFC 3550 section 6.4.1 and appendix A.3: packets expected from the first
/// and highest sequence numbers against those received, in all and since the last report.
public struct ReceptionStatistics: Sendable, Hashable {
    public private(set) var baseSequence: Int64
    public private(set) var highestSequence: Int64
    /// Distinct packets received.
    public private(set) var received: Int64 = 0
    private var expectedPrior: Int64 = 0
    private var receivedPrior: Int64 = 0

    public init(firstSequence: Int64) {
        baseSequence = firstSequence
        highestSequence = firstSequence
    }

    /// Takes in a distinct packet's extended sequence number.
    public mutating func count(sequence: Int64) {
        received += 1
        highestSequence = max(highestSequence, sequence)
        baseSequence = min(baseSequence, sequence)
    }

    /// Packets expected in all: from the first to the highest sequence number.
    public var expected: Int64 { highestSequence - baseSequence + 1 }
    /// Packets lost in all (negative when duplicates were counted twice, which `count` is not given).
    public var lost: Int64 { expected - received }

    /// The loss fields of a report block for a report made now: the fraction lost since the last one (of 256) and
    /// the cumulative loss clamped to 24 bits; remembers this report.
    public mutating func report() -> (fractionLost: UInt8, cumulativeLost: Int32) {
        let expectedInterval = expected - expectedPrior
        let receivedInterval = received - receivedPrior
        expectedPrior = expected
        receivedPrior = received
        let lostInterval = expectedInterval - receivedInterval
        let fraction: UInt8 =
            expectedInterval == 0 || lostInterval <= 0 ? 0 : UInt8(min(255, (lostInterval << 8) / expectedInterval))
        return (fraction, Int32(clamping: min(max(lost, -0x80_0000), 0x7F_FFFF)))
    }
}
