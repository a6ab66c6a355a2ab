import Interfaces
import PCM
import Sender
import Testing

// Packets as bytes: a 12-byte RTP header (RFC 3550 section 5.1) then L16/L24 samples in network order.
// The timestamp of a packet is the sample position of its first frame (RFC 3550 section 5.1, RFC 3551
// section 4.5: the clock rate of L16/L24 is the sample rate).

/// Builds one packet from little-endian frames and copies it out.
private func packet(_ packetizer: Packetizer, _ frames: [UInt8]) -> (bytes: [UInt8], clipped: Int) {
    frames.withUnsafeBytes { raw in
        let result = packetizer.packet(from: raw)
        return (Array(result.bytes), result.clipped)
    }
}

/// Sequence number from bytes 2-3, big-endian.
private func sequenceNumber(_ bytes: [UInt8]) -> UInt16 { UInt16(bytes[2]) << 8 | UInt16(bytes[3]) }

/// Timestamp from bytes 4-7, big-endian.
private func timestamp(_ bytes: [UInt8]) -> UInt32 { bytes[4..<8].reduce(0) { $0 << 8 | UInt32($1) } }

@Suite struct PacketizerTests {
    @Test func packetBytesAsFixture() {
        let packetizer = Packetizer(
            source: .signed16, encoding: .l16, channelCount: 2, framesPerPacket: 2, payloadType: 96,
            ssrc: 0x1122_3344, initialSequenceNumber: 0x0102, initialTimestamp: 0x0A0B_0C0D)
        // Two stereo frames, little-endian: (+1, -1), (0x1234, -32768).
        let frames: [UInt8] = [0x01, 0x00, 0xFF, 0xFF, 0x34, 0x12, 0x00, 0x80]
        let first = packet(packetizer, frames)
        #expect(
            first.bytes == [
                0x80,  // V=2 P=0 X=0 CC=0
                0x60,  // M=0 PT=96
                0x01, 0x02,  // sequence number 0x0102, the initial one
                0x0A, 0x0B, 0x0C, 0x0D,  // timestamp 0x0A0B0C0D, the initial one
                0x11, 0x22, 0x33, 0x44,  // SSRC
                0x00, 0x01, 0xFF, 0xFF,  // frame 0: +1, -1 big-endian
                0x12, 0x34, 0x80, 0x00,  // frame 1: 0x1234, -32768 big-endian
            ])
        #expect(first.clipped == 0)
        let second = packet(packetizer, frames)
        #expect(
            Array(second.bytes[0..<12]) == [
                0x80, 0x60,  // unchanged
                0x01, 0x03,  // sequence number + 1
                0x0A, 0x0B, 0x0C, 0x0F,  // timestamp + 2 frames
                0x11, 0x22, 0x33, 0x44,  // SSRC unchanged
            ])
    }

    @Test func sequenceNumberWraps() {
        let packetizer = Packetizer(
            source: .signed16, encoding: .l16, channelCount: 1, framesPerPacket: 1, payloadType: 96, ssrc: 1,
            initialSequenceNumber: 65_534, initialTimestamp: 0)
        let frame: [UInt8] = [0x00, 0x00]
        let numbers = (0..<4).map { _ in sequenceNumber(packet(packetizer, frame).bytes) }
        // 65534, 65535, then modulo 2^16: 0, 1.
        #expect(numbers == [65_534, 65_535, 0, 1])
        #expect(packetizer.nextSequenceNumber == 2)
    }

    @Test func timestampWraps() {
        // 16 frames a packet from 0xFFFFFFE0: 0xFFFFFFE0, 0xFFFFFFF0, then modulo 2^32: 0x00000000, 0x00000010.
        let packetizer = Packetizer(
            source: .signed16, encoding: .l16, channelCount: 1, framesPerPacket: 16, payloadType: 96, ssrc: 1,
            initialSequenceNumber: 0, initialTimestamp: 0xFFFF_FFE0)
        let frames = [UInt8](repeating: 0, count: 32)
        let stamps = (0..<4).map { _ in timestamp(packet(packetizer, frames).bytes) }
        #expect(stamps == [0xFFFF_FFE0, 0xFFFF_FFF0, 0x0000_0000, 0x0000_0010])
        #expect(packetizer.framePosition == 64)
        // Far past the wrap: 0xFFFFFFE0 + 2^32 + 5 = 0xFFFFFFE5 modulo 2^32.
        #expect(packetizer.timestamp(atFrame: (1 << 32) + 5) == 0xFFFF_FFE5)
    }

    /// The timestamp is the initial one plus the frame position, so a short last packet advances it by
    /// only the frames it holds.
    @Test func shortLastPacket() {
        let packetizer = Packetizer(
            source: .signed16, encoding: .l16, channelCount: 2, framesPerPacket: 4, payloadType: 97, ssrc: 9,
            initialSequenceNumber: 100, initialTimestamp: 1_000)
        // 10 stereo frames: packets of 4, 4 and 2 frames.
        let frames = (0..<10).map { frame in [UInt8(frame), 0x00, UInt8(frame), 0x80] }
        let packets = [frames[0..<4], frames[4..<8], frames[8..<10]].map { packet(packetizer, $0.flatMap { $0 }).bytes }
        #expect(packets.map(timestamp) == [1_000, 1_004, 1_008])
        #expect(packets.map(sequenceNumber) == [100, 101, 102])
        // 12 header bytes + frames x 2 channels x 2 bytes.
        #expect(packets.map(\.count) == [12 + 16, 12 + 16, 12 + 8])
        // The last packet: frames 8 and 9, left = frame number, right = frame number - 32768.
        #expect(Array(packets[2][12...]) == [0x00, 0x08, 0x80, 0x08, 0x00, 0x09, 0x80, 0x09])
        #expect(packetizer.framePosition == 10)
        #expect(packetizer.packetCount == 3)
        // The next packet would start at frame 10.
        #expect(packetizer.timestamp(atFrame: packetizer.framePosition) == 1_010)
    }

    /// A short packet followed by more (a looping source wrapping around): the next timestamp is the frame
    /// position, not packets x framesPerPacket.
    @Test func shortPacketInTheMiddle() {
        let packetizer = Packetizer(
            source: .signed16, encoding: .l16, channelCount: 1, framesPerPacket: 4, payloadType: 96, ssrc: 9,
            initialSequenceNumber: 0, initialTimestamp: 1_000)
        let four = [UInt8](repeating: 0, count: 8)
        let two = [UInt8](repeating: 0, count: 4)
        let stamps = [four, two, four, four].map { timestamp(packet(packetizer, $0).bytes) }
        // Frame positions 0, 4, 6, 10.
        #expect(stamps == [1_000, 1_004, 1_006, 1_010])
        #expect(packetizer.framePosition == 14)
    }

    @Test func payloadIsTheConvertedSamples24Bit() {
        // 24-bit stereo to L24: each 3-byte sample reversed.
        let packetizer = Packetizer(
            source: .signed24, encoding: .l24, channelCount: 2, framesPerPacket: 2, payloadType: 96, ssrc: 1,
            initialSequenceNumber: 0, initialTimestamp: 0)
        // (0x123456, -1), (0x7FFFFF, -8388608), little-endian.
        let frames: [UInt8] = [0x56, 0x34, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00, 0x00, 0x80]
        let result = packet(packetizer, frames)
        #expect(Array(result.bytes[12...]) == [0x12, 0x34, 0x56, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0x80, 0x00, 0x00])
        #expect(result.clipped == 0)
    }

    @Test func payloadIsTheConvertedSamplesNarrowed() {
        // 24-bit mono to L16: (v + 0x80) >> 8, saturating.
        let packetizer = Packetizer(
            source: .signed24, encoding: .l16, channelCount: 1, framesPerPacket: 3, payloadType: 96, ssrc: 1,
            initialSequenceNumber: 0, initialTimestamp: 0)
        // 0x123456 -> 0x1234; 0x000080 -> 0x0001 (half up); 0x7FFFFF -> 0x7FFF (saturated, counted).
        let frames: [UInt8] = [0x56, 0x34, 0x12, 0x80, 0x00, 0x00, 0xFF, 0xFF, 0x7F]
        let result = packet(packetizer, frames)
        #expect(Array(result.bytes[12...]) == [0x12, 0x34, 0x00, 0x01, 0x7F, 0xFF])
        #expect(result.clipped == 1)
        #expect(result.bytes.count == 12 + 3 * 2)
    }

    @Test func payloadFromFloatCountsClips() {
        // float32 stereo to L24: (+1.0, -1.0) -> (0x7FFFFF clipped, 0x800000 exact);
        // (0.5, NaN) -> (0x400000, 0 counted).
        let packetizer = Packetizer(
            source: .float32, encoding: .l24, channelCount: 2, framesPerPacket: 2, payloadType: 96, ssrc: 1,
            initialSequenceNumber: 0, initialTimestamp: 0)
        let frames: [UInt8] = [
            0x00, 0x00, 0x80, 0x3F,  // +1.0 = 0x3F800000
            0x00, 0x00, 0x80, 0xBF,  // -1.0 = 0xBF800000
            0x00, 0x00, 0x00, 0x3F,  // 0.5 = 0x3F000000
            0x00, 0x00, 0xC0, 0x7F,  // NaN = 0x7FC00000
        ]
        let result = packet(packetizer, frames)
        #expect(Array(result.bytes[12...]) == [0x7F, 0xFF, 0xFF, 0x80, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00])
        #expect(result.clipped == 2)
    }

    @Test func eightBitWidensToL16() {
        let packetizer = Packetizer(
            source: .unsigned8, encoding: .l16, channelCount: 1, framesPerPacket: 4, payloadType: 11, ssrc: 1,
            initialSequenceNumber: 0, initialTimestamp: 0)
        // 0x80 silence, 0xFF +127, 0x00 -128, 0x81 +1 -> (x - 128) << 8 big-endian.
        let result = packet(packetizer, [0x80, 0xFF, 0x00, 0x81])
        #expect(result.bytes[1] == 0x0B)  // M=0 PT=11
        #expect(Array(result.bytes[12...]) == [0x00, 0x00, 0x7F, 0x00, 0x80, 0x00, 0x01, 0x00])
    }
}
