import Interfaces
import PCM
import Testing
import WAV

// The recorder's WAV files, byte by byte. A file is "RIFF", a little-endian u32 size of what follows, "WAVE", then
// chunks (4-byte id, u32 body size, body): a 28-byte `JUNK` kept free for a `ds64`, `fmt `, `bext`, `data`.
//
// `bext` (EBU Tech 3285, version 1): Description 256, Originator 32, OriginatorReference 32, OriginationDate 10
// ("yyyy-mm-dd"), OriginationTime 8 ("hh-mm-ss"), TimeReferenceLow u32, TimeReferenceHigh u32 (samples since
// midnight), Version u16 = 1, UMID 64, Reserved 190: 602 bytes, then the CodingHistory text; the writer pads the
// body to an even length.
//
// RF64 (EBU Tech 3306), past 4 GiB: "RF64", size 0xFFFFFFFF, "WAVE", then `ds64` in the JUNK's place: RIFF size u64,
// data size u64, sample count u64, table length u32 = 0 (28 bytes); the data chunk's u32 size is 0xFFFFFFFF.

private func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
private func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
private func le64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
private func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }
private func zeros(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }

/// 2026-11-29T12:00:00Z in Unix nanoseconds.
private let noon: Int64 = 1_795_953_600_000_000_000

private let stereo16 = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)
private let mono24 = PCMFormat(encoding: .signed24, channelCount: 1, sampleRate: 48_000)

/// A file in memory: the bytes written below `keptBytes` (all of them by default), the highest offset written, how
/// many writes went to offset 0 (the header) and how often it was made durable.
private final class MemorySink: ByteSink {
    let keptBytes: Int64
    private(set) var bytes: [UInt8] = []
    private(set) var end: Int64 = 0
    private(set) var headerWrites = 0
    private(set) var synchronizations = 0

    init(keptBytes: Int64 = .max) {
        self.keptBytes = keptBytes
    }

    func write(_ source: UnsafeRawBufferPointer, at offset: Int64) throws {
        end = max(end, offset + Int64(source.count))
        if offset == 0 { headerWrites += 1 }
        guard offset < keptBytes else { return }
        let start = Int(offset)
        let kept = Int(min(Int64(source.count), keptBytes - offset))
        if bytes.count < start + kept { bytes += zeros(start + kept - bytes.count) }
        bytes.replaceSubrange(start..<start + kept, with: source.prefix(kept))
    }

    func synchronize() throws {
        synchronizations += 1
    }
}

// MARK: - Fixture: 16-bit stereo, two frames

/// The bext of the 16-bit stereo fixture: a take started at 2026-11-29T12:00:00.5Z.
private let stereoBroadcast = BroadcastExtension(
    description: "take 1", originator: "audiostreamer", originatorReference: "", originationDate: "2026-11-29",
    originationTime: "12-00-00", timeReference: 2_073_624_000,
    codingHistory: "A=PCM,F=48000,W=16,M=stereo,T=audiostreamer\r\n")

private let stereoBroadcastBody: [UInt8] =
    ascii("take 1") + zeros(250)  // Description: 6 characters, NUL-padded to 256
    + ascii("audiostreamer") + zeros(19)  // Originator: 13 + 19 = 32
    + zeros(32)  // OriginatorReference: empty
    + ascii("2026-11-29")  // OriginationDate: 10
    + ascii("12-00-00")  // OriginationTime: 8
    + le32(0x7B98_FDC0)  // TimeReferenceLow: (12 x 3600 + 0.5) s x 48000 = 2 073 624 000
    + le32(0)  // TimeReferenceHigh
    + le16(1)  // Version 1
    + zeros(64)  // UMID: none
    + zeros(190)  // Reserved
    + ascii("A=PCM,F=48000,W=16,M=stereo,T=audiostreamer\r\n")  // CodingHistory (EBU R98): 45 bytes
    + [0x00]  // 602 + 45 = 647: one NUL makes the body even, 648

