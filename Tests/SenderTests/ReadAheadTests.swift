import Interfaces
import PCM
import TestSupport
import Testing
import WAV

@testable import Sender

/// The read-ahead ring hands out exactly the frames of its source, in order, across its wrap-around, whatever the
/// packet size, and loops the source on request.
struct ReadAheadTests {
    static let format = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)

    /// A WAV reader over `frames` frames of seeded random samples, and those samples.
    static func source(frames: Int, seed: UInt64) throws -> (WAVFrameReader, [UInt8]) {
        var random = SplitMix64(state: seed)
        let samples = (0..<frames * format.bytesPerFrame).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let bytes = WAVHeader.bytes(format: format, dataByteCount: samples.count) + samples
        let source = MemoryByteSource(bytes)
        return (WAVFrameReader(source: source, layout: try WAVLayout(reading: source)), samples)
    }

    @Test(
        "frames come out as they went in, across the wrap-around",
        arguments: [(1, 1000), (7, 1000), (48, 1000), (48, 4096), (250, 2_000)])
    func framesPassUnchanged(_ framesPerPacket: Int, _ capacity: Int) throws {
        let (reader, samples) = try Self.source(frames: 3001, seed: UInt64(framesPerPacket))
        let ahead = ReadAheadSource(
            reader, capacity: capacity, maximumFrames: framesPerPacket, loops: false, clock: StillClock())
        var out: [UInt8] = []
        _ = ahead.fill()
        while true {
            let chunk = try ahead.nextFrames(framesPerPacket)
            if chunk.isEmpty { break }
            #expect(chunk.count % Self.format.bytesPerFrame == 0)
            out += chunk
            _ = ahead.fill()  // the reader runs between packets
        }
        #expect(out == samples)
        #expect(ahead.frameCount == 3001)
    }

    /// A disk that fails under the file part-way (EIO, a disk pulled out): the read-ahead hands out every frame read
    /// before the failure, then the error, with and without loops; it neither spins nor starts the file over.
    @Test("a read error mid-file: the frames before it intact, then the error", arguments: [false, true])
    func readErrorMidFile(loops: Bool) throws {
        let (_, samples) = try Self.source(frames: 3000, seed: 11)
        let bytes = WAVHeader.bytes(format: Self.format, dataByteCount: samples.count) + samples
        // The disk fails from the start of frame 1000 on.
        let failingFrom =
            WAVHeader.bytes(format: Self.format, dataByteCount: 0).count + 1000 * Self.format.bytesPerFrame
        let source = FailingByteSource(inner: MemoryByteSource(bytes), failingFrom: failingFrom)
        let reader = WAVFrameReader(source: source, layout: try WAVLayout(reading: source))
        let ahead = ReadAheadSource(reader, capacity: 600, maximumFrames: 48, loops: loops, clock: StillClock())
        var out: [UInt8] = []
        var failure: (any Error)?
        for _ in 0..<200 {
            _ = ahead.fill()
            do {
                let chunk = try ahead.nextFrames(48)
                if chunk.isEmpty { break }
                out += chunk
            } catch {
                failure = error
                break
            }
        }
        let before = Array(samples.prefix(1000 * Self.format.bytesPerFrame))
        let intact = out == before
        #expect(intact, "\(out.count / Self.format.bytesPerFrame) frames out, the first 1000 expected")
        let told = failure.map { "\($0)" } ?? "no error"
        #expect(told.contains("Input/output error"), "\(told)")
    }

    @Test("with loops the source starts again at its end and never ends")
    func loopsForever() throws {
        let (reader, samples) = try Self.source(frames: 100, seed: 9)
        let ahead = ReadAheadSource(reader, capacity: 2000, maximumFrames: 30, loops: true, clock: StillClock())
        #expect(ahead.frameCount == nil)
        var out: [UInt8] = []
        for _ in 0..<20 {
            _ = ahead.fill()
            out += try ahead.nextFrames(30)
        }
        // 20 packets of 30 frames: the 100-frame file six times over.
        #expect(out == Array((0..<6).map { _ in samples }.joined()))
    }
}

/// Bytes that read as `inner`'s up to `failingFrom`, and fail as a broken disk does from there on.
struct FailingByteSource: ByteSource {
    struct DiskError: Error, CustomStringConvertible {
        var description: String { "pread: Input/output error" }
    }

    var inner: MemoryByteSource
    var failingFrom: Int

    var byteCount: Int { inner.byteCount }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset < failingFrom else { throw DiskError() }
        let count = min(buffer.count, failingFrom - offset)
        return inner.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
    }
}
