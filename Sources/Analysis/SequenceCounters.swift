import RTP

/// What the sequence numbers of a stream's packets say, in arrival order (RFC 3550 appendix A.1 extension): packets,
/// duplicates, packets that came after a later one (reordered), breaks in the order (sequence errors), the packets
/// never received (lost: the span of sequence numbers seen less the distinct ones received), and SSRC changes,
/// each of which starts the count of sequence numbers again.
public struct SequenceCounters: Sendable, Hashable {
    public private(set) var packets = 0
    public private(set) var duplicates = 0
    public private(set) var reordered = 0
    public private(set) var sequenceErrors = 0
    public private(set) var ssrcChanges = 0
    /// Sequence numbers expected (first to highest, over every SSRC in turn) and distinct ones received.
    private var expectedBefore = 0
    private var distinctBefore = 0
    private var distinct = 0
    private var extension_: RTPCounterExtension?
    private var firstSequence: Int64 = 0
    private var previousSequence: Int64 = 0
    public private(set) var ssrc: UInt32?
    /// Which of the last `window` sequence numbers have come, to tell a duplicate from a late packet.
    private var seen = [UInt64](repeating: 0, count: SequenceCounters.window / 64)
    static let window = 4096
    /// Runs of packets never received, as they showed: where (nanoseconds after the stream's first packet) and how
    /// many; at most `maximumGaps` kept, the rest counted in `lost` alone.
    public private(set) var gaps: [Gap] = []
    public static let maximumGaps = 10_000

    /// When packets came after a later one (nanoseconds after the stream's first packet), at most `maximumGaps`.
    public private(set) var reorders: [Int64] = []

    public struct Gap: Sendable, Hashable {
        public var atNanoseconds: Int64
        public var packets: Int
    }

    public init() {}

    /// Sequence numbers never received so far.
    public var lost: Int {
        let span = extension_.map { Int($0.highestSequence - firstSequence) + 1 } ?? 0
        return expectedBefore + span - distinctBefore - distinct
    }

    /// Takes a packet; returns its extended sequence number and extended timestamp, or nil for a duplicate.
    public mutating func take(_ header: RTPHeader, at time: Int64) -> (sequence: Int64, timestamp: Int64)? {
        packets += 1
        if ssrc != header.ssrc || extension_ == nil {
            if ssrc != nil {
                ssrcChanges += 1
                expectedBefore += extension_.map { Int($0.highestSequence - firstSequence) + 1 } ?? 0
                distinctBefore += distinct
                distinct = 0
                seen = [UInt64](repeating: 0, count: seen.count)
            }
            ssrc = header.ssrc
            let fresh = RTPCounterExtension(sequence: header.sequenceNumber, timestamp: header.timestamp)
            extension_ = fresh
            firstSequence = fresh.highestSequence
            previousSequence = firstSequence
            mark(firstSequence)
            distinct += 1
            return (firstSequence, fresh.highestTimestamp)
        }
        guard var counters = extension_ else { return nil }
        let highest = counters.highestSequence
        let sequence = counters.extend(sequence: header.sequenceNumber)
        let timestamp = counters.extend(timestamp: header.timestamp)
        extension_ = counters
        if sequence != previousSequence + 1 { sequenceErrors += 1 }
        previousSequence = sequence
        if sequence <= highest {
            guard sequence > highest - Int64(Self.window), sequence >= firstSequence else {
                reordered += 1
                return (sequence, timestamp)
            }
            if isMarked(sequence) {
                duplicates += 1
                return nil
            }
            reordered += 1
            if reorders.count < Self.maximumGaps { reorders.append(time) }
        } else if sequence > highest + 1, gaps.count < Self.maximumGaps {
            gaps.append(Gap(atNanoseconds: time, packets: Int(sequence - highest - 1)))
        }
        if sequence > highest {
            // The window moves on: the numbers it leaves behind are forgotten.
            var clear = highest + 1
            while clear < sequence && sequence - clear < Int64(Self.window) {
                unmark(clear)
                clear += 1
            }
            if sequence - highest >= Int64(Self.window) { seen = [UInt64](repeating: 0, count: seen.count) }
        }
        mark(sequence)
        distinct += 1
        return (sequence, timestamp)
    }

    private func slot(_ sequence: Int64) -> (Int, UInt64) {
        let index = Int(UInt64(bitPattern: sequence) % UInt64(Self.window))
        return (index / 64, 1 << UInt64(index % 64))
    }

    private mutating func mark(_ sequence: Int64) {
        let (word, bit) = slot(sequence)
        seen[word] |= bit
    }

    private mutating func unmark(_ sequence: Int64) {
        let (word, bit) = slot(sequence)
        seen[word] &= ~bit
    }

    private func isMarked(_ sequence: Int64) -> Bool {
        let (word, bit) = slot(sequence)
        return seen[word] & bit != 0
    }
}