/// The whole 16-bit stereo file: header, then two frames.
private let stereoFile: [UInt8] =
    ascii("RIFF")
    + le32(736)  // RIFF size: WAVE 4 + JUNK 8 + 28 + fmt 8 + 16 + bext 8 + 648 + data 8 + 8 = 736
    + ascii("WAVE")
    + ascii("JUNK") + le32(28) + zeros(28)  // room for a ds64, should the file pass 4 GiB
    + ascii("fmt ") + le32(16)  // WAVEFORMATEX without extension: 16 bytes
    + le16(1)  // format tag 1 = PCM
    + le16(2)  // 2 channels
    + le32(48_000)  // 48 kHz = 0xBB80
    + le32(192_000)  // byte rate 48000 x 4 = 0x2EE00
    + le16(4)  // block align: 2 channels x 2 bytes
    + le16(16)  // bits per sample
    + ascii("bext") + le32(648) + stereoBroadcastBody  // the Broadcast Wave extension
    + ascii("data") + le32(8)  // data size: 2 frames x 4 bytes; the first sample at 12 + 36 + 24 + 656 + 8 = 736
    + [0x01, 0x00, 0xFF, 0xFF]  // frame 0: L = +1, R = -1
    + [0xFF, 0x7F, 0x00, 0x80]  // frame 1: L = +32767, R = -32768

private let stereoHeader = Array(stereoFile.prefix(736))
private let stereoSamples = Array(stereoFile.dropFirst(736))

// MARK: - Fixture: 24-bit mono, one frame (odd data size)

/// The bext of the 24-bit mono fixture, as `BroadcastExtension(description:...startUnixNanoseconds:...)` makes it
/// for a take started at 2026-11-29T12:00:00.5Z.
private let monoBroadcastBody: [UInt8] =
    ascii("take 2") + zeros(250)  // Description
    + ascii("audiostreamer") + zeros(19)  // Originator
    + zeros(32)  // OriginatorReference: empty
    + ascii("2026-11-29")  // OriginationDate
    + ascii("12-00-00")  // OriginationTime: the whole second
    + le32(0x7B98_FDC0)  // TimeReferenceLow: 2 073 624 000 samples since midnight
    + le32(0)  // TimeReferenceHigh
    + le16(1)  // Version 1
    + zeros(64)  // UMID
    + zeros(190)  // Reserved
    + ascii("A=PCM,F=48000,W=24,M=mono,T=audiostreamer\r\n")  // CodingHistory: 43 bytes
    + [0x00]  // 602 + 43 = 645: padded to 646

