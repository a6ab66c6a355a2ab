import Interfaces
import JSON
import Numbers
import PCM
import Planning
import Platform
import RTP
import Receiver
import SDP
import Synchronization
import WAV

extension RecordProgram {
    /// Every track's figures; `takingPeak` resets each peak meter (the status line's), else it is only read.
    static func progress(
        of recorder: Recorder, state: RecorderJob.State, elapsed: Double, final: Bool, takingPeak: Bool = true
    ) -> RecordProgress {
        RecordProgress(
            elapsedSeconds: elapsed, isFinal: final,
            tracks: zip(recorder.tracks, state.tracks).map { track, shared in
                let counters = track.counters
                let followed = counters.followedChannels.load(ordering: .relaxed)
                let fullScale = Double(Int32(1) << (track.reception.encoding.bytesPerSample * 8 - 1))
                return RecordTrackProgress(
                    name: track.reception.name, sampleRate: track.reception.sampleRate,
                    channels: followed > 0 ? followed : track.reception.channelCount,
                    received: counters.received.load(ordering: .relaxed), lost: counters.lost,
                    late: counters.late.load(ordering: .relaxed),
                    reordered: counters.reordered.load(ordering: .relaxed),
                    duplicated: counters.duplicated.load(ordering: .relaxed),
                    unexpected: counters.unexpected.load(ordering: .relaxed),
                    malformed: counters.malformed.load(ordering: .relaxed),
                    mismatched: counters.mismatched.load(ordering: .relaxed),
                    legs: counters.legs.map {
                        RecordTrackProgress.Leg(received: $0.received.load(ordering: .relaxed), lost: $0.lost)
                    },
                    jitterMilliseconds: Double(counters.jitterMicroseconds.load(ordering: .relaxed)) / 1000,
                    framesWritten: counters.framesWritten.load(ordering: .relaxed),
                    lostFrames: counters.lostFrames.load(ordering: .relaxed),
                    droppedFrames: counters.droppedFrames.load(ordering: .relaxed),
                    peak: Double(takingPeak ? counters.takePeak() : counters.peak.load(ordering: .relaxed)) / fullScale,
                    meanSquare: takingPeak ? counters.takeMeanSquare() : nil,
                    segments: shared.segments,
                    driftPartsPerMillion: shared.drift, senderName: shared.senderName)
            })
    }

    /// The statistics of the take and every track, as one JSON document, written atomically.
    static func writeStatistics(
        _ recorder: Recorder, state: RecorderJob.State, to path: String, events: (RecordEvent) -> Void
    ) {
        let progress = progress(of: recorder, state: state, elapsed: 0, final: false, takingPeak: false)
        let tracks = progress.tracks.map { track -> JSONValue in
            .object([
                ("track", .string(track.name)),
                ("sender_cname", track.senderName.map(JSONValue.string) ?? .null),
                ("sample_rate", .integer(track.sampleRate)),
                ("channels", .integer(track.channels)),
                ("received", .integer(track.received)),
                ("lost", .integer(track.lost)),
                ("late", .integer(track.late)),
                ("reordered", .integer(track.reordered)),
                ("duplicated", .integer(track.duplicated)),
                ("unexpected", .integer(track.unexpected)),
                ("malformed", .integer(track.malformed)),
                ("mismatched", .integer(track.mismatched)),
                ("jitter_ms", .number(DecimalText.fixed(track.jitterMilliseconds, digits: 3))),
                ("frames_written", .integer(track.framesWritten)),
                ("lost_frames", .integer(track.lostFrames)),
                ("dropped_frames", .integer(track.droppedFrames)),
                (
                    "legs",
                    .array(
                        track.legs.map { leg in
                            .object([("received", .integer(leg.received)), ("lost", .integer(leg.lost))])
                        })
                ),
                ("offset_frames", track.segments.first.map { .integer($0.position) } ?? .null),
                ("drift_ppm", track.driftPartsPerMillion.map { .number(DecimalText.fixed($0, digits: 3)) } ?? .null),
                (
                    "segments",
                    .array(
                        track.segments.map { segment in
                            .object([
                                ("ssrc", .integer(segment.ssrc)), ("position_frames", .integer(segment.position)),
                                ("mapping", .string(mappingName(segment.mapping))),
                            ])
                        })
                ),
            ])
        }
        let document = StatisticsFile.document(
            command: "record", startUnixNanoseconds: state.start, tracks: tracks,
            extra: [
                ("kernel_drops", .integer(recorder.kernelDrops.load(ordering: .relaxed))),
                ("rtcp_malformed", .integer(recorder.malformedRTCP.load(ordering: .relaxed))),
            ])
        if let reason = StatisticsFile.write(document, to: path) {
            events(.statisticsNotWritten(path: path, reason: reason))
        }
    }

    public static func mappingName(_ mapping: MappingSource) -> String {
        switch mapping {
        case .mediaClock: "mediaclk"
        case .senderReports: "sender reports"
        case .arrival: "arrival"
        }
    }
}

/// The receive thread's recorder, and a copy of what other threads may read of it, refreshed by that thread.
final class RecorderJob: @unchecked Sendable {
    // @unchecked: `recorder` belongs to the receive thread; others read only `shared`, behind a Mutex.
    struct State: Sendable {
        var start: Int64?
        var tracks: [(segments: [SegmentSummary], drift: Double?, senderName: String?)]
    }

    let recorder: Recorder
    private let shared: Mutex<State>

    init(recorder: Recorder) {
        self.recorder = recorder
        shared = Mutex(State(start: nil, tracks: recorder.tracks.map { _ in ([], nil, nil) }))
    }

    func snapshot() -> State { shared.withLock { $0 } }

    /// Called by the receive thread between batches.
    func publish() {
        let state = State(
            start: recorder.timeline.start?.unixNanoseconds,
            tracks: recorder.tracks.map { ($0.summaries, $0.driftPartsPerMillion, $0.senderName) })
        shared.withLock { $0 = state }
    }
}
