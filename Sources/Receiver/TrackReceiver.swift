import Interfaces
import RTP

/// A track's reception, as a chain of stages with data flowing one way: each datagram is checked (`PacketFilter`),
/// its segment found (`SegmentDetector`: restarts and new SSRCs), put in order in the segment's jitter buffer by
/// its RTP timestamp, placed on the take's timeline (`TimelineMapping`: media clock, sender reports, arrival), and
/// released to its output (`TrackWriter`) with every unheard frame a counted gap of silence.
///
/// All of it runs on the receive thread; `counters` may be read from any thread.
public final class TrackReceiver {
    /// What the track receives, as described (its channel count may give way to the wire's: `channels`).
    public let reception: TrackReception
    /// The channels the track records: the described ones, or those the wire carries where it follows them.
    private(set) var channels: Int
    public let counters: ReceiverCounters
    let capacity: Int
    private var filter: PacketFilter
    private var detector: SegmentDetector
    private(set) var writer: TrackWriter
    private(set) var segment: Segment?
    private var segmentCount = 0
    /// Packets expected in the segments that have ended.
    private var expectedBefore = 0
    /// The SSRC of the stream's sender, as heard; and where its RTCP comes from, for reports back.
    public private(set) var ssrc: UInt32?
    public internal(set) var senderRTCP: Endpoint?
    public internal(set) var senderName: String?
    /// The last sender report: its NTP middle 32 bits and when it arrived (wall clock), for LSR and DLSR.
    public internal(set) var lastSenderReport: (middle: UInt32, arrival: Int64)?
    /// Every segment so far, for the statistics.
    public private(set) var summaries: [SegmentSummary] = []
    /// Whether the last segment ended with a BYE and all of it has been written.
    public private(set) var isFinished = false
    /// The wall clock of the last packet.
    public private(set) var lastArrival: Int64?
    /// What the user should hear about, collected until the receive loop hands it on.
    public var events: [ReceiverEvent] = []
    /// The first payload type heard that is not the described one.
    public private(set) var heardPayloadType: UInt8?
    /// The format the packets carry, where it is not the described one: the track records nothing.
    public var formatMismatch: FormatMismatch? { formatCheck.mismatch }
    private var formatCheck: FormatCheck
    private var legWatch: LegWatch

    /// - Parameter capacity: the jitter buffer's frames (window plus room for a report's wait).
    public init(reception: TrackReception, output: any TrackOutput, capacity: Int, frameLimit: Int64?) {
        self.reception = reception
        counters = ReceiverCounters(legs: reception.redundant ? 2 : 0)
        legWatch = LegWatch(counters: counters.legs)
        channels = reception.channelCount
        self.capacity = capacity
        filter = PacketFilter(reception)
        formatCheck = FormatCheck(
            channelCount: reception.channelCount, bytesPerSample: reception.encoding.bytesPerSample)
        detector = SegmentDetector(
            framesPerPacket: reception.framesPerPacket, sampleRate: reception.sampleRate, capacity: capacity)
        writer = TrackWriter(
            output: output, counters: counters, bytesPerFrame: reception.format.bytesPerFrame,
            sampleRate: reception.sampleRate, frameLimit: frameLimit)
    }

    /// Frames written to the output: the file's next position, from time zero.
    public var written: Int64 { writer.written }
    /// Whether nothing waits to be written: no segment is under way (none began, or the last ended).
    public var isIdle: Bool { segment == nil }
    var rate: Int { reception.sampleRate }

    // MARK: RTP

    /// Takes in one datagram that arrived on the track's RTP port at `arrival` (wall clock, Unix ns).
    public func receiveRTP(
        _ bytes: UnsafeRawBufferPointer, arrival: Int64, leg: Int = 0, timeline: inout TakeTimeline
    ) {
        let packet: RTPPacket
        switch filter.check(bytes) {
        case .accepted(let accepted): packet = accepted
        case .malformed:
            counters.malformed.add(1, ordering: .relaxed)
            return
        case .unexpected:
            counters.unexpected.add(1, ordering: .relaxed)
            return
        case .otherPayloadType(let type):
            counters.unexpected.add(1, ordering: .relaxed)
            if heardPayloadType == nil {
                heardPayloadType = type
                events.append(
                    .payloadTypeMismatch(track: reception.name, described: reception.payloadType, heard: type))
            }
            return
        case .rtcp: return
        }
        let header = packet.header
        lastArrival = max(lastArrival ?? arrival, arrival)
        if reception.redundant, let silent = legWatch.heard(leg: leg, sequence: header.sequenceNumber, arrival: arrival)
        {
            events.append(.legBack(track: reception.name, leg: leg, silentNanoseconds: silent))
        }
        let wasMismatched = formatCheck.mismatch != nil
        switch formatCheck.check(header, payload: UnsafeRawBufferPointer(rebasing: bytes[packet.payloadRange])) {
        case .pass: break
        case .carries(let channels) where follow(channels: channels):
            // The packet is whole frames of the format the track now has: it goes on as any other.
            return receiveRTP(bytes, arrival: arrival, timeline: &timeline)
        case .refuse, .carries:
            formatCheck.refuse()
            counters.mismatched.add(1, ordering: .relaxed)
            if !wasMismatched, let mismatch = formatCheck.mismatch {
                events.append(.formatMismatch(track: reception.name, mismatch))
            }
            return
        }
        let (decision, dropped) = detector.classify(header, bytes: bytes, arrival: arrival, current: segment)
        if let dropped { countUnconfirmed(dropped) }
        switch decision {
        case .continues: break
        case .held: return
        case .restart(let candidate):
            endSegment(timeline: &timeline)
            events.append(
                .segmentStarted(
                    track: reception.name, ssrc: candidate.ssrc, index: segmentCount, reason: candidate.reason))
            candidate.bytes.withUnsafeBytes { receiveRTP($0, arrival: candidate.arrival, timeline: &timeline) }
        }
        if segment == nil && segmentCount == 0 {
            events.append(.segmentStarted(track: reception.name, ssrc: header.ssrc, index: 0, reason: .first))
        }
        let segment = self.segment ?? startSegment(header: header, arrival: arrival)
        ssrc = header.ssrc
        place(
            packet, payload: UnsafeRawBufferPointer(rebasing: bytes[packet.payloadRange]), in: segment,
            arrival: arrival, timeline: &timeline)
    }

