import Interfaces
import PCM

/// Where a WAV file's samples are and what they are, found by walking its RIFF chunks.
///
/// Chunks other than `fmt ` and `data` (LIST, bext, JUNK, fact, ...) are skipped; odd-sized chunks
/// carry one pad byte (RIFF rule). The `fmt ` chunk must come before `data`.
public struct WAVLayout: Sendable, Hashable {
    public var format: PCMFormat
    /// The channels' speaker positions (WAVEFORMATEXTENSIBLE's mask), 0 where the file names none.
    public var channelMask: UInt32 = 0
    /// Byte offset of the first sample.
    public var dataOffset: Int
    /// Bytes of whole frames that the file really holds.
    public var dataByteCount: Int
    /// What the data chunk header claims.
    public var declaredDataByteCount: Int
    /// Bytes of the data chunk the file really holds, a partial last frame included.
    public var heldDataByteCount: Int

    public init(
        format: PCMFormat, dataOffset: Int, dataByteCount: Int, declaredDataByteCount: Int,
        heldDataByteCount: Int? = nil
    ) {
        self.format = format
        self.dataOffset = dataOffset
        self.dataByteCount = dataByteCount
        self.declaredDataByteCount = declaredDataByteCount
        self.heldDataByteCount = heldDataByteCount ?? dataByteCount
    }

    /// Frames that can be streamed.
    public var frameCount: Int { dataByteCount / format.bytesPerFrame }

    /// True when the data chunk claims more bytes than the file holds.
    public var isTruncated: Bool { declaredDataByteCount > heldDataByteCount }

    /// Walks the chunks of a whole file held in memory.
    public init(parsing bytes: [UInt8]) throws(WAVError) {
        try self.init(reading: MemoryByteSource(bytes))
    }

    /// Walks the chunks of `source`.
    public init(reading source: some ByteSource) throws(WAVError) {
        let size = source.byteCount
        guard size > 0 else { throw .empty }
        let riff = try Self.read(source, at: 0, count: 12, size: size)
        guard riff[0..<4].elementsEqual("RIFF".utf8) else { throw .notRIFF }
        guard riff[8..<12].elementsEqual("WAVE".utf8) else { throw .notWAVE }
        var offset = 12
        var format: PCMFormat?
        var mask: UInt32 = 0
        while true {
            guard offset + 8 <= size else {
                // A chunk header begun but cut off is a truncated file; none at all, a chunk that is missing.
                if offset < size { throw .truncatedHeader(needed: offset + 8, available: size) }
                throw format == nil ? .missingFormatChunk : .missingDataChunk
            }
            let header = try Self.read(source, at: offset, count: 8, size: size)
            let chunkSize = Int(header.littleEndianUInt32(at: 4))
            let body = offset + 8
            if header[0..<4].elementsEqual("fmt ".utf8) {
                let bytes = try Self.read(source, at: body, count: min(chunkSize, 64), size: size)
                let parsed = try WAVFormat(chunk: bytes)
                format = parsed.pcm
                mask = parsed.channelMask
            } else if header[0..<4].elementsEqual("data".utf8) {
                guard let format else { throw .missingFormatChunk }
                let available = size - body
                let held = min(chunkSize, available)
                self.init(
                    format: format, dataOffset: body,
                    dataByteCount: held - held % format.bytesPerFrame,
                    declaredDataByteCount: chunkSize, heldDataByteCount: held)
                channelMask = mask
                return
            }
            offset = body + chunkSize + (chunkSize & 1)
        }
    }

    private static func read(_ source: some ByteSource, at offset: Int, count: Int, size: Int) throws(WAVError)
        -> [UInt8]
    {
        guard offset + count <= size else {
            throw .truncatedHeader(needed: offset + count, available: size)
        }
        var bytes = [UInt8](repeating: 0, count: count)
        let got: Int
        do {
            got = try bytes.withUnsafeMutableBytes { try source.read(at: offset, into: $0) }
        } catch {
            throw .readFailed("\(error)")
        }
        guard got == count else { throw .truncatedHeader(needed: offset + count, available: offset + got) }
        return bytes
    }
}
