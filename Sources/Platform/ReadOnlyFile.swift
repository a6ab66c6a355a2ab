import Glibc
import Interfaces

/// A file opened for reading with open(2), read with pread(2), closed when released.
public final class ReadOnlyFile: @unchecked Sendable {
    // @unchecked: the descriptor is immutable; pread(2) keeps no shared file position.
    public let path: String
    private let descriptor: Int32
    /// The file's size from fstat(2) at open.
    public let byteCount: Int

    /// Opens `path` with open(2) O_RDONLY | O_CLOEXEC.
    public init(path: String) throws {
        self.path = path
        descriptor = try retryingInterrupts("open") { open(path, O_RDONLY | O_CLOEXEC) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let error = SystemError("fstat")
            close(descriptor)
            throw error
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw SystemError("open", errno: EISDIR)
        }
        byteCount = Int(status.st_size)
    }

    deinit {
        close(descriptor)
    }

    /// Reads up to `buffer.count` bytes at `offset` with pread(2), looping over short reads; returns the bytes read.
    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var total = 0
        while total < buffer.count {
            let got = try retryingInterrupts("pread") {
                pread(descriptor, buffer.baseAddress.map { $0 + total }, buffer.count - total, off_t(offset + total))
            }
            if got == 0 { break }
            total += got
        }
        return total
    }

    /// One pread(2) of up to `buffer.count` bytes at `offset`; returns the bytes read (0 at the end).
    func readOnce(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try retryingInterrupts("pread") { pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset)) }
    }

    /// Tells the kernel the file will be read sequentially (posix_fadvise POSIX_FADV_SEQUENTIAL).
    public func adviseSequential() {
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_SEQUENTIAL)
    }
}

