import PTP
import Planning
import Platform
import RTP

/// Reading a take file, the same for `send` and `record`.
enum TakeFiles {
    /// A take file is text of a few kilobytes; a megabyte is more than any take needs.
    static let byteLimit = 1 << 20

    /// Why a take file gave no take.
    enum Problem: Error {
        /// It could not be read: the reason in the system's words.
        case unreadable(String)
        case invalid(TakeFileError)
    }

    /// Reads and parses the take file at `path`.
    static func read(_ path: String) throws(Problem) -> TakeFile {
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(path, limit: byteLimit)
        } catch let error as SystemError where error.errno == SystemError.fileTooLarge {
            throw .unreadable("larger than 1 MiB")
        } catch {
            throw .unreadable("\(error)")
        }
        do throws(TakeFileError) {
            return try TakeFile(parsing: bytes)
        } catch {
            throw .invalid(error)
        }
    }
}

/// TAI - UTC on this host, found one way for `send` and `record`: the kernel's where it is set, else what ptp4l's
/// grandmaster announces, else 37 s.
func taiOffsetSeconds(ptp: PTPStatus?) -> Int {
    TAI.offsetSeconds(kernel: kernelTAIOffset(), ptp: ptp?.utcOffset)
}
