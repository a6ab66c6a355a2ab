/// Bytes pulled from a file or a pipe in large reads, looked at in place: a parser asks for the next `count` bytes
/// and gets them as one contiguous buffer, valid until it asks again.
final class ByteInput {
    private let read: (UnsafeMutableRawBufferPointer) throws -> Int
    private var storage: UnsafeMutableRawBufferPointer
    /// The unread bytes are storage[start..<end].
    private var start = 0
    private var end = 0
    private var ended = false

    static let readSize = 1 << 16

    init(read: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
        self.read = read
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.readSize, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// The next `count` bytes without consuming them; nil when the input ends first (`available` then says how many
    /// there are).
    func peek(_ count: Int) throws(CaptureError) -> UnsafeRawBufferPointer? {
        try fill(count)
        guard end - start >= count else { return nil }
        return UnsafeRawBufferPointer(rebasing: storage[start..<(start + count)])
    }

    /// How many unread bytes there are, at most `limit` (reading on to find out).
    func available(upTo limit: Int) throws(CaptureError) -> Int {
        try fill(limit)
        return min(limit, end - start)
    }

    /// Consumes `count` bytes (at most what is buffered).
    func skip(_ count: Int) {
        let taken = min(count, end - start)
        start += taken
    }

    /// Consumes `count` bytes whether buffered or not, reading through them in pieces; returns how many there were.
    func discard(_ count: Int) throws(CaptureError) -> Int {
        var left = count
        while left > 0 {
            let piece = try available(upTo: min(left, Self.readSize))
            guard piece > 0 else { break }
            skip(piece)
            left -= piece
        }
        return count - left
    }

    /// Reads until `count` bytes are buffered or the input ends.
    private func fill(_ count: Int) throws(CaptureError) {
        guard end - start < count, !ended else { return }
        if storage.count - start < count {
            // Moves the unread bytes to the front, and grows to hold `count` at once (a record is bounded by its
            // parser before it asks).
            let unread = end - start
            if storage.count < count + Self.readSize {
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: count + Self.readSize, alignment: 16)
                bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[start..<end]))
                storage.deallocate()
                storage = bigger
            } else if unread > 0 {
                UnsafeMutableRawBufferPointer(rebasing: storage[0..<unread])
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: storage[start..<end]))
            }
            start = 0
            end = unread
        }
        while end - start < count {
            let got: Int
            do {
                got = try read(UnsafeMutableRawBufferPointer(rebasing: storage[end..<storage.count]))
            } catch {
                throw .readFailed("\(error)")
            }
            guard got > 0 else {
                ended = true
                return
            }
            end += got
        }
    }
}

/// Loads of fixed-width integers from captured bytes in either byte order.
struct Endian {
    /// Whether the bytes are big-endian (network order, or a capture written on such a machine).
    var big: Bool

    func u16(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt16 {
        let value = bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self)
        return big ? UInt16(bigEndian: value) : UInt16(littleEndian: value)
    }

    func u32(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        let value = bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)
        return big ? UInt32(bigEndian: value) : UInt32(littleEndian: value)
    }

    func u64(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> UInt64 {
        let value = bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self)
        return big ? UInt64(bigEndian: value) : UInt64(littleEndian: value)
    }

    static let network = Endian(big: true)
}