    private func place(
        _ packet: RTPPacket, payload: UnsafeRawBufferPointer, in segment: Segment, arrival: Int64,
        timeline: inout TakeTimeline
    ) {
        let header = packet.header
        let highestBefore = segment.counters.highestSequence
        let sequence = segment.counters.extend(sequence: header.sequenceNumber)
        let timestamp = segment.counters.extend(timestamp: header.timestamp)
        segment.jitter.update(timestamp: timestamp, arrival: EpochFrames(unixNanoseconds: arrival, rate: rate).frames)
        counters.jitterMicroseconds.store(Int(segment.jitter.jitter * 1_000_000 / Double(rate)), ordering: .relaxed)
        if !segment.mapping.isMapped && segment.mediaClaim == nil, let claim = reception.clock.claim {
            let delta = MediaClock.directDelta(
                timestamp: header.timestamp, extended: timestamp, offset: claim.offset, timescale: claim.timescale,
                taiOffsetSeconds: reception.taiOffsetSeconds, near: arrival, rate: rate)
            segment.mediaClaim = PlacementRule.MediaClockClaim(delta: delta, standing: claim.standing)
            place(segment, waitedEnough: false, timeline: &timeline, now: arrival)
        }
        var result = segment.buffer.place(position: timestamp, payload: payload)
        if case .beyondWindow(let releaseTo) = result.placement {
            // The window is full: what is before this packet must go out now (or, unmapped, be placed by arrival).
            if !segment.mapping.isMapped { place(segment, waitedEnough: true, timeline: &timeline, now: arrival) }
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
            counters.squares.add(result.squares, ordering: .relaxed)
            counters.levelSamples.add(result.samples, ordering: .relaxed)
        // On two legs, the second copy of every packet is no duplicate.
        case .duplicate: if !reception.redundant { counters.duplicated.add(1, ordering: .relaxed) }
        case .late:
            segment.reception.count(sequence: sequence)
            counters.received.add(1, ordering: .relaxed)
            counters.late.add(1, ordering: .relaxed)
        case .beyondWindow: counters.late.add(1, ordering: .relaxed)
        }
        updateExpected()
    }

    /// A held packet that no second one confirmed: of this segment, a very late packet; else a stray.
    private func countUnconfirmed(_ candidate: SegmentDetector.Pending) {
        if candidate.ssrc == segment?.ssrc {
            counters.late.add(1, ordering: .relaxed)
            counters.received.add(1, ordering: .relaxed)
        } else {
            counters.unexpected.add(1, ordering: .relaxed)
        }
    }

    /// Follows the channel count the wire carries, where nothing of the track has gone out yet and its output can
    /// take it: the stages take the new frame size, and the first packet is placed again in the segment's window.
    private func follow(channels: Int) -> Bool {
        guard let mismatch = formatCheck.mismatch, writer.written == 0, segmentCount <= 1,
            counters.droppedFrames.load(ordering: .relaxed) == 0, writer.output.follow(channelCount: channels),
            let first = formatCheck.follow()
        else { return false }
        events.append(.followsWire(track: reception.name, mismatch))
        var followed = reception
        followed.channelCount = channels
        self.channels = channels
        counters.followedChannels.store(channels, ordering: .relaxed)
        filter = PacketFilter(followed)
        writer = TrackWriter(
            output: writer.output, counters: counters, bytesPerFrame: followed.format.bytesPerFrame,
            sampleRate: rate, frameLimit: writer.frameLimit)
        if let segment {
            segment.buffer = JitterBuffer(
                encoding: reception.encoding, channelCount: channels, capacity: capacity,
                start: segment.buffer.releasedUpTo)
            _ = first.payload.withUnsafeBytes {
                segment.buffer.place(position: segment.counters.nearest(timestamp: first.timestamp), payload: $0)
            }
        }
        return true
    }

