import Interfaces
import PCM
import Planning
import RTP
import Synchronization

/// Where a track's released audio goes, in order: the file, through the writer.
public protocol TrackOutput: AnyObject {
    /// Appends whole frames of samples (silence included) as the file holds them.
    func write(_ bytes: UnsafeRawBufferPointer)
}

/// One track's figures, written by the receive thread and read by anyone (relaxed atomics, no locks).
public final class ReceiverCounters: Sendable {
    /// Distinct RTP packets placed or found late.
    public let received = Atomic<Int>(0)
    /// Packets expected from the sequence numbers of every segment so far.
    public let expected = Atomic<Int>(0)
    /// Packets that came after their place had been written (dropped), and frames of them.
    public let late = Atomic<Int>(0)
    /// Packets that came after one with a higher sequence number.
    public let reordered = Atomic<Int>(0)
    /// Packets that came twice (the copy dropped).
    public let duplicated = Atomic<Int>(0)
    /// Datagrams for this track that were not valid RTP, or not from its source or payload type (ignored).
    public let malformed = Atomic<Int>(0)
    public let unexpected = Atomic<Int>(0)
    /// Frames written, and frames of them that are silence standing for packets never heard inside a segment.
    public let framesWritten = Atomic<Int>(0)
    public let lostFrames = Atomic<Int>(0)
    /// Frames dropped because they lay before the take's start, or overlapped audio already written.
    public let droppedFrames = Atomic<Int>(0)
    /// Interarrival jitter in microseconds.
    public let jitterMicroseconds = Atomic<Int>(0)
    /// The largest sample magnitude since it was last read (see `takePeak`).
    public let peak = Atomic<Int>(0)
    public let segments = Atomic<Int>(0)
    public let reports = Atomic<Int>(0)
    public let goodbyes = Atomic<Int>(0)

    public init() {}

    /// The largest magnitude since the last call, resetting it.
    public func takePeak() -> Int { peak.exchange(0, ordering: .relaxed) }

    /// Packets lost: expected less received (never negative).
    public var lost: Int { max(0, expected.load(ordering: .relaxed) - received.load(ordering: .relaxed)) }
}

/// Something about a track the user should hear about.
public enum ReceiverEvent: Sendable, Hashable {
    /// A new segment began: a new SSRC on the port, or the timestamps or sequence numbers jumped (a restart).
    case segmentStarted(track: String, ssrc: UInt32, index: Int, reason: SegmentReason)
    /// The segment's first sample stands at this position of the track (frames from time zero), mapped as said.
    case segmentPlaced(track: String, index: Int, position: Int64, mapping: MappingSource)
    /// The RFC 7273 mapping and the sender reports disagree by this many frames.
    case clocksDisagree(track: String, frames: Int64, using: MappingSource)
    /// The sender said goodbye (RTCP BYE).
    case goodbye(track: String)
}

/// Why a segment began.
public enum SegmentReason: Sendable, Hashable {
    case first
    case newSSRC
    case jump
}

/// How a segment's RTP timestamps were placed on the timeline.
public enum MappingSource: Sendable, Hashable {
    /// RFC 7273 `a=mediaclk:direct`.
    case mediaClock
    /// The stream's RTCP sender reports.
    case senderReports
    /// No mapping came within the window: the first packet's arrival time.
    case arrival
}

/// A track's reception: its packets checked, put in order in the jitter buffer by their RTP timestamps, mapped onto
/// the take's timeline, and released to its output with every unheard frame a counted gap of silence.
///
/// All of it runs on the receive thread; `counters` may be read from any thread.
public final class TrackReceiver {
    public let plan: RecordTrackPlan
    public let counters = ReceiverCounters()
    let output: any TrackOutput
    let capacity: Int
    /// Frames written to the output: the file's next position, from time zero.
    public private(set) var written: Int64 = 0
    /// The most frames the take may hold (its duration), if limited.
    let frameLimit: Int64?
    private var segment: Segment?
    private var segmentCount = 0
    /// The SSRC of the stream's sender, as heard; and where its RTCP comes from, for reports back.
    public private(set) var ssrc: UInt32?
    public private(set) var senderRTCP: Endpoint?
    public private(set) var senderName: String?
    /// The last sender report: its NTP middle 32 bits and when it arrived (wall clock), for LSR and DLSR.
    public private(set) var lastSenderReport: (middle: UInt32, arrival: Int64)?
    /// Every segment so far, for the statistics.
    public private(set) var summaries: [SegmentSummary] = []
    /// Whether the last segment ended with a BYE and all of it has been written.
    public private(set) var isFinished = false
    /// The wall clock of the last packet.
    public private(set) var lastArrival: Int64?
    /// What the user should hear about, collected until the receive loop hands it on.
    public var events: [ReceiverEvent] = []
    private let silence: UnsafeMutableRawBufferPointer

