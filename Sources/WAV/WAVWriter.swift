import Interfaces
import Numbers
import PCM

/// The Broadcast Wave `bext` chunk (EBU Tech 3285, version 1): who made the file, when, and where its first sample
/// stands in the day.
public struct BroadcastExtension: Sendable, Hashable {
    public var description: String
    public var originator: String
    public var originatorReference: String
    /// `yyyy-mm-dd` and `hh-mm-ss`, UTC.
    public var originationDate: String
    public var originationTime: String
    /// The first sample's position as samples since midnight (UTC), at the file's rate.
    public var timeReference: UInt64
    /// CR/LF-terminated lines of what was done to the audio, e.g. `A=PCM,F=48000,W=24,M=stereo,T=audiostreamer`.
    public var codingHistory: String

    /// Bytes of the chunk before the coding history: Description 256, Originator 32, OriginatorReference 32,
    /// OriginationDate 10, OriginationTime 8, TimeReference 8, Version 2, UMID 64, Reserved 190.
    public static let fixedByteCount = 602

    public init(
        description: String, originator: String, originatorReference: String, originationDate: String,
        originationTime: String, timeReference: UInt64, codingHistory: String
    ) {
        self.description = description
        self.originator = originator
        self.originatorReference = originatorReference
        self.originationDate = originationDate
        self.originationTime = originationTime
        self.timeReference = timeReference
        self.codingHistory = codingHistory
    }

    /// The description of a recording whose first sample is at `unixNanoseconds` (UTC) at `sampleRate`.
    public init(
        description: String, originator: String, startUnixNanoseconds: Int64, sampleRate: Int, format: PCMFormat
    ) {
        let p = CivilDate.parts(unixNanoseconds: startUnixNanoseconds)
        func two(_ value: Int) -> String { CivilDate.padded(value, 2) }
        let nanosecondsInDay = startUnixNanoseconds % 86_400_000_000_000
        let mode = format.channelCount == 1 ? "mono" : format.channelCount == 2 ? "stereo" : "multichannel"
        self.init(
            description: description, originator: originator, originatorReference: "",
            originationDate: "\(CivilDate.padded(p.year, 4))-\(two(p.month))-\(two(p.day))",
            originationTime: "\(two(p.hour))-\(two(p.minute))-\(two(p.second))",
            timeReference: UInt64(nanosecondsInDay / 1_000_000_000) * UInt64(sampleRate)
                + UInt64(nanosecondsInDay % 1_000_000_000) * UInt64(sampleRate) / 1_000_000_000,
            codingHistory:
                "A=PCM,F=\(sampleRate),W=\(format.encoding.byteCount * 8),M=\(mode),T=\(originator)\r\n")
    }

    /// The chunk's body, padded to an even length.
    public var body: [UInt8] {
        var out: [UInt8] = []
        func field(_ text: String, _ size: Int) {
            let bytes = Array(text.utf8.prefix(size))
            out += bytes + [UInt8](repeating: 0, count: size - bytes.count)
        }
        field(description, 256)
        field(originator, 32)
        field(originatorReference, 32)
        field(originationDate, 10)
        field(originationTime, 8)
        out.appendLittleEndian(UInt32(truncatingIfNeeded: timeReference))  // TimeReferenceLow
        out.appendLittleEndian(UInt32(truncatingIfNeeded: timeReference >> 32))  // TimeReferenceHigh
        out.appendLittleEndian(UInt16(1))  // Version
        out += [UInt8](repeating: 0, count: 64 + 190)  // UMID, Reserved
        out += Array(codingHistory.utf8)
        if out.count % 2 == 1 { out.append(0) }
        return out
    }
}

/// Where everything of a recorded WAV file stands, and the header for a given amount of audio.
///
/// The header is laid out once and keeps its size: RIFF (or RF64), a 28-byte `JUNK` chunk that becomes `ds64` when
/// the file passes 4 GiB (EBU Tech 3306), `fmt `, `bext`, then `data`. Rewriting the header with the current sizes
/// leaves the file a valid WAV at any moment.
public struct WAVFileLayout: Sendable, Hashable {
    public let format: PCMFormat
    public private(set) var extensionChunk: [UInt8]
    /// The RIFF size field's limit: past it the file is RF64.
    public static let riffLimit: Int64 = 0xFFFF_FFFF
    static let ds64BodyBytes = 28

    public init(format: PCMFormat, broadcast: BroadcastExtension) {
        self.format = format
        extensionChunk = broadcast.body
    }

    /// Replaces the `bext` chunk with one of the same size (the header keeps its layout); returns whether it could.
    public mutating func replaceBroadcast(_ broadcast: BroadcastExtension) -> Bool {
        let body = broadcast.body
        guard body.count == extensionChunk.count else { return false }
        extensionChunk = body
        return true
    }

