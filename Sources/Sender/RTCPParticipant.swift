import Interfaces
import JSON
import Numbers
import RTP
import Synchronization

/// One stream's RTCP participant (RFC 3550 section 6): it builds sender reports from the stream's identity and
/// counters, and takes in what receivers report back.
///
/// It knows of its stream only what it needs: the fixed identity (SSRC, media clock) and the live counters. The
/// sender report's RTP timestamp is the media time of the very instant its NTP timestamp names, extrapolated from
/// the anchor (first frame's deadline <-> first RTP timestamp) on the monotonic clock, so it agrees with the
/// packets by construction instead of being recomputed from the last packet sent.
public final class RTCPParticipant: @unchecked Sendable {
    // @unchecked: the socket is thread-safe; `receivers` and `names` are behind a Mutex; `averagePacketBytes`
    // belongs to the reporter's thread, which alone sends; the rest is immutable or atomic.
    /// The stream's name, for the statistics.
    public let name: String
    public let identity: StreamIdentity
    public let counters: TrackCounters
    public let socket: any DatagramSocket
    public let destination: Endpoint
    public let canonicalName: String
    /// Whether RTCP shares the RTP port (RFC 5761).
    public let isMultiplexed: Bool
    /// Compound packets sent, and datagrams received that were not valid RTCP (dropped).
    public let sentPackets = Atomic<Int>(0)
    public let droppedPackets = Atomic<Int>(0)
    /// The bytes of the most recent compound sent, smoothed (RFC 3550 A.7's avg_rtcp_size, headers included).
    private(set) var averagePacketBytes = 100.0
    private let receivers = Mutex<[UInt32: ReceiverStatistics]>([:])
    private let names = Mutex<[UInt32: String]>([:])

    /// - Parameters:
    ///   - socket: where RTCP goes out and replies come in (the RTP socket itself with rtcp-mux).
    ///   - destination: the receiver's RTCP address.
    public init(
        name: String, identity: StreamIdentity, counters: TrackCounters, socket: any DatagramSocket,
        destination: Endpoint, canonicalName: String, isMultiplexed: Bool
    ) {
        self.name = name
        self.identity = identity
        self.counters = counters
        self.socket = socket
        self.destination = destination
        self.canonicalName = canonicalName
        self.isMultiplexed = isMultiplexed
    }

    /// The participant of a track.
    public convenience init(
        track: Track, socket: any DatagramSocket, destination: Endpoint, canonicalName: String, isMultiplexed: Bool
    ) {
        self.init(
            name: track.name, identity: track.identity, counters: track.counters, socket: socket,
            destination: destination, canonicalName: canonicalName, isMultiplexed: isMultiplexed)
    }

    var ssrc: UInt32 { identity.ssrc }
    var sampleRate: Int { identity.sampleRate }

    /// The sender report for the instant `now`, for a stream whose first frame was due at `start`.
    public func senderReport(at now: ClockPair, start: ClockPair) -> RTCPSenderReport {
        let counts = counters.snapshot
        let elapsed = max(0, now.monotonic - start.monotonic)
        let frames = MediaTime.frames(nanoseconds: elapsed, sampleRate: sampleRate)
        return RTCPSenderReport(
            ssrc: ssrc, ntpTimestamp: NTPTimestamp(unixNanoseconds: now.wall),
            rtpTimestamp: identity.timestamp(atFrame: frames),
            packetCount: UInt32(truncatingIfNeeded: counts.packets),
            octetCount: UInt32(truncatingIfNeeded: counts.payloadOctets))
    }

    /// SR + SDES (CNAME), and BYE when `goodbye`: every compound starts with a report (section 6.1).
    public func compound(at now: ClockPair, start: ClockPair, goodbye: Bool) -> [UInt8] {
        var packets: [RTCPPacket] = [
            .senderReport(senderReport(at: now, start: start)),
            .sourceDescription(
                RTCPSourceDescription(chunks: [
                    .init(
                        ssrc: ssrc, items: [.init(type: RTCPSourceDescription.Item.canonicalName, text: canonicalName)])
                ])),
        ]
        if goodbye { packets.append(.goodbye(RTCPGoodbye(sources: [ssrc]))) }
        return RTCPPacket.compound(packets)
    }

    /// Sends the compound for `now`; returns whether it left.
    @discardableResult
    public func send(at now: ClockPair, start: ClockPair, goodbye: Bool) -> Bool {
        let bytes = compound(at: now, start: start, goodbye: goodbye)
        averagePacketBytes =
            averagePacketBytes + (Double(bytes.count + destination.family.headerBytes) - averagePacketBytes) / 16
        let result = bytes.withUnsafeBytes { socket.send($0, to: destination) }
        if result == .sent { sentPackets.add(1, ordering: .relaxed) }
        return result == .sent
    }

