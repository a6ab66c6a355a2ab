import PCM
import Planning
import RTP

/// Everything measured of one RTP audio stream, from its packets and their arrival times, live or from a capture:
/// sequence (loss, order, duplicates), timing (PIT, TS-DF per period, the RTP timestamp against arrival, RFC 3550
/// jitter), the payload against its description, levels per channel, RTCP. One instance per stream; `take`
/// allocates nothing for a packet of the described format.
///
/// One thread at a time uses an instance (the receive thread, or the capture's reader), so its state is declared
/// `@exclusivity(unchecked)`: the run-time exclusivity checks of a class's stored properties, several per packet,
/// were a fifth of the time of reading a capture.
public final class StreamAnalyzer {
    public let description: StreamDescription
    @exclusivity(unchecked) public private(set) var sequence = SequenceCounters()
    @exclusivity(unchecked) public private(set) var intervals: PacketIntervals
    @exclusivity(unchecked) public private(set) var delayFactor: DelayFactorMeter
    @exclusivity(unchecked) public private(set) var delay: ArrivalDelay
    @exclusivity(unchecked) public private(set) var levels: ChannelLevels
    @exclusivity(unchecked) public private(set) var control = ControlSummary()
    /// RFC 3550 interarrival jitter (section 6.4.1), kept in nanoseconds rather than whole timestamp units so that
    /// it can be compared with Wireshark's: its value now, its largest and its mean over the packets after the first.
    @exclusivity(unchecked) public private(set) var jitterNanoseconds: Double = 0
    @exclusivity(unchecked) public private(set) var jitterMaximumNanoseconds: Double = 0
    @exclusivity(unchecked) private var jitterTotal: Double = 0
    @exclusivity(unchecked) private var jitterCount = 0
    @exclusivity(unchecked) private var lastTransit: Int64?
    @exclusivity(unchecked) private var firstTimestamp: Int64 = 0
    /// Packets whose payload type or length the description does not give, and the first of each seen.
    @exclusivity(unchecked) public private(set) var wrongPayloadType = 0
    @exclusivity(unchecked) public private(set) var heardPayloadType: UInt8?
    @exclusivity(unchecked) public private(set) var wrongLength = 0
    @exclusivity(unchecked) public private(set) var heardLength: Int?
    /// Datagrams that are not RTP version 2.
    @exclusivity(unchecked) public private(set) var malformed = 0
    @exclusivity(unchecked) public private(set) var firstArrival: Int64?
    @exclusivity(unchecked) public private(set) var lastArrival: Int64?
    /// Of a stream on two networks (ST 2022-7): per leg, packets received; packets only one leg carried; and the
    /// arrival of the second copy after the first.
    @exclusivity(unchecked) public private(set) var legPackets = [0, 0]
    /// The last 4096 sequence numbers' first copies (SSRC and sequence, leg, arrival), by sequence number: room
    /// fixed at the start, so a packet allocates nothing.
    @exclusivity(unchecked) private var firstCopies: [(key: Int64, leg: Int, arrival: Int64)] = []
    @exclusivity(unchecked) public private(set) var copySkews: [Int64] = []
    public static let maximumSkews = 100_000
    @exclusivity(unchecked) public private(set) var copies = 0
    @exclusivity(unchecked) private var newestTimestamp: (extended: Int64, raw: UInt32)?

    public init(
        _ description: StreamDescription, anchor: ArrivalDelay.ClockAnchor = .relative,
        periodNanoseconds: Int64 = 1_000_000_000
    ) {
        self.description = description
        let packet = Int64(description.framesPerPacket) * 1_000_000_000 / Int64(max(1, description.sampleRate))
        intervals = PacketIntervals(packetNanoseconds: packet)
        delayFactor = DelayFactorMeter(periodNanoseconds: periodNanoseconds, sampleRate: description.sampleRate)
        delay = ArrivalDelay(anchor: anchor, sampleRate: description.sampleRate)
        levels = ChannelLevels(
            channelCount: description.channelCount, encoding: description.encoding,
            windowFrames: description.sampleRate / 10)
        if description.secondLeg != nil {
            firstCopies = Array(repeating: (-1, 0, 0), count: 4096)
            copySkews.reserveCapacity(Self.maximumSkews)
        }
    }

    /// The packet time the description gives, in nanoseconds.
    public var packetNanoseconds: Int64 {
        Int64(description.framesPerPacket) * 1_000_000_000 / Int64(max(1, description.sampleRate))
    }

