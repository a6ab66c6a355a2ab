import PCM
import Receiver
import Testing

/// The reorder window on hand-made packets: placed by position, released in order, gaps as silence of their exact
/// length, duplicates and late packets told apart, memory fixed.
@Suite struct JitterBufferTests {
    /// Every run `release` hands out, with its bytes copied.
    static func released(_ buffer: JitterBuffer, upTo position: Int64) -> [(start: Int64, count: Int, bytes: [UInt8]?)]
    {
        var runs: [(Int64, Int, [UInt8]?)] = []
        buffer.release(upTo: position) { start, count, bytes in runs.append((start, count, bytes.map { Array($0) })) }
        return runs
    }

    static func place(_ buffer: JitterBuffer, at position: Int64, count: Int = 48) -> JitterBuffer.Placement {
        Fixture.payload(first: position, count: count).withUnsafeBytes { buffer.place(position: position, payload: $0) }
            .placement
    }

    @Test("packets in order come out as one run, converted from big-endian to the file's little-endian")
    func inOrder() {
        let buffer = JitterBuffer(encoding: .l16, channelCount: 1, capacity: 1000, start: 0)
        for position in [0, 48, 96] as [Int64] { #expect(Self.place(buffer, at: position) == .placed(lateFrames: 0)) }
        let runs = Self.released(buffer, upTo: 144)
        #expect(runs.count == 1)
        #expect(runs.first?.start == 0 && runs.first?.count == 144)
        #expect(runs.first?.bytes == Fixture.fileSamples(0..<144))
        #expect(buffer.releasedUpTo == 144)
    }

    @Test("reordered packets come out in order")
    func reordered() {
        let buffer = JitterBuffer(encoding: .l16, channelCount: 1, capacity: 1000, start: 0)
        for position in [96, 0, 48] as [Int64] { _ = Self.place(buffer, at: position) }
        #expect(buffer.lowestStart == 0 && buffer.highestEnd == 144)
        #expect(Self.released(buffer, upTo: 144).first?.bytes == Fixture.fileSamples(0..<144))
    }

    @Test("a missing packet is a run of silence of exactly its length at exactly its place")
    func gap() {
        let buffer = JitterBuffer(encoding: .l16, channelCount: 1, capacity: 1000, start: 0)
        _ = Self.place(buffer, at: 0)
        _ = Self.place(buffer, at: 96)
        let runs = Self.released(buffer, upTo: 144)
        #expect(runs.map(\.start) == [0, 48, 96])
        #expect(runs.map(\.count) == [48, 48, 48])
        #expect(runs[1].bytes == nil)
        #expect(runs[2].bytes == Fixture.fileSamples(96..<144))
    }

    @Test("a copy is a duplicate; a packet whose place went out is late; one that straddles keeps its fresh part")
    func duplicatesAndLate() {
        let buffer = JitterBuffer(encoding: .l16, channelCount: 1, capacity: 1000, start: 0)
        #expect(Self.place(buffer, at: 0) == .placed(lateFrames: 0))
        #expect(Self.place(buffer, at: 0) == .duplicate)
        _ = Self.released(buffer, upTo: 48)
        #expect(Self.place(buffer, at: 0) == .late)
        // Frames 24-47 were released (as what had been placed there); 48-71 are new.
        #expect(Self.place(buffer, at: 24) == .placed(lateFrames: 24))
        let runs = Self.released(buffer, upTo: 72)
        #expect(runs.first?.start == 48 && runs.first?.bytes == Fixture.fileSamples(48..<72))
    }

    @Test("a packet beyond the window says how far to release first; memory stays the window's")
    func beyondTheWindow() {
        let buffer = JitterBuffer(encoding: .l16, channelCount: 1, capacity: 100, start: 0)
        #expect(Self.place(buffer, at: 80) == .beyondWindow(releaseTo: 28))
        _ = Self.released(buffer, upTo: 28)
        #expect(Self.place(buffer, at: 80) == .placed(lateFrames: 0))
    }

    @Test("across the ring's wrap, frames stay whole and in order (stereo 24-bit)")
    func wraps() {
        let buffer = JitterBuffer(encoding: .l24, channelCount: 2, capacity: 100, start: 0)
        var out: [UInt8] = []
        for packet in 0..<20 {
            let position = Int64(packet * 30)
            // Samples: frame number in the left channel's low byte, its complement in the right's.
            let payload = (0..<30).flatMap { index -> [UInt8] in
                let frame = UInt8(truncatingIfNeeded: Int(position) + index)
                return [0, 0, frame, 0xFF, 0xFF, ~frame]
            }
            #expect(
                payload.withUnsafeBytes { buffer.place(position: position, payload: $0) }.placement
                    == .placed(lateFrames: 0))
            for run in Self.released(buffer, upTo: position + 30) { out += run.bytes ?? [] }
        }
        let expected = (0..<600).flatMap { frame -> [UInt8] in
            let value = UInt8(truncatingIfNeeded: frame)
            return [value, 0, 0, ~value, 0xFF, 0xFF]
        }
        #expect(out == expected)
    }

    @Test("the peak is the largest magnitude placed, full scale for the most negative value")
    func peak() {
        let buffer = JitterBuffer(encoding: .l16, channelCount: 1, capacity: 100, start: 0)
        let samples: [UInt8] = [0x7F, 0xFF, 0x80, 0x00, 0x00, 0x10]  // 32767, -32768, 16
        #expect(samples.withUnsafeBytes { buffer.place(position: 0, payload: $0) }.peak == 32_768)
    }
}