    /// - Parameter capacity: the jitter buffer's frames (window plus room for a report's wait).
    public init(plan: RecordTrackPlan, output: any TrackOutput, capacity: Int, frameLimit: Int64?) {
        self.plan = plan
        self.output = output
        self.capacity = capacity
        self.frameLimit = frameLimit
        silence = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096 * plan.format.bytesPerFrame, alignment: 16)
        silence.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        silence.deallocate()
    }

    /// One segment: a run of packets with one SSRC and continuous timestamps.
    final class Segment {
        let index: Int
        let ssrc: UInt32
        var counters: RTPCounterExtension
        var reception: ReceptionStatistics
        var jitter = InterarrivalJitter()
        let buffer: JitterBuffer
        /// Extended timestamp + delta = frames since the Unix epoch (UTC) at the stream's rate.
        var epochDelta: Int64?
        var mapping: MappingSource?
        let firstArrival: Int64
        /// Whether the first (NTP, RTP) pair of a sender report has been compared with the mapping.
        var reportChecked = false
        var firstReport: (ntp: Int64, rtp: Int64)?
        var lastReport: (ntp: Int64, rtp: Int64)?
        /// The packet count of the last sender report, and, once the sender has said goodbye, the total it sent.
        var reportedPackets: Int64 = 0
        var sentInAll: Int64?
        /// Packets the sender had sent before this recorder heard its first (it started listening late), from the
        /// first sender report: they are no part of the recording, so not lost either.
        var unheardBefore: Int64?
        var ended = false

        /// Packets expected: from the sequence numbers, or the sender's own total once it has said goodbye (which
        /// also counts a last packet lost, that sequence numbers cannot show), less what it sent before this
        /// recorder listened.
        var expected: Int64 { max(reception.expected, (sentInAll ?? 0) - (unheardBefore ?? 0)) }

        init(index: Int, ssrc: UInt32, sequence: UInt16, timestamp: UInt32, buffer: JitterBuffer, arrival: Int64) {
            self.index = index
            self.ssrc = ssrc
            counters = RTPCounterExtension(sequence: sequence, timestamp: timestamp)
            reception = ReceptionStatistics(firstSequence: Int64(sequence))
            self.buffer = buffer
            firstArrival = arrival
        }
    }

    // MARK: RTP

    /// Takes in one datagram that arrived on the track's RTP port at `arrival` (wall clock, Unix ns).
    public func receiveRTP(_ bytes: UnsafeRawBufferPointer, arrival: Int64, timeline: inout TakeTimeline) {
        let packet: RTPPacket
        do {
            packet = try RTPPacket(parsing: bytes)
        } catch {
            counters.malformed.add(1, ordering: .relaxed)
            return
        }
        let header = packet.header
        if plan.stream.rtcpMultiplexed, MultiplexedPacket(firstByte: bytes[0], secondByte: bytes[1]) == .rtcp {
            return
        }
        guard header.payloadType == plan.stream.payloadType, plan.expectedSSRC.map({ $0 == header.ssrc }) ?? true
        else {
            counters.unexpected.add(1, ordering: .relaxed)
            return
        }
        lastArrival = arrival
        if let existing = segment {
            let reason: SegmentReason? =
                existing.ssrc != header.ssrc
                ? .newSSRC
                : isJump(existing, sequence: header.sequenceNumber, timestamp: header.timestamp) ? .jump : nil
            if let reason {
                // A restart is believed once a second packet follows the first one in sequence (RFC 3550 A.1):
                // one stray or very late packet starts nothing.
                guard let candidate = pending, candidate.ssrc == header.ssrc,
                    header.sequenceNumber == candidate.sequence &+ 1
                else {
                    dropPending()
                    pending = Pending(
                        bytes: Array(bytes), arrival: arrival, ssrc: header.ssrc, sequence: header.sequenceNumber,
                        reason: reason)
                    return
                }
                pending = nil
                endSegment(timeline: &timeline)
                events.append(
                    .segmentStarted(track: plan.name, ssrc: header.ssrc, index: segmentCount, reason: candidate.reason))
                _ = startSegment(header: header, arrival: candidate.arrival)
                candidate.bytes.withUnsafeBytes { receiveRTP($0, arrival: candidate.arrival, timeline: &timeline) }
            } else if pending != nil {
                dropPending()
            }
        }
        let payload = UnsafeRawBufferPointer(rebasing: bytes[packet.payloadRange])
        var current = segment
        if current == nil {
            if segmentCount == 0 {
                events.append(.segmentStarted(track: plan.name, ssrc: header.ssrc, index: 0, reason: .first))
            }
            current = startSegment(header: header, arrival: arrival)
        }
        guard let segment = current else { return }
        ssrc = header.ssrc
        let highestBefore = segment.counters.highestSequence
        let sequence = segment.counters.extend(sequence: header.sequenceNumber)
        let timestamp = segment.counters.extend(timestamp: header.timestamp)
        segment.jitter.update(
            timestamp: timestamp, arrival: EpochFrames(unixNanoseconds: arrival, rate: plan.sampleRate).frames)
        counters.jitterMicroseconds.store(
            Int(segment.jitter.jitter * 1_000_000 / Double(plan.sampleRate)), ordering: .relaxed)
        if segment.epochDelta == nil, case .direct(let offset, let timescale, _) = plan.clock {
            map(
                segment,
                delta: Self.directDelta(
                    timestamp: header.timestamp, extended: timestamp, offset: offset, timescale: timescale,
                    arrival: arrival, rate: plan.sampleRate), source: .mediaClock, timeline: &timeline, now: arrival)
        }
        var result = segment.buffer.place(position: timestamp, payload: payload)
        if case .beyondWindow(let releaseTo) = result.placement {
            // The window is full: what is before this packet must go out now (or, unmapped, be placed by arrival).
            if segment.epochDelta == nil { mapByArrival(segment, timeline: &timeline, now: arrival) }
            if timeline.start == nil { timeline.decideNow() }
            release(segment, upTo: releaseTo, timeline: timeline)
            result = segment.buffer.place(position: timestamp, payload: payload)
        }
        switch result.placement {
        case .placed(let lateFrames):
            segment.reception.count(sequence: sequence)
            counters.received.add(1, ordering: .relaxed)
            if sequence < highestBefore { counters.reordered.add(1, ordering: .relaxed) }
            if lateFrames > 0 { counters.late.add(1, ordering: .relaxed) }
            if Int(result.peak) > counters.peak.load(ordering: .relaxed) {
                counters.peak.store(Int(result.peak), ordering: .relaxed)
            }
        case .duplicate: counters.duplicated.add(1, ordering: .relaxed)
        case .late:
            segment.reception.count(sequence: sequence)
            counters.received.add(1, ordering: .relaxed)
            counters.late.add(1, ordering: .relaxed)
        case .beyondWindow: counters.late.add(1, ordering: .relaxed)
        }
        updateExpected()
    }

    /// A packet that would start a new segment, held until the next one confirms it.
    struct Pending {
        var bytes: [UInt8]
        var arrival: Int64
        var ssrc: UInt32
        var sequence: UInt16
        var reason: SegmentReason
    }

    private var pending: Pending?

    /// A held packet that no second one confirmed: a stray packet, or one so late it looked like a restart.
    func dropPending() {
        guard let candidate = pending else { return }
        pending = nil
        if candidate.ssrc == segment?.ssrc {
            counters.late.add(1, ordering: .relaxed)
            counters.received.add(1, ordering: .relaxed)
        } else {
            counters.unexpected.add(1, ordering: .relaxed)
        }
    }

    /// A restart within one SSRC: sequence numbers that jump ahead by more than RFC 3550 A.1's 3000, or back by more
    /// than the window holds, or timestamps that move a second more than the sequence numbers account for.
    func isJump(_ segment: Segment, sequence: UInt16, timestamp: UInt32) -> Bool {
        let sequenceStep = Int64(
            Int16(bitPattern: sequence &- UInt16(truncatingIfNeeded: segment.counters.highestSequence)))
        let windowPackets = Int64(capacity / max(1, plan.stream.framesPerPacket))
        if sequenceStep > 3000 || sequenceStep < -max(100, windowPackets) { return true }
        let timestampStep = segment.counters.nearest(timestamp: timestamp) - segment.counters.highestTimestamp
        let expected = sequenceStep * Int64(plan.stream.framesPerPacket)
        return abs(timestampStep - expected) > Int64(plan.sampleRate) + Int64(capacity)
    }

    func startSegment(header: RTPHeader, arrival: Int64) -> Segment {
        // The window opens a latency before the first packet, so packets sent before it that arrive after it fit.
        let first = Int64(header.timestamp)
        let buffer = JitterBuffer(
            encoding: plan.stream.encoding, channelCount: plan.stream.channelCount, capacity: capacity,
            start: first - Int64(plan.latencyFrames))
        let segment = Segment(
            index: segmentCount, ssrc: header.ssrc, sequence: header.sequenceNumber, timestamp: header.timestamp,
            buffer: buffer, arrival: arrival)
        segmentCount += 1
        counters.segments.store(segmentCount, ordering: .relaxed)
        self.segment = segment
        return segment
    }

    /// The delta that places an RFC 7273 direct media clock: the RTP timestamp less the offset is the reference
    /// clock's time in samples modulo 2^32, unwrapped to the nearest value to the arrival time (the clocks agree to
    /// far better than the 2^31 samples, 12 hours at 48 kHz, that would confuse it), then taken from TAI to UTC.
    static func directDelta(
        timestamp: UInt32, extended: Int64, offset: UInt32, timescale: Timescale, arrival: Int64, rate: Int
    ) -> Int64 {
        let reference = EpochFrames(unixNanoseconds: arrival + timescale.offsetFromUTCNanoseconds, rate: rate).frames
        let media = timestamp &- offset
        let unwrapped = reference + Int64(Int32(bitPattern: media &- UInt32(truncatingIfNeeded: reference)))
        let utc = unwrapped - Int64(rate) * (timescale == .tai ? Timescale.taiMinusUTCSeconds : 0)
        return utc - extended
    }

    func map(_ segment: Segment, delta: Int64, source: MappingSource, timeline: inout TakeTimeline, now: Int64) {
        segment.epochDelta = delta
        segment.mapping = source
        let first = segment.buffer.lowestStart ?? segment.counters.highestTimestamp
        timeline.propose(EpochFrames(frames: first + delta, rate: plan.sampleRate), now: now)
    }

    func mapByArrival(_ segment: Segment, timeline: inout TakeTimeline, now: Int64) {
        let first = segment.buffer.lowestStart ?? segment.counters.highestTimestamp
        let arrival = EpochFrames(unixNanoseconds: segment.firstArrival, rate: plan.sampleRate).frames
        map(segment, delta: arrival - first, source: .arrival, timeline: &timeline, now: now)
    }

    func updateExpected() {
        let current = segment.map { Int($0.expected) } ?? 0
        counters.expected.store(expectedBefore + current, ordering: .relaxed)
    }

    /// Packets expected in the segments that have ended.
    private var expectedBefore = 0

    /// How many more packets a sender report may count than have arrived, and still be packets on the way.
    static let packetsInFlight: Int64 = 8

    // MARK: RTCP

    /// Takes in one RTCP compound that arrived for this track from `source`.
    public func receiveRTCP(_ packets: [RTCPPacket], source: Endpoint, arrival: Int64, timeline: inout TakeTimeline) {
        let saysGoodbye = packets.contains { packet in
            if case .goodbye(let goodbye) = packet { goodbye.sources.contains { $0 == ssrc } } else { false }
        }
        for packet in packets {
            switch packet {
            case .senderReport(let report) where report.ssrc == ssrc:
                senderRTCP = source
                counters.reports.add(1, ordering: .relaxed)
                lastSenderReport = (report.ntpTimestamp.middle32, arrival)
                take(report, beforeGoodbye: !saysGoodbye, timeline: &timeline, now: arrival)
            case .sourceDescription(let description):
                for chunk in description.chunks where chunk.ssrc == ssrc {
                    if let name = chunk.canonicalName { senderName = String(name.prefix(255)) }
                }
            case .goodbye(let goodbye) where goodbye.sources.contains { $0 == ssrc }:
                segment?.ended = true
                segment?.sentInAll = segment?.reportedPackets
                updateExpected()
                counters.goodbyes.add(1, ordering: .relaxed)
                events.append(.goodbye(track: plan.name))
            default: break
            }
        }
    }

    /// A sender report: the mapping when the stream has none yet (or an assumed one it contradicts), a point for
    /// the drift, and a count of what was sent before this recorder listened. `beforeGoodbye` is false for the report
    /// that comes with the sender's BYE.
    func take(_ report: RTCPSenderReport, beforeGoodbye: Bool, timeline: inout TakeTimeline, now: Int64) {
        guard let segment else { return }
        let rtp = segment.counters.nearest(timestamp: report.rtpTimestamp)
        let ntp = report.ntpTimestamp.unixNanoseconds
        segment.reportedPackets = Int64(report.packetCount)
        // Sent so far by the sender's count, against what the sequence numbers cover: a few more are on the way
        // (or were the first ones, lost); many more were sent before anyone listened here. A report can count
        // fewer than have arrived (one made while a packet was leaving) but never fewer than were sent before the
        // first one heard, so the largest estimate of the reports before the goodbye is the closest; the goodbye's
        // own report counts a lost last packet too, and is used only when no other came.
        let ahead = Int64(report.packetCount) - segment.reception.expected
        let unheard = ahead > Self.packetsInFlight ? ahead : 0
        if let known = segment.unheardBefore {
            if beforeGoodbye { segment.unheardBefore = max(known, unheard) }
        } else {
            segment.unheardBefore = unheard
        }
        if segment.firstReport == nil { segment.firstReport = (ntp, rtp) }
        segment.lastReport = (ntp, rtp)
        let delta = EpochFrames(unixNanoseconds: ntp, rate: plan.sampleRate).frames - rtp
        guard let current = segment.epochDelta else {
            map(segment, delta: delta, source: .senderReports, timeline: &timeline, now: now)
            return
        }
        guard !segment.reportChecked else { return }
        segment.reportChecked = true
        let difference = delta - current
        guard abs(difference) > 1 else { return }
        // An assumed media clock (a take file's) that the reports contradict gives way, if nothing is written yet.
        if case .direct(_, _, true) = plan.clock, segment.buffer.releasedUpTo < (segment.buffer.lowestStart ?? 0) {
            segment.epochDelta = delta
            segment.mapping = .senderReports
            events.append(.clocksDisagree(track: plan.name, frames: difference, using: .senderReports))
        } else {
            events.append(.clocksDisagree(track: plan.name, frames: difference, using: segment.mapping ?? .mediaClock))
        }
    }

    /// The stream's rate against the timeline, in parts per million, from its first and last sender reports of the
    /// current segment (nil until two of them are far enough apart to tell).
    public var driftPartsPerMillion: Double? {
        guard let segment, let first = segment.firstReport, let last = segment.lastReport,
            last.ntp - first.ntp > 500_000_000
        else { return nil }
        let media = Double(last.rtp - first.rtp) / Double(plan.sampleRate)
        let wall = Double(last.ntp - first.ntp) / 1e9
        return (media - wall) / wall * 1e6
    }

    // MARK: Release

    /// Releases what is old enough at `now` (wall clock) and decides the mapping of a segment that waited a window
    /// for one in vain.
    public func service(now: Int64, timeline: inout TakeTimeline) {
        guard let segment else { return }
        if segment.epochDelta == nil, now - segment.firstArrival >= timeline.latencyNanoseconds * 2 {
            mapByArrival(segment, timeline: &timeline, now: now)
        }
        guard let start = timeline.start, let delta = segment.epochDelta else { return }
        let horizon = EpochFrames(unixNanoseconds: now - timeline.latencyNanoseconds, rate: plan.sampleRate).frames
        _ = start
        release(segment, upTo: min(horizon - delta, segment.buffer.highestEnd ?? horizon - delta), timeline: timeline)
        if segment.ended && segment.buffer.releasedUpTo >= (segment.buffer.highestEnd ?? 0) { isFinished = true }
    }

    /// Releases everything held (at the end of the take).
    public func flush(timeline: inout TakeTimeline) {
        endSegment(timeline: &timeline)
        isFinished = true
    }

    func endSegment(timeline: inout TakeTimeline) {
        guard let segment else { return }
        if segment.epochDelta == nil { mapByArrival(segment, timeline: &timeline, now: segment.firstArrival) }
        timeline.decideNow()
        if let end = segment.buffer.highestEnd { release(segment, upTo: end, timeline: timeline) }
        expectedBefore += Int(segment.expected)
        self.segment = nil
        updateExpected()
    }

    /// Releases the segment's frames before `position` (its timestamps) to the output at their places on the
    /// timeline: silence before the segment's first sound (a later start, a pause), silence counted as lost for frames
    /// never heard inside it, nothing before time zero or over what is written already.
    func release(_ segment: Segment, upTo position: Int64, timeline: TakeTimeline) {
        guard let start = timeline.start, let delta = segment.epochDelta else { return }
        let zero = start.frames(atRate: plan.sampleRate)
        if summaries.count <= segment.index, let first = segment.buffer.lowestStart {
            let place = first + delta - zero
            summaries.append(
                SegmentSummary(ssrc: segment.ssrc, position: place, mapping: segment.mapping ?? .arrival))
            events.append(
                .segmentPlaced(
                    track: plan.name, index: segment.index, position: place, mapping: segment.mapping ?? .arrival))
        }
        let lowest = segment.buffer.lowestStart ?? position
        segment.buffer.release(upTo: position) { first, count, bytes in
            // Frames never heard before the segment's first sound are not lost: the track had not begun.
            if bytes == nil && first + Int64(count) <= lowest { return }
            var place = first + delta - zero
            var frames = count
            var skip = 0
            if place < written {
                // Before time zero, or over audio already written (segments that overlap): dropped.
                skip = Int(min(Int64(frames), written - place))
                counters.droppedFrames.add(skip, ordering: .relaxed)
                place += Int64(skip)
                frames -= skip
            }
            if let frameLimit {
                frames = Int(max(0, min(Int64(frames), frameLimit - place)))
            }
            guard frames > 0 else { return }
            if place > written { writeSilence(Int(place - written)) }
            if let bytes {
                let size = plan.format.bytesPerFrame
                output.write(UnsafeRawBufferPointer(rebasing: bytes[(skip * size)..<((skip + frames) * size)]))
            } else {
                counters.lostFrames.add(frames, ordering: .relaxed)
                writeSilence(frames)
                return
            }
            written += Int64(frames)
            counters.framesWritten.store(Int(written), ordering: .relaxed)
        }
    }

    func writeSilence(_ frames: Int) {
        var left = frames
        let chunk = silence.count / plan.format.bytesPerFrame
        while left > 0 {
            let count = min(left, chunk)
            output.write(UnsafeRawBufferPointer(rebasing: silence[0..<(count * plan.format.bytesPerFrame)]))
            left -= count
        }
        written += Int64(frames)
        counters.framesWritten.store(Int(written), ordering: .relaxed)
    }

    /// Pads the track with silence to `frames` (the take's end), so every file of a take is as long.
    public func pad(to frames: Int64) {
        if frames > written { writeSilence(Int(frames - written)) }
    }

    // MARK: Reports back

    /// The report block this receiver sends about its sender now (RFC 3550 section 6.4.1), or nil before the first
    /// packet.
    public func reportBlock(now: Int64) -> RTCPReportBlock? {
        guard let ssrc, let segment else { return nil }
        let (fraction, cumulative) = segment.reception.report()
        let delay = lastSenderReport.map { UInt32(clamping: (now - $0.arrival) * 65_536 / 1_000_000_000) } ?? 0
        return RTCPReportBlock(
            ssrc: ssrc, fractionLost: fraction, cumulativeLost: cumulative,
            extendedHighestSequence: UInt32(truncatingIfNeeded: segment.reception.highestSequence),
            jitter: segment.jitter.reported, lastSenderReport: lastSenderReport?.middle ?? 0,
            delaySinceLastSenderReport: lastSenderReport == nil ? 0 : delay)
    }
}

/// Where one segment of a track stands on the timeline, for the statistics.
public struct SegmentSummary: Sendable, Hashable {
    public var ssrc: UInt32
    /// Its first sample's position in the track's file, frames from time zero.
    public var position: Int64
    public var mapping: MappingSource
}