/// The whole 24-bit mono file after `finish()`: header, one frame, the data chunk's pad byte.
private let monoFile: [UInt8] =
    ascii("RIFF")
    + le32(754)  // WAVE 4 + JUNK 36 + fmt 48 + bext 654 + data 8 + 3 + pad 1 = 754: the pad counts
    + ascii("WAVE")
    + ascii("JUNK") + le32(28) + zeros(28)
    + ascii("fmt ") + le32(40)  // WAVE_FORMAT_EXTENSIBLE for more than 16 bits: 40 bytes
    + le16(0xFFFE)  // format tag: extensible
    + le16(1)  // 1 channel
    + le32(48_000)  // 48 kHz
    + le32(144_000)  // byte rate 48000 x 3 = 0x23280
    + le16(3)  // block align: 3 bytes
    + le16(24)  // bits per sample
    + le16(22)  // cbSize: 22 more bytes
    + le16(24)  // valid bits per sample
    + le32(0)  // channel mask: no speaker position
    // SubFormat KSDATAFORMAT_SUBTYPE_PCM {00000001-0000-0010-8000-00AA00389B71}: the real tag, 1, first.
    + le16(1) + [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
    + ascii("bext") + le32(646) + monoBroadcastBody
    + ascii("data") + le32(3)  // data size 3: the pad byte does not count; first sample at 12+36+48+654+8 = 758
    + [0x56, 0x34, 0x12]  // one sample, 0x123456 little-endian
    + [0x00]  // pad byte: chunks end on an even offset

private let monoHeader = Array(monoFile.prefix(758))

// MARK: - Tests

@Suite struct WAVWriterBroadcastExtensionTests {
    @Test("the bext body field by field (EBU Tech 3285 version 1), padded to an even length")
    func body() {
        #expect(BroadcastExtension.fixedByteCount == 256 + 32 + 32 + 10 + 8 + 4 + 4 + 2 + 64 + 190)
        #expect(stereoBroadcast.body == stereoBroadcastBody)
        #expect(stereoBroadcast.body.count == 648)
    }

    @Test("made from a start instant: date, time, samples since midnight and coding history")
    func fromStart() {
        let made = BroadcastExtension(
            description: "take 1", originator: "audiostreamer", startUnixNanoseconds: noon + 500_000_000,
            sampleRate: 48_000, format: stereo16)
        #expect(made == stereoBroadcast)
        #expect(made.timeReference == (12 * 3600) * 48_000 + 24_000)  // 12 h, then half a second
        let mono = BroadcastExtension(
            description: "take 2", originator: "audiostreamer", startUnixNanoseconds: noon + 500_000_000,
            sampleRate: 48_000, format: mono24)
        #expect(mono.body == monoBroadcastBody)
    }

    @Test("the instant's parts: midnight of 1970, and the last nanosecond of 2026")
    func dateAndTimeFields() {
        let epoch = BroadcastExtension(
            description: "", originator: "x", startUnixNanoseconds: 0, sampleRate: 48_000, format: stereo16)
        #expect(epoch.originationDate == "1970-01-01")
        #expect(epoch.originationTime == "00-00-00")
        #expect(epoch.timeReference == 0)
        // 2026-12-31T23:59:59.999999999Z: 86 399 s x 48000 + 47 999 (the sample at or before the instant).
        let last = BroadcastExtension(
            description: "", originator: "x", startUnixNanoseconds: 1_798_761_599_999_999_999, sampleRate: 48_000,
            format: stereo16)
        #expect(last.originationDate == "2026-12-31")
        #expect(last.originationTime == "23-59-59")
        #expect(last.timeReference == 4_147_199_999)
    }

    @Test("TimeReference past 2^32 samples: split into its low and high words")
    func timeReferenceHighWord() {
        // 20:00:00 at 96 kHz: 72 000 s x 96 000 = 6 912 000 000 = 0x1_9BFC_C000.
        let late = BroadcastExtension(
            description: "", originator: "x", startUnixNanoseconds: 1_795_982_400_000_000_000, sampleRate: 96_000,
            format: PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 96_000))
        #expect(late.originationTime == "20-00-00")
        #expect(late.timeReference == 6_912_000_000)
        let offset = 256 + 32 + 32 + 10 + 8  // TimeReferenceLow
        #expect(Array(late.body[offset..<offset + 8]) == le32(0x9BFC_C000) + le32(1))
    }

    @Test("coding history: the sample width and the channel mode")
    func codingHistory() {
        func history(_ format: PCMFormat) -> String {
            BroadcastExtension(
                description: "", originator: "rec", startUnixNanoseconds: noon, sampleRate: format.sampleRate,
                format: format
            ).codingHistory
        }
        #expect(history(mono24) == "A=PCM,F=48000,W=24,M=mono,T=rec\r\n")
        #expect(
            history(PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 44_100))
                == "A=PCM,F=44100,W=16,M=stereo,T=rec\r\n")
        #expect(
            history(PCMFormat(encoding: .float32, channelCount: 8, sampleRate: 96_000))
                == "A=PCM,F=96000,W=32,M=multichannel,T=rec\r\n")
    }

    @Test("text longer than its field is cut to the field")
    func longFieldsCut() {
        var long = stereoBroadcast
        long.description = String(repeating: "d", count: 300)
        long.originator = String(repeating: "o", count: 40)
        let body = long.body
        #expect(body.count == 648)
        #expect(Array(body[0..<256]) == [UInt8](repeating: UInt8(ascii: "d"), count: 256))
        #expect(Array(body[256..<288]) == [UInt8](repeating: UInt8(ascii: "o"), count: 32))
        #expect(Array(body[288...]) == Array(stereoBroadcastBody[288...]))
    }
}

