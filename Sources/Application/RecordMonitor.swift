/// What the record command tells while recording, as a pure function of what it sees at each look: the take's
/// time zero once it is fixed, the kernel's drops when they grew, and the progress, each track's loss since the
/// last look counted.
public struct RecordMonitor: Sendable {
    private var startTold = false
    private var dropsTold = 0
    private var lostBefore: [Int] = []

    public init() {}

    /// The events of one look: `start` the take's time zero if fixed, `kernelDrops` the datagrams the kernel
    /// dropped so far.
    public mutating func events(start: Int64?, kernelDrops: Int, progress: RecordProgress) -> [RecordEvent] {
        var events: [RecordEvent] = []
        if !startTold, let start {
            startTold = true
            events.append(.started(unixNanoseconds: start))
        }
        if kernelDrops > dropsTold {
            dropsTold = kernelDrops
            events.append(.kernelDrops(kernelDrops))
        }
        var progress = progress
        for index in progress.tracks.indices {
            let before = index < lostBefore.count ? lostBefore[index] : 0
            progress.tracks[index].lostSinceLast = max(0, progress.tracks[index].lost - before)
        }
        lostBefore = progress.tracks.map(\.lost)
        events.append(.progress(progress))
        return events
    }
}
