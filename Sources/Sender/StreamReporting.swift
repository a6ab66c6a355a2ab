import Interfaces
import JSON
import Numbers
import RTCP
import RTP

/// What a sending track's RTCP participant says as a sender: its stream's identity and live counters.
///
/// The sender report's RTP timestamp is the media time of the very instant its NTP timestamp names, extrapolated
/// from the anchor (first frame's deadline <-> first RTP timestamp) on the monotonic clock, so it agrees with the
/// packets by construction instead of being recomputed from the last packet sent.
public struct StreamReportSource: RTCPSending, Sendable {
    /// The stream's name, for the statistics.
    public let name: String
    public let identity: StreamIdentity
    public let counters: TrackCounters

    public init(name: String, identity: StreamIdentity, counters: TrackCounters) {
        self.name = name
        self.identity = identity
        self.counters = counters
    }

    public func senderReport(ssrc: UInt32, at now: ClockPair, start: ClockPair) -> RTCPSenderReport? {
        report(ssrc: ssrc, at: now, start: start)
    }

    /// The sender report of `ssrc` for the instant `now`, for a stream whose first frame was due at `start`.
    public func report(ssrc: UInt32, at now: ClockPair, start: ClockPair) -> RTCPSenderReport {
        let counts = counters.snapshot
        let elapsed = max(0, now.monotonic - start.monotonic)
        let frames = MediaTime.frames(nanoseconds: elapsed, sampleRate: identity.sampleRate)
        // The pair names one instant exactly: the sample `frames` begins at, a fraction of a frame before now, so
        // a receiver placing the stream by it lands on the sample, not a frame either side.
        let sinceSample = elapsed - MediaTime.nanoseconds(frames: frames, sampleRate: identity.sampleRate)
        return RTCPSenderReport(
            ssrc: ssrc, ntpTimestamp: NTPTimestamp(unixNanoseconds: now.wall - sinceSample),
            rtpTimestamp: identity.timestamp(atFrame: frames),
            packetCount: UInt32(truncatingIfNeeded: counts.packets),
            octetCount: UInt32(truncatingIfNeeded: counts.payloadOctets))
    }
}

/// A sending track's RTCP participant.
public typealias StreamParticipant = RTCPParticipant<StreamReportSource, NotReceiving>

extension RTCPParticipant where Sending == StreamReportSource, Receiving == NotReceiving {
    /// The participant of a track, reporting to `destination`.
    public convenience init(
        track: Track, socket: any DatagramSocket, destination: Endpoint, canonicalName: String, isMultiplexed: Bool
    ) {
        self.init(
            ssrc: track.identity.ssrc, canonicalName: canonicalName, sampleRate: track.identity.sampleRate,
            socket: socket, destination: destination, isMultiplexed: isMultiplexed,
            sending: StreamReportSource(name: track.name, identity: track.identity, counters: track.counters),
            receiving: NotReceiving())
    }

    public var name: String { sending.name }
    public var identity: StreamIdentity { sending.identity }
    public var counters: TrackCounters { sending.counters }

    /// The sender report for the instant `now`, for a stream whose first frame was due at `start`.
    public func senderReport(at now: ClockPair, start: ClockPair) -> RTCPSenderReport {
        sending.report(ssrc: ssrc, at: now, start: start)
    }

    /// What the receivers that reported to this participant said, as a JSON array.
    var receiversJSON: JSONValue {
        .array(
            receiverStatistics.map { receiver -> JSONValue in
                .object([
                    ("ssrc", .integer(receiver.ssrc)),
                    ("cname", receiver.canonicalName.map(JSONValue.string) ?? .null),
                    ("address", .string(receiver.address)),
                    ("reports", .integer(receiver.reports)),
                    ("fraction_lost", .number(DecimalText.fixed(receiver.fractionLost, digits: 3))),
                    ("cumulative_lost", .integer(receiver.cumulativeLost)),
                    ("jitter_ms", .number(DecimalText.fixed(receiver.jitterMilliseconds, digits: 3))),
                    (
                        "rtt_ms",
                        receiver.roundTripMilliseconds.map { .number(DecimalText.fixed($0, digits: 3)) } ?? .null
                    ),
                ])
            })
    }

    /// The stream's figures and its receivers' as a JSON object; `start` is when its first frame was due. An
    /// ST 2022-7 stream's `secondLeg` (the participant reporting on the second network) adds its own RTCP counts
    /// and the receivers that reported there.
    public func statistics(start: ClockPair, secondLeg: StreamParticipant? = nil) -> JSONValue {
        let counts = counters.snapshot
        var fields: [(String, JSONValue)] = [
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
            ("receivers", receiversJSON),
        ]
        if let secondLeg {
            fields.append(
                (
                    "second_leg",
                    .object([
                        ("rtcp_sent", .integer(secondLeg.sentPackets.load(ordering: .relaxed))),
                        ("rtcp_dropped", .integer(secondLeg.droppedPackets.load(ordering: .relaxed))),
                        ("ignored_receivers", .integer(secondLeg.ignoredReceivers.load(ordering: .relaxed))),
                        ("receivers", secondLeg.receiversJSON),
                    ])
                ))
        }
        return .object(fields)
    }

    /// `statistics(start:)` as JSON text.
    public func statisticsJSON(start: ClockPair) -> String { statistics(start: start).rendered }
}
