import RTP

/// The second stage of a track's reception: whether a packet continues the current segment or starts a new one (a
/// new SSRC on the port, or a restart of the same one whose sequence numbers or timestamps jumped). A new segment
/// is believed once a second packet follows the first in sequence (RFC 3550 A.1): one stray or very late packet
/// starts nothing.
struct SegmentDetector {
    let framesPerPacket: Int
    let sampleRate: Int
    /// The jitter buffer's frames: how far back a packet may be and still belong to the segment.
    let capacity: Int
    /// A packet that would start a new segment, held until the next one confirms it.
    private(set) var pending: Pending?

    struct Pending {
        var bytes: [UInt8]
        var arrival: Int64
        var ssrc: UInt32
        var sequence: UInt16
        var reason: SegmentReason
    }

    /// What a packet means for the segments.
    enum Decision {
        /// It belongs to the current segment (or starts the first).
        case continues
        /// It may start a new segment: held until the next packet says.
        case held
        /// It confirms the held packet: the current segment ends, a new one starts with the held packet.
        case restart(Pending)
    }

    init(framesPerPacket: Int, sampleRate: Int, capacity: Int) {
        self.framesPerPacket = framesPerPacket
        self.sampleRate = sampleRate
        self.capacity = capacity
    }

    /// Classifies a packet against the current segment; `dropped` is a held packet that this one did not confirm
    /// (a stray, or one so late it looked like a restart), for the caller to count.
    mutating func classify(
        _ header: RTPHeader, bytes: UnsafeRawBufferPointer, arrival: Int64, current: Segment?
    ) -> (decision: Decision, dropped: Pending?) {
        guard let current else { return (.continues, nil) }
        let reason: SegmentReason? =
            current.ssrc != header.ssrc
            ? .newSSRC : isJump(current, sequence: header.sequenceNumber, timestamp: header.timestamp) ? .jump : nil
        guard let reason else {
            let dropped = pending
            pending = nil
            return (.continues, dropped)
        }
        if let candidate = pending, candidate.ssrc == header.ssrc, header.sequenceNumber == candidate.sequence &+ 1 {
            pending = nil
            return (.restart(candidate), nil)
        }
        let dropped = pending
        pending = Pending(
            bytes: Array(bytes), arrival: arrival, ssrc: header.ssrc, sequence: header.sequenceNumber, reason: reason)
        return (.held, dropped)
    }

    /// A restart within one SSRC: sequence numbers that jump ahead by more than RFC 3550 A.1's 3000, or back by more
    /// than the window holds, or timestamps that move a second more than the sequence numbers account for.
    func isJump(_ segment: Segment, sequence: UInt16, timestamp: UInt32) -> Bool {
        let sequenceStep = Int64(
            Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: segment.counters.highestSequence)))
        let windowPackets = Int64(capacity / max(1, framesPerPacket))
        if sequenceStep > 3000 || sequenceStep < -max(100, windowPackets) { return true }
        let timestampStep = segment.counters.nearest(timestamp: timestamp) - segment.counters.highestTimestamp
        let expected = sequenceStep * Int64(framesPerPacket)
        return abs(timestampStep - expected) > Int64(sampleRate) + Int64(capacity)
    }
}
