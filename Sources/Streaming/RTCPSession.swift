import Platform
import RTP
import Synchronization

/// One track's RTCP participant (RFC 3550 section 6): it builds sender reports from the track's anchor and
/// counters, and takes in what receivers report back.
///
/// The sender report's RTP timestamp is the media time of the very instant its NTP timestamp names, extrapolated
/// from the anchor (first frame's deadline <-> first RTP timestamp) on the monotonic clock, so it agrees with the
/// packets by construction instead of being recomputed from the last packet sent.
public final class RTCPSession: @unchecked Sendable {
    // @unchecked: the socket is thread-safe; `receivers` and `names` are behind a Mutex; `averagePacketBytes`
    // belongs to the reporter's thread, which alone sends; the rest is immutable or atomic.
    public let track: Track
    public let socket: UDPSocket
    public let destination: SocketAddress
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
    public init(track: Track, socket: UDPSocket, destination: SocketAddress, canonicalName: String, isMultiplexed: Bool)
    {
        self.isMultiplexed = isMultiplexed
        self.track = track
        self.socket = socket
        self.destination = destination
        self.canonicalName = canonicalName
    }

    var ssrc: UInt32 { track.packetizer.ssrc }
    var sampleRate: Int { track.source.format.sampleRate }

    /// The sender report for the instant `now`, for a stream whose first frame was due at `start`.
    public func senderReport(at now: ClockPair, start: ClockPair) -> RTCPSenderReport {
        let counts = track.counters.snapshot
        let elapsed = max(0, now.monotonic - start.monotonic)
        let frames = Self.frames(nanoseconds: elapsed, sampleRate: sampleRate)
        return RTCPSenderReport(
            ssrc: ssrc, ntpTimestamp: NTPTimestamp(unixNanoseconds: now.wall),
            rtpTimestamp: track.packetizer.timestamp(atFrame: frames),
            packetCount: UInt32(truncatingIfNeeded: counts.packets),
            octetCount: UInt32(truncatingIfNeeded: counts.payloadOctets))
    }

    /// Whole frames in `nanoseconds` at `sampleRate`, rounded down, without overflow.
    static func frames(nanoseconds: Int64, sampleRate: Int) -> Int {
        let seconds = Int(nanoseconds / 1_000_000_000)
        let rest = Int(nanoseconds % 1_000_000_000)
        return seconds * sampleRate + rest * sampleRate / 1_000_000_000
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
        averagePacketBytes = averagePacketBytes + (Double(bytes.count + 28) - averagePacketBytes) / 16
        let result = bytes.withUnsafeBytes { socket.send($0, to: destination) }
        if result == .sent { sentPackets.add(1, ordering: .relaxed) }
        return result == .sent
    }

    /// Takes in one datagram that arrived on the RTCP socket. RTP packets (rtcp-mux) are ignored; anything that is
    /// neither valid RTCP nor RTP is counted as dropped.
    public func receive(_ datagram: [UInt8], from source: SocketAddress, arrival: ClockPair) {
        // With rtcp-mux, RTP shares the socket; RFC 5761 section 4 tells them apart by the second byte,
        // 192-223 being RTCP packet types.
        if isMultiplexed, datagram.count >= 2, datagram[0] >> 6 == 2, !(192...223).contains(datagram[1]) { return }
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
                    names.withLock { $0[chunk.ssrc] = name }
                    receivers.withLock { $0[chunk.ssrc]?.canonicalName = name }
                }
            case .goodbye, .other:
                break
            }
        }
    }

    private func record(reporter: UInt32, blocks: [RTCPReportBlock], arrival: NTPTimestamp, source: SocketAddress) {
        for block in blocks where block.ssrc == ssrc {
            let name = names.withLock { $0[reporter] }
            receivers.withLock { table in
                var statistics = ReceiverStatistics(
                    reporter: reporter, block: block, arrival: arrival, sampleRate: sampleRate,
                    address: source.description, previous: table[reporter])
                statistics.canonicalName = statistics.canonicalName ?? name
                table[reporter] = statistics
            }
        }
    }

    /// What receivers have reported so far, by SSRC.
    public var receiverStatistics: [ReceiverStatistics] {
        receivers.withLock { Array($0.values) }.sorted { $0.ssrc < $1.ssrc }
    }

    /// The stream's figures and its receivers' as a JSON object; `start` is when its first frame was due.
    public func statisticsJSON(start: ClockPair) -> String {
        let counts = track.counters.snapshot
        let receivers = receiverStatistics.map { receiver in
            JSON.object([
                ("ssrc", String(receiver.ssrc)),
                ("cname", receiver.canonicalName.map(JSON.string) ?? "null"),
                ("address", JSON.string(receiver.address)),
                ("reports", String(receiver.reports)),
                ("fraction_lost", Decimal3(receiver.fractionLost).description),
                ("cumulative_lost", String(receiver.cumulativeLost)),
                ("jitter_ms", Decimal3(receiver.jitterMilliseconds).description),
                ("rtt_ms", receiver.roundTripMilliseconds.map { Decimal3($0).description } ?? "null"),
            ])
        }
        return JSON.object([
            ("track", JSON.string(track.name)),
            ("ssrc", String(ssrc)),
            ("cname", JSON.string(canonicalName)),
            ("start_unix_ns", String(start.wall)),
            ("first_rtp_timestamp", String(track.packetizer.initialTimestamp)),
            ("sample_rate", String(sampleRate)),
            ("packets_sent", String(counts.packets)),
            ("octets_sent", String(counts.payloadOctets)),
            ("late_packets", String(counts.latePackets)),
            ("worst_lateness_ms", Decimal3(Double(counts.worstLatenessNanoseconds) / 1e6).description),
            ("refused_sends", String(counts.refusedSends)),
            ("failed_sends", String(counts.failedSends)),
            ("rtcp_sent", String(sentPackets.load(ordering: .relaxed))),
            ("rtcp_dropped", String(droppedPackets.load(ordering: .relaxed))),
            ("receivers", "[" + receivers.joined(separator: ", ") + "]"),
        ])
    }
}
