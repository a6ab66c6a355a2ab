import Interfaces
import JSON
import Numbers
import PCM
import Planning
import Platform
import RTP
import Receiver
import Rings
import SDP
import Synchronization
import WAV

extension RecordProgram {
    /// Creates the output folder and every file (never replacing one), with an empty WAV in each.
    static func createFiles(for plan: RecordingPlan, clock: MonotonicTimeline) throws(RecordFailure) -> (
        RecordWriter, [RingOutput], [String]
    ) {
        let placeholder = clock.clocks.wallNow()
        var created: [String] = []
        func fail(_ failure: RecordFailure) -> RecordFailure {
            removeAll(created)
            return failure
        }
        // A second of audio between the receive thread and the disk (the writer empties it every 10 ms).
        let outputs = plan.tracks.map {
            RingOutput(
                capacity: max(1 << 16, $0.sampleRate * $0.format.bytesPerFrame), clock: clock,
                ownsFile: plan.output.isDirectory && $0.parts == nil)
        }
        var files: [RecordWriter.File] = []
        var splits: [(ring: SPSCByteRing, bytesPerFrame: Int)] = []
        switch plan.output {
        case .directory(let folder):
            do {
                created += try FileSystem.createDirectory(folder)
            } catch {
                throw .outputNotCreated(path: folder, reason: "\(error)")
            }
            for (index, track) in plan.tracks.enumerated() {
                guard let parts = track.parts else {
                    let broadcast = RecordWriter.broadcast(name: track.name, format: track.format, start: placeholder)
                    let file = try create(track.path, format: track.format, broadcast: broadcast, fail: fail)
                    created.append(track.path)
                    files.append(
                        RecordWriter.File(
                            path: track.path, name: track.name, writer: file,
                            feed: .track(outputs[index].ring, source: outputs[index])))
                    continue
                }
                // A bundle: a file per channel group, fed from the track's ring.
                let sample = track.format.encoding.byteCount
                for part in parts {
                    let format = PCMFormat(
                        encoding: track.format.encoding, channelCount: part.channelCount,
                        sampleRate: track.format.sampleRate)
                    let broadcast = RecordWriter.broadcast(name: part.name, format: format, start: placeholder)
                    let file = try create(part.path, format: format, broadcast: broadcast, fail: fail)
                    created.append(part.path)
                    files.append(
                        RecordWriter.File(
                            path: part.path, name: part.name, writer: file,
                            feed: .columns(
                                split: splits.count, offset: part.channelOffset * sample,
                                bytes: part.channelCount * sample)))
                }
                splits.append((outputs[index].ring, track.format.bytesPerFrame))
            }
        case .multichannel(let path):
            guard let first = plan.tracks.first else { throw .plan(.noStreams, origin: nil) }
            let channels = plan.tracks.reduce(0) { $0 + $1.stream.channelCount }
            let format = PCMFormat(
                encoding: first.format.encoding, channelCount: channels, sampleRate: first.sampleRate)
            let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            if !folder.isEmpty {
                do {
                    created += try FileSystem.createDirectory(folder)
                } catch {
                    throw .outputNotCreated(path: folder, reason: "\(error)")
                }
            }
            let name = plan.tracks.count > 1 ? "take" : first.name
            let broadcast = RecordWriter.broadcast(name: name, format: format, start: placeholder)
            let file = try create(path, format: format, broadcast: broadcast, fail: fail)
            created.append(path)
            files.append(
                RecordWriter.File(
                    path: path, name: name, writer: file,
                    feed: .interleaved(zip(outputs, plan.tracks).map { ($0.ring, $1.format.bytesPerFrame) })))
        }
        return (
            RecordWriter(files: files, splits: splits, clock: clock, placeholderStart: placeholder), outputs, created
        )
    }

    static func create(
        _ path: String, format: PCMFormat, broadcast: BroadcastExtension, fail: (RecordFailure) -> RecordFailure
    ) throws(RecordFailure) -> WAVWriter {
        if FileSystem.exists(path) { throw fail(.outputExists(path: path)) }
        do {
            return try WAVWriter(sink: try NewFile(creating: path), format: format, broadcast: broadcast)
        } catch {
            throw fail(.outputNotCreated(path: path, reason: "\(error)"))
        }
    }

    /// Removes what the recorder created, the last first: its files, then the folders it made for them.
    static func removeAll(_ paths: [String]) {
        for path in paths.reversed() { FileSystem.remove(path) }
    }
}
