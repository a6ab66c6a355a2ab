import RTP
import Synchronization

/// One leg's figures, written by the receive thread and read by anyone.
public final class LegCounters: Sendable {
    /// Packets that arrived on the leg.
    public let received = Atomic<Int>(0)
    /// Packets the leg's sequence numbers say it should have carried, from its first to its highest.
    public let expected = Atomic<Int>(0)

    public init() {}

    /// Packets the leg lost, as its own sequence numbers tell (never below 0: duplicates on the leg).
    public var lost: Int { max(0, expected.load(ordering: .relaxed) - received.load(ordering: .relaxed)) }
}

/// The two legs of an SMPTE ST 2022-7 stream as heard. The merge itself is the jitter buffer's: a copy of a packet
/// already placed is dropped, and a packet lost on one leg takes its place from the other within the window. This
/// stage counts each leg against its own sequence numbers, and says once when a leg goes silent while the other is
/// heard, and once when it returns.
struct LegWatch {
    /// How long a leg may go unheard while the other is heard before it is said to be silent.
    static let silenceNanoseconds: Int64 = 100_000_000

    private struct Leg {
        var sequence: RTPCounterExtension?
        var first: Int64 = 0
        var lastArrival: Int64?
        var silentSince: Int64?
    }

    let counters: [LegCounters]
    private var legs: [Leg]
    /// When the first packet of any leg arrived.
    private var started: Int64?

    init(counters: [LegCounters]) {
        self.counters = counters
        legs = Array(repeating: Leg(), count: counters.count)
    }

    /// A packet of the stream arrived on `leg`: counted; returns how long the leg had been silent, where it is back.
    mutating func heard(leg index: Int, sequence: UInt16, arrival: Int64) -> Int64? {
        guard legs.indices.contains(index) else { return nil }
        let extended: Int64
        if var counter = legs[index].sequence {
            extended = counter.extend(sequence: sequence)
            legs[index].sequence = counter
        } else {
            legs[index].sequence = RTPCounterExtension(sequence: sequence, timestamp: 0)
            legs[index].first = Int64(sequence)
            extended = Int64(sequence)
        }
        started = started ?? arrival
        counters[index].received.add(1, ordering: .relaxed)
        let highest = legs[index].sequence?.highestSequence ?? extended
        counters[index].expected.store(Int(highest - legs[index].first + 1), ordering: .relaxed)
        legs[index].lastArrival = max(legs[index].lastArrival ?? arrival, arrival)
        guard let since = legs[index].silentSince else { return nil }
        legs[index].silentSince = nil
        return arrival - since
    }

    /// The legs that went silent while another went on being heard, each once: a leg is silent when the other's
    /// packets have kept coming for `silenceNanoseconds` after its last (so the end of a stream, one leg a little
    /// behind the other, is no silence).
    mutating func newlySilent() -> [Int] {
        guard legs.count > 1 else { return [] }
        var silent: [Int] = []
        for index in legs.indices where legs[index].silentSince == nil {
            // The latest arrival on any other leg, without allocating (this runs on every pass of the receive loop).
            var others: Int64?
            for other in legs.indices where other != index {
                if let arrival = legs[other].lastArrival { others = max(others ?? arrival, arrival) }
            }
            // A leg never heard is silent from when the stream was first heard.
            guard let others, let last = legs[index].lastArrival ?? started, others - last >= Self.silenceNanoseconds
            else { continue }
            legs[index].silentSince = last
            silent.append(index)
        }
        return silent
    }
}