@Suite struct WAVWriterLayoutTests {
    @Test("the header of a small 16-bit stereo file, every byte")
    func stereoHeaderBytes() {
        let layout = WAVFileLayout(format: stereo16, broadcast: stereoBroadcast)
        #expect(layout.dataOffset == 736)
        #expect(layout.header(dataBytes: 8) == stereoHeader)
        #expect(!layout.needsRF64(dataBytes: 8))
    }

    @Test("the header of a 24-bit mono file: WAVE_FORMAT_EXTENSIBLE, and an odd data size")
    func monoHeaderBytes() {
        let broadcast = BroadcastExtension(
            description: "take 2", originator: "audiostreamer", startUnixNanoseconds: noon + 500_000_000,
            sampleRate: 48_000, format: mono24)
        let layout = WAVFileLayout(format: mono24, broadcast: broadcast)
        #expect(layout.dataOffset == 758)
        #expect(layout.header(dataBytes: 3) == monoHeader)
    }

    @Test("RIFF up to a RIFF size of 0xFFFFFFFF, RF64 past it")
    func rf64Threshold() {
        let layout = WAVFileLayout(format: stereo16, broadcast: stereoBroadcast)
        // RIFF size = 728 (header after the size field) + data: the most whole frames under 2^32 - 1 bytes.
        let largest: Int64 = 4_294_966_564  // 728 + 4 294 966 564 = 0xFFFFFFFC
        #expect(!layout.needsRF64(dataBytes: largest))
        #expect(layout.needsRF64(dataBytes: largest + 4))
        let riff = layout.header(dataBytes: largest)
        #expect(Array(riff[0..<12]) == ascii("RIFF") + le32(0xFFFF_FFFC) + ascii("WAVE"))
        #expect(Array(riff[12..<48]) == ascii("JUNK") + le32(28) + zeros(28))
        #expect(Array(riff.suffix(8)) == ascii("data") + le32(4_294_966_564))

        let large = layout.header(dataBytes: largest + 4)
        #expect(large.count == riff.count)  // the same layout: ds64 takes the JUNK's place
        #expect(
            Array(large[0..<48]) == ascii("RF64") + le32(0xFFFF_FFFF) + ascii("WAVE")  // size: see ds64
                + ascii("ds64") + le32(28)
                + le64(0x1_0000_0000)  // RIFF size: 728 + 4 294 966 568 = 2^32
                + le64(4_294_966_568)  // data size
                + le64(1_073_741_642)  // sample count: 4 294 966 568 / 4 bytes a frame
                + le32(0))  // no table of other chunk sizes
        #expect(Array(large[48..<728]) == Array(stereoHeader[48..<728]))  // fmt and bext unchanged
        #expect(Array(large.suffix(8)) == ascii("data") + le32(0xFFFF_FFFF))
    }

    @Test("an odd data size's pad byte counts toward the RIFF limit")
    func padByteCountsTowardTheLimit() {
        let layout = WAVFileLayout(
            format: mono24,
            broadcast: BroadcastExtension(
                description: "take 2", originator: "audiostreamer", startUnixNanoseconds: noon, sampleRate: 48_000,
                format: mono24))
        // 750 + 4 294 966 545 = 0xFFFFFFFF, but the pad byte makes it 2^32.
        #expect(layout.needsRF64(dataBytes: 4_294_966_545))
        #expect(!layout.needsRF64(dataBytes: 4_294_966_544))
        #expect(Array(layout.header(dataBytes: 4_294_966_544).prefix(8)) == ascii("RIFF") + le32(0xFFFF_FFFE))
    }

    @Test("replacing the bext keeps the layout; one of another size is refused")
    func replaceBroadcast() {
        // A recorder creates its file before the take's start is known, then fills it in.
        let placeholder = BroadcastExtension(
            description: "take 1", originator: "audiostreamer", startUnixNanoseconds: 0, sampleRate: 48_000,
            format: stereo16)
        var layout = WAVFileLayout(format: stereo16, broadcast: placeholder)
        #expect(layout.dataOffset == 736)
        let replaced = layout.replaceBroadcast(stereoBroadcast)
        #expect(replaced)
        #expect(layout.dataOffset == 736)
        #expect(layout.header(dataBytes: 8) == stereoHeader)

        var longer = stereoBroadcast
        longer.codingHistory += "A=PCM\r\n"
        let refused = !layout.replaceBroadcast(longer)
        #expect(refused)
        #expect(layout.extensionChunk == stereoBroadcastBody)
        #expect(layout.dataOffset == 736)
    }
}