    /// Takes an RTP datagram that arrived at `arrival` (Unix nanoseconds) on leg `leg` (0, or 1 for an ST 2022-7
    /// stream's second network).
    public func take(_ datagram: UnsafeRawBufferPointer, arrival: Int64, leg: Int = 0) {
        let packet: RTPPacket
        do {
            packet = try RTPPacket(parsing: datagram)
        } catch {
            malformed += 1
            return
        }
        if description.secondLeg != nil, leg < 2 {
            legPackets[leg] += 1
            // The copy on the other leg: its skew, and it goes no further (the merge keeps the first).
            let key = Int64(packet.header.ssrc) << 16 | Int64(packet.header.sequenceNumber)
            let slot = Int(packet.header.sequenceNumber) & (firstCopies.count - 1)
            let first = firstCopies[slot]
            if first.key == key, first.leg != leg {
                copies += 1
                if copySkews.count < Self.maximumSkews { copySkews.append(arrival - first.arrival) }
                firstCopies[slot].key = -1
                return
            }
            firstCopies[slot] = (key, leg, arrival)
        }
        let origin = firstArrival ?? arrival
        firstArrival = origin
        lastArrival = arrival
        intervals.arrived(at: arrival)
        let changes = sequence.ssrcChanges
        guard let (_, timestamp) = sequence.take(packet.header, at: arrival - origin) else { return }
        if sequence.ssrcChanges != changes || newestTimestamp == nil {
            // A new source: the transit times start again.
            firstTimestamp = timestamp
            lastTransit = nil
        }
        if timestamp > newestTimestamp?.extended ?? Int64.min { newestTimestamp = (timestamp, packet.header.timestamp) }
        delayFactor.take(arrival: arrival, timestamp: timestamp)
        delay.take(arrival: arrival, timestamp: packet.header.timestamp, extended: timestamp)
        let transit =
            (arrival - origin)
            &- DelayFactorMeter.nanoseconds(timestamp - firstTimestamp, sampleRate: description.sampleRate)
        if let lastTransit {
            jitterNanoseconds += (Double(abs(transit &- lastTransit)) - jitterNanoseconds) / 16
            jitterMaximumNanoseconds = max(jitterMaximumNanoseconds, jitterNanoseconds)
            jitterTotal += jitterNanoseconds
            jitterCount += 1
        }
        lastTransit = transit
        if packet.header.payloadType != description.payloadType {
            wrongPayloadType += 1
            heardPayloadType = heardPayloadType ?? packet.header.payloadType
            return
        }
        let payload = UnsafeRawBufferPointer(rebasing: datagram[packet.payloadRange])
        let expected = description.framesPerPacket * description.channelCount * description.encoding.bytesPerSample
        if payload.count != expected {
            wrongLength += 1
            heardLength = heardLength ?? payload.count
        }
        levels.take(payload: payload)
    }

    /// Takes an RTCP datagram of the stream.
    public func takeControl(_ datagram: [UInt8]) {
        control.take(datagram, newestTimestamp: newestTimestamp?.raw)
    }

    /// Closes the periods under way: after the last packet.
    public func finish() {
        delayFactor.finish()
        levels.finish()
    }

    /// Of a stream on two legs: each leg's packets missing from the span the two together cover (a leg's own
    /// duplicates aside), and the packets only one leg carried.
    public var legLost: [Int] {
        let span = sequence.lost + sequence.packets - sequence.duplicates
        return legPackets.map { max(0, span - $0) }
    }

    public var onlyOneLeg: Int { max(0, legPackets.reduce(0, +) - 2 * copies) }

    /// The mean of the jitter over the packets after the first.
    public var jitterMeanNanoseconds: Double { jitterCount > 0 ? jitterTotal / Double(jitterCount) : 0 }
}

extension StreamAnalyzer {
    /// A stream's analysis so far, while it goes on.
    public struct Progress: Sendable, Hashable {
        public var name: String
        public var packets: Int
        public var lost: Int
        /// The TS-DF of the newest measurement period closed, and the largest so far; nil before the first closes.
        public var lastDelayFactorNanoseconds: Int64?
        public var largestDelayFactorNanoseconds: Int64?
        /// The class the largest TS-DF so far gives: the verdict's timing, but for the period under way.
        public var timing: TimingClass?

        public init(
            name: String, packets: Int, lost: Int, lastDelayFactorNanoseconds: Int64?,
            largestDelayFactorNanoseconds: Int64?, timing: TimingClass?
        ) {
            self.name = name
            self.packets = packets
            self.lost = lost
            self.lastDelayFactorNanoseconds = lastDelayFactorNanoseconds
            self.largestDelayFactorNanoseconds = largestDelayFactorNanoseconds
            self.timing = timing
        }
    }

    /// The analysis so far; read by the thread that feeds the analyzer.
    public var progress: Progress {
        let largest = delayFactor.periods.lazy.map(\.delayFactorNanoseconds).max()
        return Progress(
            name: description.name, packets: sequence.packets, lost: sequence.lost,
            lastDelayFactorNanoseconds: delayFactor.periods.last?.delayFactorNanoseconds,
            largestDelayFactorNanoseconds: largest,
            timing: largest.map { TimingClass.of(delayFactorNanoseconds: $0, packetNanoseconds: packetNanoseconds) })
    }
}
