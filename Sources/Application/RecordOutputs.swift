import Interfaces
import PCM
import Platform
import Receiver
import Rings
import Synchronization
import WAV

/// The thread that writes what the rings hold into the WAV files, patching their headers every second so each file
/// is valid whenever a user copies it, and finishing them at the end.
final class RecordWriter: @unchecked Sendable {
    // @unchecked: the writers belong to the writer thread between `start` and `finish`; `failure` is behind a Mutex.
    struct File {
        let path: String
        let ring: SPSCByteRing
        let writer: WAVWriter
        /// For a multichannel file: the tracks it interleaves, each with its own ring and frame size.
        let parts: [(ring: SPSCByteRing, bytesPerFrame: Int)]
    }

    let files: [File]
    private let stop = StopSignal()
    private var thread: OSThread?
    /// The first write that failed: the file and why.
    let failure = Mutex<(path: String, reason: String)?>(nil)
    /// The broadcast extension to put in every file at the next patch, once the take's start is known.
    let pendingBroadcast = Mutex<[BroadcastExtension]?>(nil)
    /// Set by the writer thread when a write failed.
    let failed = Atomic<Bool>(false)

    /// What the writer thread paces its drains and patches by.
    let clock: MonotonicTimeline

    init(files: [File], clock: MonotonicTimeline) {
        self.files = files
        self.clock = clock
    }

    func start() throws(SystemError) {
        thread = try OSThread { [self] in
            var nextPatch = clock.now() + 1_000_000_000
            while !stop.isStopped {
                drain(files)
                if clock.now() >= nextPatch {
                    patch(files)
                    nextPatch = clock.now() + 1_000_000_000
                }
                clock.sleep(until: clock.now() + 10_000_000)
            }
        }
    }

    /// Stops the thread, writes what is left and finishes every file (pad byte, sizes, fsync).
    func finish() {
        stop.stop()
        thread?.join()
        drain(files, final: true)
        applyBroadcast(files)
        for file in files {
            // After a failed write (a full disk) the header still says what was written whole: the file stays valid.
            if failed.load(ordering: .relaxed) {
                try? file.writer.patchSizes()
            } else {
                record(file.path) { try file.writer.finish() }
            }
        }
    }

    private func drain(_ files: [File], final: Bool = false) {
        for file in files where !failed.load(ordering: .relaxed) {
            if file.parts.isEmpty {
                file.ring.drain { bytes in record(file.path) { try file.writer.append(bytes) } }
            } else {
                interleave(file, final: final)
            }
        }
    }

    /// Takes as many frames as every part has (all of them at the end, the short ones padded with silence) and
    /// writes them interleaved, part after part within each frame.
    private func interleave(_ file: File, final: Bool) {
        let available = file.parts.map { $0.ring.availableBytes / $0.bytesPerFrame }
        let frames = final ? (available.max() ?? 0) : (available.min() ?? 0)
        guard frames > 0 else { return }
        let width = file.parts.reduce(0) { $0 + $1.bytesPerFrame }
        var out = [UInt8](repeating: 0, count: frames * width)
        var column = 0
        var part: [UInt8] = []
        for (ring, bytesPerFrame) in file.parts {
            part.removeAll(keepingCapacity: true)
            ring.drain(upTo: min(frames, ring.availableBytes / bytesPerFrame) * bytesPerFrame) { part += $0 }
            for frame in 0..<(part.count / bytesPerFrame) {
                let target = frame * width + column
                for byte in 0..<bytesPerFrame { out[target + byte] = part[frame * bytesPerFrame + byte] }
            }
            column += bytesPerFrame
        }
        out.withUnsafeBytes { bytes in record(file.path) { try file.writer.append(bytes) } }
    }

    private func patch(_ files: [File]) {
        applyBroadcast(files)
        for file in files where !failed.load(ordering: .relaxed) {
            record(file.path) { try file.writer.patchSizes() }
        }
    }

    private func applyBroadcast(_ files: [File]) {
        guard
            let broadcasts = pendingBroadcast.withLock({ value in
                defer { value = nil }; return value
            })
        else {
            return
        }
        for (file, broadcast) in zip(files, broadcasts) { file.writer.replaceBroadcast(broadcast) }
    }

    private func record(_ path: String, _ body: () throws -> Void) {
        do {
            try body()
        } catch {
            failure.withLock { $0 = $0 ?? (path, "\(error)") }
            failed.store(true, ordering: .relaxed)
        }
    }
}