@Suite struct WAVWriterTests {
    @Test("a small 16-bit stereo file: header, samples, sizes patched, made durable, read back")
    func smallStereoFile() throws {
        let sink = MemorySink()
        let writer = try WAVWriter(sink: sink, format: stereo16, broadcast: stereoBroadcast)
        // The header of an empty file first: RIFF size 728, data size 0.
        #expect(sink.bytes == WAVFileLayout(format: stereo16, broadcast: stereoBroadcast).header(dataBytes: 0))
        #expect(Array(sink.bytes[4..<8]) == le32(728))
        #expect(Array(sink.bytes.suffix(4)) == le32(0))

        try stereoSamples.withUnsafeBytes { try writer.append($0) }
        #expect(writer.dataBytes == 8)
        #expect(writer.frames == 2)
        try writer.finish()
        #expect(sink.bytes == stereoFile)
        #expect(sink.synchronizations == 1)

        let read = try WAVLayout(parsing: sink.bytes)
        #expect(read.format == stereo16)
        #expect(read.dataOffset == 736)  // JUNK and bext skipped
        #expect(read.dataByteCount == 8)
        #expect(read.declaredDataByteCount == 8)
        #expect(!read.isTruncated)
    }

    @Test("24-bit mono with an odd data size: finish() writes the pad byte, counted in RIFF but not in data")
    func oddDataSize() throws {
        let sink = MemorySink()
        let broadcast = BroadcastExtension(
            description: "take 2", originator: "audiostreamer", startUnixNanoseconds: noon + 500_000_000,
            sampleRate: 48_000, format: mono24)
        let writer = try WAVWriter(sink: sink, format: mono24, broadcast: broadcast)
        let sample: [UInt8] = [0x56, 0x34, 0x12]
        try sample.withUnsafeBytes { try writer.append($0) }
        #expect(sink.end == 761)  // no pad byte yet
        try writer.finish()
        #expect(sink.end == 762)
        #expect(sink.bytes == monoFile)
        #expect(writer.dataBytes == 3)

        let read = try WAVLayout(parsing: sink.bytes)
        #expect(read.format == mono24)
        #expect(read.dataOffset == 758)
        #expect(read.dataByteCount == 3)
        #expect(read.declaredDataByteCount == 3)
    }

