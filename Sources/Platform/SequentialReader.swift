import Glibc

/// A file, a pipe or standard input ("-") read once from start to end with read(2): what a capture is read through,
/// where a pipe cannot be read at an offset.
public final class SequentialReader {
    public let path: String
    private let descriptor: Int32
    private let owned: Bool

    /// Opens `path` with open(2) O_RDONLY | O_CLOEXEC; "-" is standard input.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            descriptor = 0
            owned = false
        } else {
            descriptor = try retryingInterrupts("open") { open(path, O_RDONLY | O_CLOEXEC) }
            owned = true
        }
    }

    deinit {
        if owned { close(descriptor) }
    }

    /// One read(2) of up to `buffer.count` bytes; 0 at the end.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try retryingInterrupts("read") { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }
}
