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
        /// What its broadcast extension describes: the track's name, or the take's.
        let name: String
        let writer: WAVWriter
        let feed: Feed
    }

    /// Where a file's frames come from.
    enum Feed {
        /// A track's own ring; its output may follow the channel count the wire carries.
        case track(SPSCByteRing, source: RingOutput)
        /// Every track's ring, interleaved (`--multichannel`): each with its frame size.
        case interleaved([(ring: SPSCByteRing, bytesPerFrame: Int)])
        /// Some of a bundled track's channels: `bytes` of each frame from `offset`, of split `split`.
        case columns(split: Int, offset: Int, bytes: Int)
    }

    let files: [File]
    /// The rings of bundled tracks, each split into files by `Feed.columns`, with their frame sizes.
    let splits: [(ring: SPSCByteRing, bytesPerFrame: Int)]
    private let stop = StopSignal()
    private var thread: OSThread?
    /// The first write that failed: the file and why.
    let failure = Mutex<(path: String, reason: String)?>(nil)
    /// The take's start (Unix ns), for every file's broadcast extension at the next patch, once it is known.
    let pendingStart = Mutex<Int64?>(nil)
    /// Set by the writer thread when a write failed.
    let failed = Atomic<Bool>(false)

    /// What the writer thread paces its drains and patches by.
    let clock: MonotonicTimeline

    /// The start the files' broadcast extensions say until the take's is known.
    let placeholderStart: Int64
    /// The take's start as last written into the files (the writer thread's own): a file that takes another channel
    /// count later keeps it.
    private var writtenStart: Int64?

    init(
        files: [File], splits: [(ring: SPSCByteRing, bytesPerFrame: Int)], clock: MonotonicTimeline,
        placeholderStart: Int64
    ) {
        self.files = files
        self.splits = splits
        self.clock = clock
        self.placeholderStart = placeholderStart
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
            switch file.feed {
            case .track(let ring, let source):
                // Bytes in the ring: the channel count the track follows, if any, was set before them.
                if file.writer.dataBytes == 0, ring.availableBytes > 0 {
                    follow(file, channels: source.followedChannels.load(ordering: .acquiring))
                }
                ring.drain { bytes in record(file.path) { try file.writer.append(bytes) } }
            case .interleaved(let parts): interleave(file, parts: parts, final: final)
            case .columns: break
            }
        }
        for index in splits.indices where !failed.load(ordering: .relaxed) { split(index) }
    }

    /// Takes the whole frames a bundled track's ring holds and writes each of its files' channels to that file.
    private func split(_ index: Int) {
        let (ring, width) = splits[index]
        let frames = ring.availableBytes / width
        guard frames > 0 else { return }
        var block: [UInt8] = []
        block.reserveCapacity(frames * width)
        ring.drain(upTo: frames * width) { block += $0 }
        for file in files {
            guard case .columns(index, let offset, let bytes) = file.feed else { continue }
            var out = [UInt8](repeating: 0, count: frames * bytes)
            for frame in 0..<frames {
                for byte in 0..<bytes { out[frame * bytes + byte] = block[frame * width + offset + byte] }
            }
            out.withUnsafeBytes { bytes in record(file.path) { try file.writer.append(bytes) } }
        }
    }

    /// Takes as many frames as every part has (all of them at the end, the short ones padded with silence) and
    /// writes them interleaved, part after part within each frame.
    private func interleave(_ file: File, parts: [(ring: SPSCByteRing, bytesPerFrame: Int)], final: Bool) {
        let available = parts.map { $0.ring.availableBytes / $0.bytesPerFrame }
        let frames = final ? (available.max() ?? 0) : (available.min() ?? 0)
        guard frames > 0 else { return }
        let width = parts.reduce(0) { $0 + $1.bytesPerFrame }
        var out = [UInt8](repeating: 0, count: frames * width)
        var column = 0
        var part: [UInt8] = []
        for (ring, bytesPerFrame) in parts {
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

    /// Before its first sample: the file takes the channel count its track follows, where it is not the described.
    private func follow(_ file: File, channels: Int) {
        let format = file.writer.layout.format
        guard channels > 0, channels != format.channelCount else { return }
        let followed = PCMFormat(encoding: format.encoding, channelCount: channels, sampleRate: format.sampleRate)
        let start = writtenStart ?? placeholderStart
        record(file.path) {
            try file.writer.replaceFormat(
                followed, broadcast: Self.broadcast(name: file.name, format: followed, start: start))
        }
    }

    private func applyBroadcast(_ files: [File]) {
        guard
            let start = pendingStart.withLock({ value in
                defer { value = nil }; return value
            })
        else { return }
        writtenStart = start
        for file in files {
            file.writer.replaceBroadcast(
                Self.broadcast(name: file.name, format: file.writer.layout.format, start: start))
        }
    }

    /// A file's broadcast extension (EBU Tech 3285): the take's start as its time reference.
    static func broadcast(name: String, format: PCMFormat, start: Int64) -> BroadcastExtension {
        BroadcastExtension(
            description: name, originator: "audiostreamer", startUnixNanoseconds: start, sampleRate: format.sampleRate,
            format: format)
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