    @Test("the header is rewritten only when the sizes changed")
    func patchOnlyWhenChanged() throws {
        let sink = MemorySink()
        let writer = try WAVWriter(sink: sink, format: stereo16, broadcast: stereoBroadcast)
        #expect(sink.headerWrites == 1)
        #expect(writer.patchedBytes == 0)
        try writer.patchSizes()
        #expect(sink.headerWrites == 1)
        try [UInt8]().withUnsafeBytes { try writer.append($0) }  // nothing to write
        try writer.patchSizes()
        #expect(sink.headerWrites == 1)
        #expect(sink.end == 736)
        try stereoSamples.withUnsafeBytes { try writer.append($0) }
        try writer.patchSizes()
        #expect(sink.headerWrites == 2)
        #expect(writer.patchedBytes == 8)
        #expect(sink.bytes == stereoFile)  // a valid file before finish()
    }

    @Test("replacing the bext rewrites the header at the next patch, the samples where they were")
    func replaceBroadcast() throws {
        let placeholder = BroadcastExtension(
            description: "take 1", originator: "audiostreamer", startUnixNanoseconds: 0, sampleRate: 48_000,
            format: stereo16)
        let sink = MemorySink()
        let writer = try WAVWriter(sink: sink, format: stereo16, broadcast: placeholder)
        try stereoSamples.withUnsafeBytes { try writer.append($0) }
        try writer.patchSizes()
        #expect(Array(sink.bytes[736...]) == stereoSamples)
        #expect(sink.bytes != stereoFile)  // the placeholder's date, time and time reference

        #expect(writer.replaceBroadcast(stereoBroadcast))
        #expect(writer.layout.dataOffset == 736)
        try writer.patchSizes()  // the sizes are the same, the bext is not
        #expect(sink.headerWrites == 3)
        #expect(sink.bytes == stereoFile)

        var longer = stereoBroadcast
        longer.codingHistory += "A=PCM\r\n"
        #expect(!writer.replaceBroadcast(longer))
        try writer.patchSizes()
        #expect(sink.headerWrites == 3)
        #expect(sink.bytes == stereoFile)
    }

    @Test("past 4 GiB the header becomes RF64, with the sizes in ds64")
    func rf64() throws {
        // Keep only the header; the samples are counted, not stored.
        let sink = MemorySink(keptBytes: 4096)
        let writer = try WAVWriter(sink: sink, format: stereo16, broadcast: stereoBroadcast)
        let block = zeros(4 << 20)  // 4 MiB = 1 048 576 frames
        try block.withUnsafeBytes { buffer in
            for _ in 0..<1023 { try writer.append(buffer) }
        }
        try writer.patchSizes()
        // 1023 x 4 MiB = 4 290 772 992 bytes: still RIFF, size 728 + that = 0xFFC002D8.
        #expect(Array(sink.bytes[0..<12]) == ascii("RIFF") + le32(0xFFC0_02D8) + ascii("WAVE"))
        #expect(Array(sink.bytes[12..<16]) == ascii("JUNK"))
        #expect(Array(sink.bytes[728..<736]) == ascii("data") + le32(0xFFC0_0000))

        try block.withUnsafeBytes { try writer.append($0) }
        try writer.finish()
        // 1024 x 4 MiB = 2^32 bytes of audio: RIFF size 728 + 2^32 does not fit 32 bits.
        #expect(writer.dataBytes == 1 << 32)
        #expect(writer.frames == 1 << 30)
        #expect(sink.end == 736 + (1 << 32))
        #expect(
            Array(sink.bytes[0..<48]) == ascii("RF64")
                + le32(0xFFFF_FFFF)  // -1: see ds64
                + ascii("WAVE")
                + ascii("ds64") + le32(28)
                + le64(0x1_0000_02D8)  // RIFF size: 728 + 2^32
                + le64(0x1_0000_0000)  // data size: 2^32
                + le64(0x4000_0000)  // sample count: 2^32 / 4 bytes a frame = 2^30
                + le32(0))  // table length
        #expect(Array(sink.bytes[48..<728]) == Array(stereoHeader[48..<728]))  // fmt and bext as they were
        #expect(Array(sink.bytes[728..<736]) == ascii("data") + le32(0xFFFF_FFFF))
        #expect(sink.synchronizations == 1)
    }
}
