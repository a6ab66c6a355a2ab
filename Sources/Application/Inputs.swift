import Interfaces
import Planning
import Platform
import WAV

/// What the inputs told the user, while they were opened.
public enum InputNote: Sendable, Hashable {
    /// A folder held something that is not a `.wav` file; it is skipped.
    case skipped(path: String)
    /// A WAV's data chunk claims more bytes than the file holds; what is there streams.
    case dataTruncated(path: String, declaredBytes: Int, heldBytes: Int)
}

/// Opening the WAV files a take names, and the folders that stand for their `.wav` files.
public enum Inputs {
    /// The paths of `arguments` in order, each folder replaced by its `.wav` files in name order; `note` hears of
    /// everything else a folder holds.
    public static func expand(_ arguments: [String], note: (InputNote) -> Void) throws(SendFailure) -> [String] {
        var paths: [String] = []
        for argument in arguments {
            guard FileSystem.isDirectory(argument) else {
                paths.append(argument)
                continue
            }
            paths += try wavFiles(inDirectory: argument, note: note)
        }
        return paths
    }

    /// The WAV files of a folder, sorted by name; `note` hears about everything else it skips.
    static func wavFiles(inDirectory path: String, note: (InputNote) -> Void) throws(SendFailure) -> [String] {
        let names: [String]
        do {
            names = try FileSystem.contents(ofDirectory: path).sorted()
        } catch {
            throw .inputUnreadable(path: path, reason: "\(error)")
        }
        var files: [String] = []
        for name in names {
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            if name.lowercased().hasSuffix(".wav") && !FileSystem.isDirectory(full) {
                files.append(full)
            } else {
                note(.skipped(path: full))
            }
        }
        guard !files.isEmpty else { throw .folderWithoutWAV(path: path) }
        return files
    }

    /// Tracks for WAV paths, named after their files.
    public static func tracks(forPaths paths: [String]) -> [TakeTrack] {
        paths.map { TakeTrack(name: TakeRules.trackName(forPath: $0), source: .file($0)) }
    }

    /// Opens a WAV file and walks its chunks; `note` hears about a data chunk longer than the file.
    public static func openWAV(path: String, note: (InputNote) -> Void) throws(SendFailure) -> WAVFrameReader {
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            throw .inputUnreadable(path: path, reason: "\(error)")
        }
        let reader = try openWAV(source: file, named: path, note: note)
        file.adviseSequential()
        return reader
    }

    /// Walks the chunks of WAV bytes from any source.
    public static func openWAV(source: any ByteSource, named path: String, note: (InputNote) -> Void)
        throws(SendFailure) -> WAVFrameReader
    {
        let layout: WAVLayout
        do {
            layout = try WAVLayout(reading: source)
        } catch {
            throw .inputInvalid(path: path, error)
        }
        if layout.isTruncated {
            note(
                .dataTruncated(path: path, declaredBytes: layout.declaredDataByteCount, heldBytes: layout.dataByteCount)
            )
        }
        return WAVFrameReader(source: source, layout: layout)
    }
}