    /// Takes in one datagram that arrived on the RTCP socket. RTP packets (rtcp-mux) are ignored; anything that is
    /// neither valid RTCP nor RTP is counted as dropped.
    public func receive(_ datagram: [UInt8], from source: Endpoint, arrival: ClockPair) {
        // With rtcp-mux, RTP shares the socket (RFC 5761 section 4).
        if isMultiplexed, MultiplexedPacket(datagram) == .rtp { return }
        let packets: [RTCPPacket]
        do {
            packets = try RTCPPacket.parseCompound(datagram)
        } catch {
            droppedPackets.add(1, ordering: .relaxed)
            return
        }
        let arrivalNTP = NTPTimestamp(unixNanoseconds: arrival.wall)
        for packet in packets {
            switch packet {
            case .receiverReport(let report):
                record(reporter: report.ssrc, blocks: report.reports, arrival: arrivalNTP, source: source)
            case .senderReport(let report):
                record(reporter: report.ssrc, blocks: report.reports, arrival: arrivalNTP, source: source)
            case .sourceDescription(let description):
                for chunk in description.chunks {
                    guard let name = chunk.canonicalName else { continue }
                    // Names wait for their reporter's first report in a table as bounded as the receivers'.
                    names.withLock { table in
                        if table[chunk.ssrc] != nil || table.count < Self.maximumReceivers { table[chunk.ssrc] = name }
                    }
                    receivers.withLock { $0[chunk.ssrc]?.canonicalName = name }
                }
            case .goodbye, .other:
                break
            }
        }
    }

    /// The most receivers one stream keeps: more than any real session has, few enough that a peer sending
    /// reports from endless SSRCs cannot grow memory, the statistics or the status lines.
    public static let maximumReceivers = 64
    /// A receiver not heard from for this long is forgotten when room is needed (RFC 3550 section 6.3.5 times a
    /// member out after five report intervals; five of the 5 s minimum, and some to spare).
    public static let receiverTimeoutSeconds: UInt32 = 30

    /// Receivers past the cap whose reports were ignored.
    public let ignoredReceivers = Atomic<Int>(0)

    private func record(reporter: UInt32, blocks: [RTCPReportBlock], arrival: NTPTimestamp, source: Endpoint) {
        for block in blocks where block.ssrc == ssrc {
            let name = names.withLock { $0[reporter] }
            let kept = receivers.withLock { table -> Bool in
                if table[reporter] == nil && table.count >= Self.maximumReceivers {
                    // Full: the silent ones make room; with none silent, the newcomer is not kept.
                    let timeout = Self.receiverTimeoutSeconds << 16
                    for (key, value) in table where arrival.middle32 &- value.lastReport > timeout {
                        table[key] = nil
                    }
                    guard table.count < Self.maximumReceivers else { return false }
                }
                var statistics = ReceiverStatistics(
                    reporter: reporter, block: block, arrival: arrival, sampleRate: sampleRate,
                    address: source.description, previous: table[reporter])
                statistics.canonicalName = statistics.canonicalName ?? name
                table[reporter] = statistics
                return true
            }
            if !kept { ignoredReceivers.add(1, ordering: .relaxed) }
        }
    }

    /// What receivers have reported so far, by SSRC.
    public var receiverStatistics: [ReceiverStatistics] {
        receivers.withLock { Array($0.values) }.sorted { $0.ssrc < $1.ssrc }
    }

    /// The stream's figures and its receivers' as a JSON object; `start` is when its first frame was due.
    public func statistics(start: ClockPair) -> JSONValue {
        let counts = counters.snapshot
        let receivers = receiverStatistics.map { receiver -> JSONValue in
            .object([
                ("ssrc", .integer(receiver.ssrc)),
                ("cname", receiver.canonicalName.map(JSONValue.string) ?? .null),
                ("address", .string(receiver.address)),
                ("reports", .integer(receiver.reports)),
                ("fraction_lost", .number(DecimalText.fixed(receiver.fractionLost, digits: 3))),
                ("cumulative_lost", .integer(receiver.cumulativeLost)),
                ("jitter_ms", .number(DecimalText.fixed(receiver.jitterMilliseconds, digits: 3))),
                ("rtt_ms", receiver.roundTripMilliseconds.map { .number(DecimalText.fixed($0, digits: 3)) } ?? .null),
            ])
        }
        return .object([
            ("track", .string(name)),
            ("ssrc", .integer(ssrc)),
            ("cname", .string(canonicalName)),
            ("start_unix_ns", .integer(start.wall)),
            ("first_rtp_timestamp", .integer(identity.initialTimestamp)),
            ("sample_rate", .integer(sampleRate)),
            ("packets_sent", .integer(counts.packets)),
            ("octets_sent", .integer(counts.payloadOctets)),
            ("late_packets", .integer(counts.latePackets)),
            ("worst_lateness_ms", .number(DecimalText.fixed(Double(counts.worstLatenessNanoseconds) / 1e6, digits: 3))),
            ("refused_sends", .integer(counts.refusedSends)),
            ("failed_sends", .integer(counts.failedSends)),
            ("skipped_packets", .integer(counts.skippedPackets)),
            ("ignored_receivers", .integer(ignoredReceivers.load(ordering: .relaxed))),
            ("rtcp_sent", .integer(sentPackets.load(ordering: .relaxed))),
            ("rtcp_dropped", .integer(droppedPackets.load(ordering: .relaxed))),
            ("receivers", .array(receivers)),
        ])
    }

    /// `statistics(start:)` as JSON text.
    public func statisticsJSON(start: ClockPair) -> String { statistics(start: start).rendered }
}