    private func startSegment(header: RTPHeader, arrival: Int64) -> Segment {
        // The window opens a latency before the first packet, so packets sent before it that arrive after it fit.
        let buffer = JitterBuffer(
            encoding: reception.encoding, channelCount: channels, capacity: capacity,
            start: Int64(header.timestamp) - Int64(reception.latencyFrames))
        let segment = Segment(index: segmentCount, header: header, buffer: buffer, arrival: arrival)
        segmentCount += 1
        counters.segments.store(segmentCount, ordering: .relaxed)
        self.segment = segment
        return segment
    }

    private func map(_ segment: Segment, delta: Int64, source: MappingSource, timeline: inout TakeTimeline, now: Int64)
    {
        segment.mapping.map(delta: delta, source: source)
        timeline.propose(EpochFrames(frames: segment.firstPosition + delta, rate: rate), now: now)
    }

    /// Places an unmapped segment by the rule, if it can be placed yet (`waitedEnough`: no report is coming in time),
    /// saying what disagrees.
    func place(_ segment: Segment, waitedEnough: Bool, timeline: inout TakeTimeline, now: Int64) {
        let evidence = PlacementRule.Evidence(
            mediaClock: segment.mediaClaim, report: segment.reportDelta,
            arrival: segment.mapping.arrivalDelta(firstPosition: segment.firstPosition, rate: rate),
            windowFrames: Int64(reception.latencyFrames) + Int64(rate) * Self.plausibleDelayMilliseconds / 1000,
            waitedEnough: waitedEnough)
        let decision = PlacementRule.decide(evidence)
        guard let source = decision.source, let delta = decision.delta else { return }
        map(segment, delta: delta, source: source, timeline: &timeline, now: now)
        for said in decision.said {
            events.append(
                .sourcesDisagree(
                    track: reception.name, followed: said.followed, other: said.other, frames: said.frames,
                    sampleRate: rate))
        }
    }

    /// How late a packet may plausibly arrive beyond the latency window, over a network, in milliseconds: a
    /// placement farther than both from the arrival is not believed silently.
    static let plausibleDelayMilliseconds: Int64 = 500

    func updateExpected() {
        counters.expected.store(expectedBefore + (segment.map { Int($0.expected) } ?? 0), ordering: .relaxed)
    }

    /// The stream's rate against the timeline, in parts per million, from its first and last sender reports of the
    /// current segment (nil until two of them are far enough apart to tell).
    public var driftPartsPerMillion: Double? { segment?.mapping.driftPartsPerMillion(rate: rate) }

    // MARK: Release

    /// Releases what is old enough at `now` (wall clock) and decides the mapping of a segment that waited a window
    /// for one in vain.
    public func service(now: Int64, timeline: inout TakeTimeline) {
        if reception.redundant {
            for leg in legWatch.newlySilent() { events.append(.legSilent(track: reception.name, leg: leg)) }
        }
        guard let segment else { return }
        if !segment.mapping.isMapped, now - segment.mapping.firstArrival >= timeline.latencyNanoseconds * 2 {
            place(segment, waitedEnough: true, timeline: &timeline, now: now)
        }
        guard timeline.start != nil, let delta = segment.mapping.delta else { return }
        let horizon = EpochFrames(unixNanoseconds: now - timeline.latencyNanoseconds, rate: rate).frames - delta
        release(segment, upTo: min(horizon, segment.buffer.highestEnd ?? horizon), timeline: timeline)
        if segment.ended && segment.buffer.releasedUpTo >= (segment.buffer.highestEnd ?? 0) { isFinished = true }
    }

    /// Releases everything held (at the end of the take).
    public func flush(timeline: inout TakeTimeline) {
        endSegment(timeline: &timeline)
        isFinished = true
    }

    private func endSegment(timeline: inout TakeTimeline) {
        guard let segment else { return }
        if !segment.mapping.isMapped {
            place(segment, waitedEnough: true, timeline: &timeline, now: segment.mapping.firstArrival)
        }
        timeline.decideNow()
        if let end = segment.buffer.highestEnd { release(segment, upTo: end, timeline: timeline) }
        expectedBefore += Int(segment.expected)
        self.segment = nil
        updateExpected()
    }

    /// Releases the segment's frames before `position` (its timestamps) through the writer, saying once where the
    /// segment's first sample stands.
    private func release(_ segment: Segment, upTo position: Int64, timeline: TakeTimeline) {
        // Audio of another format than described would be scrambled: none of it is written.
        guard formatMismatch == nil, let start = timeline.start, let delta = segment.mapping.delta else { return }
        let zero = start.frames(atRate: rate)
        if summaries.count <= segment.index, let first = segment.buffer.lowestStart {
            let place = first + delta - zero
            let source = segment.mapping.source ?? .arrival
            summaries.append(SegmentSummary(ssrc: segment.ssrc, position: place, mapping: source))
            events.append(.segmentPlaced(track: reception.name, index: segment.index, position: place, mapping: source))
        }
        writer.release(segment, upTo: position, delta: delta, zero: zero)
    }
}
