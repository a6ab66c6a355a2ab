import Interfaces
import RTP
import Synchronization

/// One stream's RTCP participant (RFC 3550 section 6), the same for a sender and a receiver: it builds its
/// compound packets (a sender report where it sends media, else a receiver report, with the report blocks of what
/// it hears, its CNAME, and BYE when it leaves) and takes in what other participants report about its stream.
///
/// What it says as a sender comes from `sending`, what it says as a receiver from `receiving`; a sender of this
/// project has `NotReceiving`, the recorder `NotSending`.
public final class RTCPParticipant<Sending: RTCPSending, Receiving: RTCPReceiving>: @unchecked Sendable {
    // @unchecked: the socket is thread-safe; `receivers` and `names` are behind a Mutex; `averagePacketBytes`
    // belongs to the one thread that sends; the sides are read by that thread; the rest is immutable or atomic.
    public let ssrc: UInt32
    public let canonicalName: String
    /// The stream's sample rate, in which receivers report jitter.
    public let sampleRate: Int
    public let socket: any DatagramSocket
    /// Where the reports go, when that is known at the start (a sender's receiver); a recorder names its sender's
    /// address with each send.
    public let destination: Endpoint?
    /// Whether RTCP shares the RTP port (RFC 5761).
    public let isMultiplexed: Bool
    public let sending: Sending
    public let receiving: Receiving
    /// Compound packets sent, and datagrams received that were not valid RTCP (dropped).
    public let sentPackets = Atomic<Int>(0)
    public let droppedPackets = Atomic<Int>(0)
    /// Receivers past the cap whose reports were ignored.
    public let ignoredReceivers = Atomic<Int>(0)
    /// The bytes of the most recent compound sent, smoothed (RFC 3550 A.7's avg_rtcp_size, headers included).
    public private(set) var averagePacketBytes = 100.0
    private let receivers = Mutex<[UInt32: ReceiverStatistics]>([:])
    private let names = Mutex<[UInt32: String]>([:])

    /// The most receivers one stream keeps: more than any real session has, few enough that a peer sending
    /// reports from endless SSRCs cannot grow memory, the statistics or the status lines.
    public static var maximumReceivers: Int { 64 }
    /// A receiver not heard from for this long is forgotten when room is needed (RFC 3550 section 6.3.5 times a
    /// member out after five report intervals; five of the 5 s minimum, and some to spare).
    public static var receiverTimeoutSeconds: UInt32 { 30 }

    public init(
        ssrc: UInt32, canonicalName: String, sampleRate: Int, socket: any DatagramSocket, destination: Endpoint?,
        isMultiplexed: Bool, sending: Sending, receiving: Receiving
    ) {
        self.ssrc = ssrc
        self.canonicalName = canonicalName
        self.sampleRate = sampleRate
        self.socket = socket
        self.destination = destination
        self.isMultiplexed = isMultiplexed
        self.sending = sending
        self.receiving = receiving
    }

    /// The compound for `now` (section 6.1: every compound starts with a report): SR or RR with the report blocks,
    /// SDES with the CNAME, and BYE when `goodbye`. `start` is when a sender's first frame was due.
    public func compound(at now: ClockPair, start: ClockPair, goodbye: Bool) -> [UInt8] {
        let blocks = receiving.reportBlocks(now: now.wall)
        var report: RTCPPacket
        if var senderReport = sending.senderReport(ssrc: ssrc, at: now, start: start) {
            senderReport.reports = blocks
            report = .senderReport(senderReport)
        } else {
            report = .receiverReport(RTCPReceiverReport(ssrc: ssrc, reports: blocks))
        }
        var packets: [RTCPPacket] = [
            report,
            .sourceDescription(
                RTCPSourceDescription(chunks: [
                    .init(
                        ssrc: ssrc, items: [.init(type: RTCPSourceDescription.Item.canonicalName, text: canonicalName)])
                ])),
        ]
        if goodbye { packets.append(.goodbye(RTCPGoodbye(sources: [ssrc]))) }
        return RTCPPacket.compound(packets)
    }

    /// Sends the compound for `now` to `to` (else `destination`); returns whether it left.
    @discardableResult
    public func send(at now: ClockPair, start: ClockPair, to: Endpoint? = nil, goodbye: Bool) -> Bool {
        guard let target = to ?? destination else { return false }
        let bytes = compound(at: now, start: start, goodbye: goodbye)
        averagePacketBytes += (Double(bytes.count + target.family.headerBytes) - averagePacketBytes) / 16
        let result = bytes.withUnsafeBytes { socket.send($0, to: target) }
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
        receive(packets, from: source, arrival: arrival.wall)
    }

    /// Takes in a compound that arrived from `source` at `arrival` (wall clock): the report blocks other
    /// participants give about this stream, and their CNAMEs.
    public func receive(_ packets: [RTCPPacket], from source: Endpoint, arrival: Int64) {
        let arrivalNTP = NTPTimestamp(unixNanoseconds: arrival)
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

    /// What receivers have reported about this stream so far, by SSRC.
    public var receiverStatistics: [ReceiverStatistics] {
        receivers.withLock { Array($0.values) }.sorted { $0.ssrc < $1.ssrc }
    }
}