    /// Bytes before the first sample.
    public var dataOffset: Int64 {
        Int64(12 + 8 + Self.ds64BodyBytes + WAVHeader.formatChunk(format).count + 8 + extensionChunk.count + 8)
    }

    /// Whether `dataBytes` of audio need RF64.
    public func needsRF64(dataBytes: Int64) -> Bool {
        dataOffset - 8 + dataBytes + (dataBytes & 1) > Self.riffLimit
    }

    /// The header for a file holding `dataBytes` of audio (its pad byte, if odd, counted in the RIFF size).
    public func header(dataBytes: Int64) -> [UInt8] {
        let riffSize = dataOffset - 8 + dataBytes + (dataBytes & 1)
        let large = needsRF64(dataBytes: dataBytes)
        var out: [UInt8] = []
        out += Array((large ? "RF64" : "RIFF").utf8)
        out.appendLittleEndian(large ? UInt32.max : UInt32(riffSize))
        out += Array("WAVE".utf8)
        out += Array((large ? "ds64" : "JUNK").utf8)
        out.appendLittleEndian(UInt32(Self.ds64BodyBytes))
        if large {
            out.appendLittleEndian(UInt64(riffSize))  // RIFF size
            out.appendLittleEndian(UInt64(dataBytes))  // data size
            out.appendLittleEndian(UInt64(dataBytes / Int64(format.bytesPerFrame)))  // sample count (frames)
            out.appendLittleEndian(UInt32(0))  // no table of other chunk sizes
        } else {
            out += [UInt8](repeating: 0, count: Self.ds64BodyBytes)
        }
        out += WAVHeader.formatChunk(format)
        out += Array("bext".utf8)
        out.appendLittleEndian(UInt32(extensionChunk.count))
        out += extensionChunk
        out += Array("data".utf8)
        out.appendLittleEndian(large ? UInt32.max : UInt32(dataBytes))
        return out
    }
}

/// Writes a WAV file as audio arrives: the header first, samples appended, the sizes patched on request and at the
/// end, so that the file on disk is a valid WAV at any moment (its header at most one patch behind).
public final class WAVWriter {
    public private(set) var layout: WAVFileLayout
    private let sink: any ByteSink
    /// Bytes of audio written.
    public private(set) var dataBytes: Int64 = 0
    /// Bytes the header last said.
    public private(set) var patchedBytes: Int64 = -1

    /// Writes the header of an empty file.
    public init(sink: any ByteSink, format: PCMFormat, broadcast: BroadcastExtension) throws {
        self.sink = sink
        layout = WAVFileLayout(format: format, broadcast: broadcast)
        try patchSizes()
    }

    /// Frames written.
    public var frames: Int64 { dataBytes / Int64(layout.format.bytesPerFrame) }

    /// Appends samples (whole frames) after those written.
    public func append(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        try sink.write(bytes, at: layout.dataOffset + dataBytes)
        dataBytes += Int64(bytes.count)
    }

    /// Replaces the `bext` chunk (with one of the same size) at the next patch: a recorder learns the take's start
    /// after it has created its files. Returns whether it could.
    @discardableResult
    public func replaceBroadcast(_ broadcast: BroadcastExtension) -> Bool {
        guard layout.replaceBroadcast(broadcast) else { return false }
        patchedBytes = -1
        return true
    }

    /// Before the first sample: the file holds `format` instead, with `broadcast` (its coding history says the
    /// format). The header is written again at once; where it is shorter, the first samples cover what is left of
    /// the old one.
    public func replaceFormat(_ format: PCMFormat, broadcast: BroadcastExtension) throws {
        precondition(dataBytes == 0, "the format of a file is replaced before its first sample")
        layout = WAVFileLayout(format: format, broadcast: broadcast)
        patchedBytes = -1
        try patchSizes()
    }

    /// Rewrites the header with the sizes written so far.
    public func patchSizes() throws {
        guard patchedBytes != dataBytes else { return }
        let header = layout.header(dataBytes: dataBytes)
        try header.withUnsafeBytes { try sink.write($0, at: 0) }
        patchedBytes = dataBytes
    }

    /// Writes the pad byte of an odd-sized data chunk, the final sizes, and makes it all durable.
    public func finish() throws {
        if dataBytes & 1 == 1 {
            let pad: [UInt8] = [0]
            try pad.withUnsafeBytes { try sink.write($0, at: layout.dataOffset + dataBytes) }
        }
        patchedBytes = -1
        try patchSizes()
        try sink.synchronize()
    }
}
