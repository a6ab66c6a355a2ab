/// Random-access bytes a parser or frame reader reads from: a file, or memory in tests.
public protocol ByteSource {
    /// Total bytes available.
    var byteCount: Int { get }
    /// Reads up to `buffer.count` bytes starting at `offset`; returns how many were read (0 at the end).
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes held in memory.
public struct MemoryByteSource: ByteSource, Sendable {
    public let bytes: [UInt8]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public var byteCount: Int { bytes.count }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard offset >= 0, offset < bytes.count else { return 0 }
        let count = min(buffer.count, bytes.count - offset)
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + count]))
        }
        return count
    }
}

/// A file open for writing at any offset: what a WAV writer writes through (a file in use, memory in tests).
public protocol ByteSink: AnyObject {
    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws
    /// Makes what was written durable (fsync(2) for a file).
    func synchronize() throws
}
