import Analysis
import Numbers
import Platform
import Receiver

extension RecordProgram {
    /// The take's report page (`record --report`): per track what the recorder did with it (how it was placed,
    /// its offset and drift, what was late, lost or written) beside its arrival analysed as `analyze` does.
    static func writeReport(
        _ recorder: Recorder, analyzers: [StreamAnalyzer], plan: RecordingPlan, to path: String,
        events: (RecordEvent) -> Void
    ) {
        let job = RecorderJob(recorder: recorder)
        job.publish()
        let progress = progress(of: recorder, state: job.snapshot(), elapsed: 0, final: true, takingPeak: false)
        let streams = zip(zip(plan.tracks, progress.tracks), analyzers).map { pair, analyzer in
            let (plan, track) = pair
            analyzer.finish()
            let rate = Double(max(1, track.sampleRate))
            var facts: [(String, String)] = [
                ("file", plan.paths.joined(separator: ", ")),
                (
                    "placed by",
                    track.segments.isEmpty
                        ? "nothing: never heard"
                        : track.segments.map { mappingName($0.mapping) }.joined(separator: ", then ")
                ),
                (
                    "written",
                    "\(track.framesWritten) frames (\(DecimalText.fixed(Double(track.framesWritten) / rate, digits: 3)) s), \(track.lostFrames) of them lost, \(track.droppedFrames) dropped"
                ),
                ("late packets", "\(track.late)"),
                ("recorder's jitter", "\(DecimalText.fixed(track.jitterMilliseconds, digits: 3)) ms"),
            ]
            if let first = track.segments.first {
                facts.append(
                    (
                        "offset",
                        "\(first.position) frames (\(DecimalText.fixed(Double(first.position) / rate * 1000, digits: 3)) ms) from time zero"
                    ))
            }
            if let drift = track.driftPartsPerMillion {
                facts.append(("drift against the timeline", "\(DecimalText.fixed(drift, digits: 3)) ppm"))
            }
            return ReportPage.Stream(
                name: track.name, analyzer: analyzer, verdict: StreamVerdict.judge(analyzer, profile: .wide),
                facts: facts)
        }
        let page = ReportPage.render(
            title: "audiostreamer record", subtitle: "The take's tracks as received and recorded.", profile: .wide,
            streams: streams)
        do {
            try FileSystem.writeAtomically(Array(page.utf8), to: path)
        } catch {
            events(.reportNotWritten(path: path, reason: "\(error)"))
        }
    }
}