/// Files and folders by path.
public enum FileSystem {
    /// Whether `path` is a directory (stat(2)).
    public static func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }

    /// Creates `path` and its missing parents with mkdir(2), mode 0755; returns the folders it created, outermost
    /// first.
    @discardableResult
    public static func createDirectory(_ path: String) throws -> [String] {
        if isDirectory(path) { return [] }
        var created: [String] = []
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if !isDirectory(prefix) {
                if mkdir(prefix, 0o755) == 0 {
                    created.append(prefix)
                } else if errno != EEXIST {
                    throw SystemError("mkdir \(prefix)")
                }
            }
            prefix += "/"
        }
        return created
    }

    /// Writes `bytes` to `path` so that readers see the old file or the whole new one, never a part: a new
    /// temporary file in the same folder (a random name, created with O_EXCL | O_NOFOLLOW, so nothing planted there
    /// is written through), fsync(2), then rename(2), which replaces a name and never follows it. What `path` names
    /// now must be a regular file or nothing: a link, device or folder is refused, not replaced.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        var status = stat()
        if lstat(path, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG { throw NotARegularFile(path: path) }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? ""
        var random = SystemRandomSource()
        var temporary = ""
        var descriptor: Int32 = -1
        for _ in 0..<16 where descriptor < 0 {
            temporary = folder + ".audiostreamer-" + String(random.next() & 0xFFFF_FFFF, radix: 16) + ".tmp"
            let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
            switch retryingInterrupts({ open(temporary, flags, 0o644) }) {
            case .returned(let opened): descriptor = opened
            case .failed(let errno) where errno == EEXIST: continue  // the name is taken: another one
            case .failed(let errno): throw SystemError("open \(temporary)", errno: errno)
            }
        }
        guard descriptor >= 0 else { throw SystemError("open \(temporary)", errno: EEXIST) }
        do {
            var written = 0
            while written < bytes.count {
                written += try bytes.withUnsafeBytes { raw in
                    try retryingInterrupts("write \(temporary)") {
                        write(descriptor, raw.baseAddress.map { $0 + written }, raw.count - written)
                    }
                }
            }
            try retryingInterrupts("fsync \(temporary)") { fsync(descriptor) }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let error = SystemError("rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
    }

    /// Creates a file of `size` bytes that starts with `header` and holds zeros after it without using disk
    /// space (ftruncate(2) leaves a hole): a large input for benchmarks.
    public static func createSparseFile(path: String, header: [UInt8], size: Int) throws {
        try writeAtomically(header, to: path)
        guard truncate(path, off_t(size)) == 0 else { throw SystemError("truncate \(path)") }
    }

    /// A small text file's contents (read to its end, as /proc files report no size), or nil when it cannot be read
    /// or holds more than `limit` bytes.
    public static func readText(_ path: String, limit: Int = 1 << 20) -> String? {
        guard let file = try? ReadOnlyFile(path: path) else { return nil }
        var bytes = [UInt8](repeating: 0, count: min(limit, 1 << 16) + 1)
        var length = 0
        while true {
            if length == bytes.count {
                guard bytes.count <= limit else { return nil }
                bytes += [UInt8](repeating: 0, count: min(bytes.count, limit + 1 - bytes.count))
            }
            let count = bytes.withUnsafeMutableBytes { buffer in
                try? file.readOnce(at: length, into: UnsafeMutableRawBufferPointer(rebasing: buffer[length...]))
            }
            guard let count else { return nil }
            if count == 0 { break }
            length += count
        }
        guard length <= limit else { return nil }
        return String(decoding: bytes.prefix(length), as: UTF8.self)
    }

    /// A whole file of at most `limit` bytes.
    public static func readFile(_ path: String, limit: Int) throws -> [UInt8] {
        let file = try ReadOnlyFile(path: path)
        guard file.byteCount <= limit else { throw SystemError("read \(path)", errno: SystemError.fileTooLarge) }
        var bytes = [UInt8](repeating: 0, count: file.byteCount)
        let count = try bytes.withUnsafeMutableBytes { try file.read(at: 0, into: $0) }
        return Array(bytes.prefix(count))
    }

    /// The size of a file in bytes (stat(2)), or nil when it cannot be read.
    public static func size(_ path: String) -> Int? {
        var status = stat()
        return stat(path, &status) == 0 ? Int(status.st_size) : nil
    }

    /// Whether anything (a file, a folder, a dangling symbolic link) has this name (lstat(2)).
    public static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Removes a file (unlink(2)) or an empty folder (rmdir(2)), ignoring a missing one.
    public static func remove(_ path: String) {
        if unlink(path) != 0 && (errno == EISDIR || errno == EPERM) { rmdir(path) }
    }

    /// Names in a directory (readdir(3)), without "." and "..".
    public static func contents(ofDirectory path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw SystemError("opendir \(path)") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

extension ReadOnlyFile: ByteSource {}

/// A new file open for writing (open(2) with O_CREAT | O_EXCL | O_NOFOLLOW: an existing name, a symlink included, is
/// refused, never replaced), written with pwrite(2) and made durable with fsync(2); closed when released.
public final class NewFile: ByteSink, @unchecked Sendable {
    // @unchecked: the descriptor is immutable; pwrite(2) keeps no shared file position.
    public let path: String
    private let descriptor: Int32

    /// Creates `path` with mode 0644.
    public init(creating path: String) throws {
        self.path = path
        descriptor = try retryingInterrupts("open \(path)") {
            open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }
    }

    deinit {
        close(descriptor)
    }

    /// Writes all of `bytes` at `offset` with pwrite(2), looping over short writes.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var done = 0
        while done < bytes.count {
            done += try retryingInterrupts("write \(path)") {
                pwrite(descriptor, bytes.baseAddress.map { $0 + done }, bytes.count - done, off_t(offset) + off_t(done))
            }
        }
    }

    /// fsync(2).
    public func synchronize() throws {
        try retryingInterrupts("fsync \(path)") { fsync(descriptor) }
    }
}

/// A name that holds something other than a regular file (a symbolic link, a device, a folder), which a write
/// refuses to replace.
public struct NotARegularFile: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var description: String { "not a regular file (a link, device or folder): it is not replaced" }
}
