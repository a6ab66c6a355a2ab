import Interfaces

/// IP fragments put back together (RFC 791 section 3.2, RFC 8200 section 4.5), bounded: at most `capacity`
/// datagrams at once (the oldest given up for a new one), each at most 65 535 bytes, and one given up when its
/// pieces do not all come within `timeout` nanoseconds of capture time. Overlapping pieces keep the bytes that came
/// first.
struct FragmentReassembly {
    struct Key: Hashable {
        var source: IPAddress
        var destination: IPAddress
        var payloadProtocol: UInt8
        var identification: UInt32
    }

    struct Pending {
        var bytes: [UInt8] = []
        /// Which bytes have come, as half-open ranges sorted by start.
        var covered: [Range<Int>] = []
        /// The datagram's length, known once its last piece (no more fragments) came.
        var total: Int?
        var firstTime: Int64
    }

    var capacity = 64
    var timeout: Int64 = 30_000_000_000
    static let largest = 65_535
    private var pending: [Key: Pending] = [:]
    /// Datagrams given up (too old, or evicted for room).
    private(set) var abandoned = 0
    var pendingCount: Int { pending.count }

    /// Takes a fragment; returns the whole payload (from the transport header on) when this piece completes it.
    mutating func add(_ packet: IPPacket, _ fragment: IPPacket.Fragment, time: Int64) -> [UInt8]? {
        let key = Key(
            source: packet.source, destination: packet.destination, payloadProtocol: packet.payloadProtocol,
            identification: fragment.identification)
        let end = fragment.offset + packet.payload.count
        guard end <= Self.largest else {
            if pending.removeValue(forKey: key) != nil { abandoned += 1 }
            return nil
        }
        expire(before: time < Int64.min + timeout ? Int64.min : time - timeout)
        if pending[key] == nil && pending.count >= capacity,
            let oldest = pending.min(by: { $0.value.firstTime < $1.value.firstTime })?.key
        {
            pending.removeValue(forKey: oldest)
            abandoned += 1
        }
        var entry = pending[key] ?? Pending(firstTime: time)
        if !fragment.more { entry.total = end }
        if entry.bytes.count < end { entry.bytes += [UInt8](repeating: 0, count: end - entry.bytes.count) }
        // The piece's bytes where nothing came yet.
        var at = fragment.offset
        for range in entry.covered + [end..<end] where at < end {
            if range.lowerBound > at {
                let stop = min(range.lowerBound, end)
                for index in at..<stop { entry.bytes[index] = packet.payload[index - fragment.offset] }
            }
            at = max(at, range.upperBound)
        }
        entry.covered = Self.merged(entry.covered + [fragment.offset..<end])
        if let total = entry.total, entry.covered.count == 1, entry.covered[0] == 0..<total {
            pending.removeValue(forKey: key)
            return Array(entry.bytes[0..<total])
        }
        pending[key] = entry
        return nil
    }

    private mutating func expire(before limit: Int64) {
        let old = pending.filter { $0.value.firstTime < limit }.map(\.key)
        for key in old { pending.removeValue(forKey: key) }
        abandoned += old.count
    }

    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
