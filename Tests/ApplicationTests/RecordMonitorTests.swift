import Application
import Testing

@Suite struct RecordMonitorTests {
    static func progress(final: Bool = false) -> RecordProgress {
        RecordProgress(elapsedSeconds: 1, isFinal: final, tracks: [])
    }

    static func names(_ events: [RecordEvent]) -> [String] {
        events.map { event in
            switch event {
            case .started(let start): "started \(start)"
            case .kernelDrops(let drops): "drops \(drops)"
            case .progress(let progress): progress.isFinal ? "final" : "progress"
            default: "other"
            }
        }
    }

    @Test("time zero told once when fixed; kernel drops told when they grow; the progress at every look")
    func looks() {
        var monitor = RecordMonitor()
        #expect(Self.names(monitor.events(start: nil, kernelDrops: 0, progress: Self.progress())) == ["progress"])
        #expect(
            Self.names(monitor.events(start: 42, kernelDrops: 3, progress: Self.progress()))
                == ["started 42", "drops 3", "progress"])
        #expect(Self.names(monitor.events(start: 42, kernelDrops: 3, progress: Self.progress())) == ["progress"])
        #expect(
            Self.names(monitor.events(start: 42, kernelDrops: 5, progress: Self.progress(final: true)))
                == ["drops 5", "final"])
    }
}
