import PCM
import Testing

// Byte fixtures for SampleConverter, derived by hand.
//
// Input: WAV samples, little-endian (RIFF). Output: RTP linear audio, signed two's complement in network
// byte order (big-endian): L16 is RFC 3551 section 4.5.11, L24 is RFC 3190 section 4.
//
// Rules the expectations follow (SampleConverter's documented contract):
// - widening (8 -> 16/24, 16 -> 24) is exact: unsigned 8-bit is re-centred ((x - 128)) and shifted up;
// - narrowing integers drops the low bits rounding to nearest with halves upwards (towards +infinity),
//   and saturates at the largest positive value, counting the clip;
// - floats are scaled by 2^(bits-1), rounded to nearest with halves away from zero, and clipped to
//   [-2^(bits-1), 2^(bits-1) - 1]; every clip and every NaN (sent as 0) is counted.

/// One conversion: little-endian file bytes of one sample in, big-endian network bytes out.
struct ConversionFixture: Sendable, CustomTestStringConvertible {
    let source: SampleEncoding
    let destination: AudioPayloadEncoding
    let input: [UInt8]
    let output: [UInt8]
    /// How many samples the converter must report as clipped (0 or 1 for one sample).
    let clipped: Int
    /// What the bytes are.
    let note: String

    init(
        _ source: SampleEncoding, _ destination: AudioPayloadEncoding, _ input: [UInt8], _ output: [UInt8],
        clipped: Int = 0, _ note: String
    ) {
        self.source = source
        self.destination = destination
        self.input = input
        self.output = output
        self.clipped = clipped
        self.note = note
    }

    var testDescription: String { "\(source) -> L\(destination.bytesPerSample * 8): \(note)" }
}

/// Little-endian bytes of a 32-bit pattern (a float32 as a WAV file stores it).
private func le32(_ bits: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: bits >> (8 * $0)) }
}

/// Little-endian bytes of a 64-bit pattern (a float64 as a WAV file stores it).
private func le64(_ bits: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: bits >> (8 * UInt64($0))) }
}

/// Runs the converter over `input` (whole samples) into a buffer pre-filled with 0xEE.
private func convert(
    _ input: [UInt8], from source: SampleEncoding, to destination: AudioPayloadEncoding, extraOutput: Int = 0
) -> (bytes: [UInt8], clipped: Int) {
    let count = input.count / source.byteCount
    var output = [UInt8](repeating: 0xEE, count: count * destination.bytesPerSample + extraOutput)
    let converter = SampleConverter(from: source, to: destination)
    let clipped = input.withUnsafeBytes { inputBytes in
        output.withUnsafeMutableBytes { outputBytes in
            converter.convert(inputBytes, into: outputBytes, sampleCount: count)
        }
    }
    return (output, clipped)
}

enum Fixtures {
    /// 8-bit unsigned: 128 is silence; (x - 128) << 8 for L16, << 16 for L24. Never clips.
    static let unsigned8: [ConversionFixture] = [
        // 0x80 = silence -> 0x0000
        .init(.unsigned8, .l16, [0x80], [0x00, 0x00], "zero"),
        // 0x80 = silence -> 0x000000
        .init(.unsigned8, .l24, [0x80], [0x00, 0x00, 0x00], "zero"),
        // 0x81 = +1 -> +1 << 8 = 0x0100
        .init(.unsigned8, .l16, [0x81], [0x01, 0x00], "+1 LSB"),
        // 0x81 = +1 -> +1 << 16 = 0x010000
        .init(.unsigned8, .l24, [0x81], [0x01, 0x00, 0x00], "+1 LSB"),
        // 0x7F = -1 -> -256 = 0xFF00
        .init(.unsigned8, .l16, [0x7F], [0xFF, 0x00], "-1 LSB"),
        // 0x7F = -1 -> -65536 = 0xFF0000
        .init(.unsigned8, .l24, [0x7F], [0xFF, 0x00, 0x00], "-1 LSB"),
        // 0xFF = +127 (positive full scale) -> 127 << 8 = 0x7F00
        .init(.unsigned8, .l16, [0xFF], [0x7F, 0x00], "full-scale positive"),
        // 0xFF = +127 -> 127 << 16 = 0x7F0000
        .init(.unsigned8, .l24, [0xFF], [0x7F, 0x00, 0x00], "full-scale positive"),
        // 0x00 = -128 (negative full scale) -> -32768 = 0x8000
        .init(.unsigned8, .l16, [0x00], [0x80, 0x00], "full-scale negative"),
        // 0x00 = -128 -> -8388608 = 0x800000
        .init(.unsigned8, .l24, [0x00], [0x80, 0x00, 0x00], "full-scale negative"),
    ]

    /// 16-bit signed little-endian: byte-swapped for L16, shifted up 8 bits for L24. Never clips.
    static let signed16: [ConversionFixture] = [
        // 0x0000 -> 0x0000
        .init(.signed16, .l16, [0x00, 0x00], [0x00, 0x00], "zero"),
        // 0x0000 -> 0x000000
        .init(.signed16, .l24, [0x00, 0x00], [0x00, 0x00, 0x00], "zero"),
        // LE 01 00 = +1 -> BE 00 01
        .init(.signed16, .l16, [0x01, 0x00], [0x00, 0x01], "+1 LSB"),
        // +1 -> +1 << 8 = 0x000100
        .init(.signed16, .l24, [0x01, 0x00], [0x00, 0x01, 0x00], "+1 LSB"),
        // LE FF FF = -1 -> BE FF FF
        .init(.signed16, .l16, [0xFF, 0xFF], [0xFF, 0xFF], "-1 LSB"),
        // -1 -> -256 = 0xFFFF00
        .init(.signed16, .l24, [0xFF, 0xFF], [0xFF, 0xFF, 0x00], "-1 LSB"),
        // LE 34 12 = 0x1234 -> BE 12 34: the byte order itself
        .init(.signed16, .l16, [0x34, 0x12], [0x12, 0x34], "0x1234 byte order"),
        // 0x1234 -> 0x123400
        .init(.signed16, .l24, [0x34, 0x12], [0x12, 0x34, 0x00], "0x1234 byte order"),
        // LE FF 7F = +32767 -> BE 7F FF
        .init(.signed16, .l16, [0xFF, 0x7F], [0x7F, 0xFF], "full-scale positive"),
        // +32767 -> 0x7FFF00
        .init(.signed16, .l24, [0xFF, 0x7F], [0x7F, 0xFF, 0x00], "full-scale positive"),
        // LE 00 80 = -32768 -> BE 80 00
        .init(.signed16, .l16, [0x00, 0x80], [0x80, 0x00], "full-scale negative"),
        // -32768 -> 0x800000
        .init(.signed16, .l24, [0x00, 0x80], [0x80, 0x00, 0x00], "full-scale negative"),
    ]

    /// 24-bit signed little-endian: byte-reversed for L24; for L16 (v + 0x80) >> 8, saturating at 0x7FFF.
    static let signed24: [ConversionFixture] = [
        // 0x000000 -> 0x0000
        .init(.signed24, .l16, [0x00, 0x00, 0x00], [0x00, 0x00], "zero"),
        // 0x000000 -> 0x000000
        .init(.signed24, .l24, [0x00, 0x00, 0x00], [0x00, 0x00, 0x00], "zero"),
        // +1 = 1/256 of an L16 step: rounds to 0
        .init(.signed24, .l16, [0x01, 0x00, 0x00], [0x00, 0x00], "+1 LSB"),
        // LE 01 00 00 -> BE 00 00 01
        .init(.signed24, .l24, [0x01, 0x00, 0x00], [0x00, 0x00, 0x01], "+1 LSB"),
        // -1 = -1/256 of an L16 step: rounds to 0
        .init(.signed24, .l16, [0xFF, 0xFF, 0xFF], [0x00, 0x00], "-1 LSB"),
        // LE FF FF FF -> BE FF FF FF
        .init(.signed24, .l24, [0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF], "-1 LSB"),
        // 0x000100 = exactly one L16 step -> 0x0001
        .init(.signed24, .l16, [0x00, 0x01, 0x00], [0x00, 0x01], "+1 L16 step"),
        // -0x000100 = 0xFFFF00 = exactly minus one L16 step -> 0xFFFF
        .init(.signed24, .l16, [0x00, 0xFF, 0xFF], [0xFF, 0xFF], "-1 L16 step"),
        // LE 56 34 12 = 0x123456 -> BE 12 34 56: the byte order itself
        .init(.signed24, .l24, [0x56, 0x34, 0x12], [0x12, 0x34, 0x56], "0x123456 byte order"),
        // 0x123456 = 0x1234 + 0x56/256 (< half) -> 0x1234
        .init(.signed24, .l16, [0x56, 0x34, 0x12], [0x12, 0x34], "0x123456 rounds down"),
        // 0x000080 = +0.5 L16 step: a half rounds upwards -> 0x0001
        .init(.signed24, .l16, [0x80, 0x00, 0x00], [0x00, 0x01], "+half rounds up"),
        // 0x00007F = just under half a step -> 0x0000
        .init(.signed24, .l16, [0x7F, 0x00, 0x00], [0x00, 0x00], "just under +half"),
        // 0x000180 = 1.5 steps: a half rounds upwards -> 0x0002
        .init(.signed24, .l16, [0x80, 0x01, 0x00], [0x00, 0x02], "1.5 steps rounds up"),
        // 0xFFFF80 = -128 = -0.5 step: a half rounds upwards, to 0 -> 0x0000
        .init(.signed24, .l16, [0x80, 0xFF, 0xFF], [0x00, 0x00], "-half rounds up to 0"),
        // 0xFFFF7F = -129 = just past -0.5 step -> -1 = 0xFFFF
        .init(.signed24, .l16, [0x7F, 0xFF, 0xFF], [0xFF, 0xFF], "just past -half"),
        // 0x7FFF7F = 32767 + 127/256: rounds down to the maximum, no clip -> 0x7FFF
        .init(.signed24, .l16, [0x7F, 0xFF, 0x7F], [0x7F, 0xFF], "largest that rounds to max"),
        // 0x7FFF80 = 32767.5: the half rounds up to 32768, which saturates at 0x7FFF and counts
        .init(.signed24, .l16, [0x80, 0xFF, 0x7F], [0x7F, 0xFF], clipped: 1, "half above max saturates"),
        // 0x7FFFFF = full-scale positive: rounds to 32768, saturates at 0x7FFF, counted
        .init(.signed24, .l16, [0xFF, 0xFF, 0x7F], [0x7F, 0xFF], clipped: 1, "full-scale positive saturates"),
        // 0x7FFFFF -> BE 7F FF FF
        .init(.signed24, .l24, [0xFF, 0xFF, 0x7F], [0x7F, 0xFF, 0xFF], "full-scale positive"),
        // 0x800000 = -8388608 = exactly -32768 steps -> 0x8000, no clip
        .init(.signed24, .l16, [0x00, 0x00, 0x80], [0x80, 0x00], "full-scale negative"),
        // 0x800000 -> BE 80 00 00
        .init(.signed24, .l24, [0x00, 0x00, 0x80], [0x80, 0x00, 0x00], "full-scale negative"),
    ]

    /// 32-bit signed little-endian: L24 is (v + 0x80) >> 8, L16 is (v + 0x8000) >> 16, both saturating.
    static let signed32: [ConversionFixture] = [
        // 0x00000000 -> 0x0000
        .init(.signed32, .l16, [0x00, 0x00, 0x00, 0x00], [0x00, 0x00], "zero"),
        // 0x00000000 -> 0x000000
        .init(.signed32, .l24, [0x00, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00], "zero"),
        // +1 = 1/65536 of an L16 step -> 0
        .init(.signed32, .l16, [0x01, 0x00, 0x00, 0x00], [0x00, 0x00], "+1 LSB"),
        // +1 = 1/256 of an L24 step -> 0
        .init(.signed32, .l24, [0x01, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00], "+1 LSB"),
        // -1 -> 0 in L16
        .init(.signed32, .l16, [0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00], "-1 LSB"),
        // -1 -> 0 in L24
        .init(.signed32, .l24, [0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x00], "-1 LSB"),
        // 0x00000100 = one L24 step -> 0x000001
        .init(.signed32, .l24, [0x00, 0x01, 0x00, 0x00], [0x00, 0x00, 0x01], "+1 L24 step"),
        // 0xFFFFFF00 = minus one L24 step -> 0xFFFFFF
        .init(.signed32, .l24, [0x00, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF], "-1 L24 step"),
        // 0x00010000 = one L16 step -> 0x0001
        .init(.signed32, .l16, [0x00, 0x00, 0x01, 0x00], [0x00, 0x01], "+1 L16 step"),
        // 0xFFFF0000 = minus one L16 step -> 0xFFFF
        .init(.signed32, .l16, [0x00, 0x00, 0xFF, 0xFF], [0xFF, 0xFF], "-1 L16 step"),
        // 0x12345678 = 0x123456 + 0x78/256 (< half) -> 0x123456
        .init(.signed32, .l24, [0x78, 0x56, 0x34, 0x12], [0x12, 0x34, 0x56], "0x12345678 rounds down"),
        // 0x12345678 = 0x1234 + 0x5678/65536 (< half) -> 0x1234
        .init(.signed32, .l16, [0x78, 0x56, 0x34, 0x12], [0x12, 0x34], "0x12345678 rounds down"),
        // 0x00000080 = +0.5 L24 step: half rounds upwards -> 0x000001
        .init(.signed32, .l24, [0x80, 0x00, 0x00, 0x00], [0x00, 0x00, 0x01], "+half rounds up"),
        // 0x0000007F = just under half an L24 step -> 0
        .init(.signed32, .l24, [0x7F, 0x00, 0x00, 0x00], [0x00, 0x00, 0x00], "just under +half"),
        // 0xFFFFFF80 = -0.5 L24 step: half rounds upwards, to 0
        .init(.signed32, .l24, [0x80, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x00], "-half rounds up to 0"),
        // 0x00008000 = +0.5 L16 step: half rounds upwards -> 0x0001
        .init(.signed32, .l16, [0x00, 0x80, 0x00, 0x00], [0x00, 0x01], "+half rounds up"),
        // 0x00007FFF = just under half an L16 step -> 0
        .init(.signed32, .l16, [0xFF, 0x7F, 0x00, 0x00], [0x00, 0x00], "just under +half"),
        // 0xFFFF8000 = -0.5 L16 step: half rounds upwards, to 0
        .init(.signed32, .l16, [0x00, 0x80, 0xFF, 0xFF], [0x00, 0x00], "-half rounds up to 0"),
        // 0x7FFFFF7F = 0x7FFFFF + 127/256: rounds down to the L24 maximum, no clip
        .init(.signed32, .l24, [0x7F, 0xFF, 0xFF, 0x7F], [0x7F, 0xFF, 0xFF], "largest that rounds to max"),
        // 0x7FFFFF80 = 0x7FFFFF.8: the half rounds up past the maximum, saturates, counted
        .init(
            .signed32, .l24, [0x80, 0xFF, 0xFF, 0x7F], [0x7F, 0xFF, 0xFF], clipped: 1, "half above max saturates"),
        // 0x7FFF7FFF = 0x7FFF + 0x7FFF/65536: rounds down to the L16 maximum, no clip
        .init(.signed32, .l16, [0xFF, 0x7F, 0xFF, 0x7F], [0x7F, 0xFF], "largest that rounds to max"),
        // 0x7FFF8000 = 0x7FFF.8: the half rounds up past the maximum, saturates, counted
        .init(.signed32, .l16, [0x00, 0x80, 0xFF, 0x7F], [0x7F, 0xFF], clipped: 1, "half above max saturates"),
        // 0x7FFFFFFF = full-scale positive: rounds to 0x800000, saturates at 0x7FFFFF, counted
        .init(
            .signed32, .l24, [0xFF, 0xFF, 0xFF, 0x7F], [0x7F, 0xFF, 0xFF], clipped: 1, "full-scale positive clips"),
        // 0x7FFFFFFF: rounds to 0x8000, saturates at 0x7FFF, counted
        .init(
            .signed32, .l16, [0xFF, 0xFF, 0xFF, 0x7F], [0x7F, 0xFF], clipped: 1, "full-scale positive saturates"),
        // 0x80000000 = -2^31 = exactly -2^23 L24 steps -> 0x800000, no clip
        .init(.signed32, .l24, [0x00, 0x00, 0x00, 0x80], [0x80, 0x00, 0x00], "full-scale negative"),
        // 0x80000000 = exactly -2^15 L16 steps -> 0x8000, no clip
        .init(.signed32, .l16, [0x00, 0x00, 0x00, 0x80], [0x80, 0x00], "full-scale negative"),
    ]

    /// 32-bit float: x * 32768 (L16) or x * 8388608 (L24), rounded half away from zero, clipped.
    static let float32: [ConversionFixture] = [
        // 0x00000000 = +0.0 -> 0
        .init(.float32, .l16, le32(0x0000_0000), [0x00, 0x00], "+0.0"),
        // +0.0 -> 0
        .init(.float32, .l24, le32(0x0000_0000), [0x00, 0x00, 0x00], "+0.0"),
        // 0x80000000 = -0.0 -> 0
        .init(.float32, .l16, le32(0x8000_0000), [0x00, 0x00], "-0.0"),
        // 0x38000000 = 2^-15 = one L16 step -> 0x0001
        .init(.float32, .l16, le32(0x3800_0000), [0x00, 0x01], "+1 L16 LSB"),
        // 2^-15 * 2^23 = 256 -> 0x000100
        .init(.float32, .l24, le32(0x3800_0000), [0x00, 0x01, 0x00], "+1 L16 LSB"),
        // 0xB8000000 = -2^-15 -> -1 = 0xFFFF
        .init(.float32, .l16, le32(0xB800_0000), [0xFF, 0xFF], "-1 L16 LSB"),
        // -2^-15 * 2^23 = -256 = 0xFFFF00
        .init(.float32, .l24, le32(0xB800_0000), [0xFF, 0xFF, 0x00], "-1 L16 LSB"),
        // 0x34000000 = 2^-23 = one L24 step -> 0x000001
        .init(.float32, .l24, le32(0x3400_0000), [0x00, 0x00, 0x01], "+1 L24 LSB"),
        // 2^-23 * 2^15 = 1/256 -> 0 in L16
        .init(.float32, .l16, le32(0x3400_0000), [0x00, 0x00], "+1 L24 LSB"),
        // 0xB4000000 = -2^-23 -> -1 = 0xFFFFFF
        .init(.float32, .l24, le32(0xB400_0000), [0xFF, 0xFF, 0xFF], "-1 L24 LSB"),
        // 0x37800000 = 2^-16 = +0.5 L16 step: half away from zero -> 0x0001
        .init(.float32, .l16, le32(0x3780_0000), [0x00, 0x01], "+half L16 rounds away from 0"),
        // 2^-16 * 2^23 = 128 -> 0x000080
        .init(.float32, .l24, le32(0x3780_0000), [0x00, 0x00, 0x80], "+half L16 is exact in L24"),
        // 0xB7800000 = -2^-16 = -0.5 L16 step: half away from zero -> -1 = 0xFFFF
        .init(.float32, .l16, le32(0xB780_0000), [0xFF, 0xFF], "-half L16 rounds away from 0"),
        // 0x33800000 = 2^-24 = +0.5 L24 step: half away from zero -> 0x000001
        .init(.float32, .l24, le32(0x3380_0000), [0x00, 0x00, 0x01], "+half L24 rounds away from 0"),
        // 0xB3800000 = -2^-24 = -0.5 L24 step: half away from zero -> 0xFFFFFF
        .init(.float32, .l24, le32(0xB380_0000), [0xFF, 0xFF, 0xFF], "-half L24 rounds away from 0"),
        // 0x3F000000 = 0.5 -> 16384 = 0x4000
        .init(.float32, .l16, le32(0x3F00_0000), [0x40, 0x00], "+0.5"),
        // 0.5 -> 4194304 = 0x400000
        .init(.float32, .l24, le32(0x3F00_0000), [0x40, 0x00, 0x00], "+0.5"),
        // 0xBF000000 = -0.5 -> -16384 = 0xC000
        .init(.float32, .l16, le32(0xBF00_0000), [0xC0, 0x00], "-0.5"),
        // -0.5 -> -4194304 = 0xC00000
        .init(.float32, .l24, le32(0xBF00_0000), [0xC0, 0x00, 0x00], "-0.5"),
        // 0x3F800000 = +1.0 -> 32768, one past the maximum: clipped to 0x7FFF, counted
        .init(.float32, .l16, le32(0x3F80_0000), [0x7F, 0xFF], clipped: 1, "+1.0 clips"),
        // +1.0 -> 8388608: clipped to 0x7FFFFF, counted
        .init(.float32, .l24, le32(0x3F80_0000), [0x7F, 0xFF, 0xFF], clipped: 1, "+1.0 clips"),
        // 0xBF800000 = -1.0 -> exactly -32768 = 0x8000, not counted
        .init(.float32, .l16, le32(0xBF80_0000), [0x80, 0x00], "-1.0 exact minimum"),
        // -1.0 -> exactly -8388608 = 0x800000, not counted
        .init(.float32, .l24, le32(0xBF80_0000), [0x80, 0x00, 0x00], "-1.0 exact minimum"),
        // 0x7FC00000 = quiet NaN -> 0, counted
        .init(.float32, .l16, le32(0x7FC0_0000), [0x00, 0x00], clipped: 1, "NaN"),
        // quiet NaN -> 0, counted
        .init(.float32, .l24, le32(0x7FC0_0000), [0x00, 0x00, 0x00], clipped: 1, "NaN"),
        // 0x3F7FFE00 = 1 - 2^-15 -> exactly 32767 = 0x7FFF, no clip
        .init(.float32, .l16, le32(0x3F7F_FE00), [0x7F, 0xFF], "1 - 2^-15 is the L16 maximum"),
        // 1 - 2^-15 -> 2^23 - 2^8 = 0x7FFF00
        .init(.float32, .l24, le32(0x3F7F_FE00), [0x7F, 0xFF, 0x00], "1 - 2^-15"),
        // 0x3F7FFF00 = 1 - 2^-16 -> 32767.5 rounds to 32768: clipped to 0x7FFF, counted
        .init(.float32, .l16, le32(0x3F7F_FF00), [0x7F, 0xFF], clipped: 1, "1 - 2^-16 rounds past max"),
        // 1 - 2^-16 -> 2^23 - 2^7 = 0x7FFF80, exact
        .init(.float32, .l24, le32(0x3F7F_FF00), [0x7F, 0xFF, 0x80], "1 - 2^-16"),
        // 0x3F7FFFFE = 1 - 2^-23 -> exactly 8388607 = 0x7FFFFF, no clip
        .init(.float32, .l24, le32(0x3F7F_FFFE), [0x7F, 0xFF, 0xFF], "1 - 2^-23 is the L24 maximum"),
        // 0x3F7FFFFF = 1 - 2^-24, the largest float below 1.0 -> 8388607.5 rounds to 2^23: clipped, counted
        .init(.float32, .l24, le32(0x3F7F_FFFF), [0x7F, 0xFF, 0xFF], clipped: 1, "largest float below 1.0"),
        // 1 - 2^-24 -> 32767.9995 rounds to 32768: clipped, counted
        .init(.float32, .l16, le32(0x3F7F_FFFF), [0x7F, 0xFF], clipped: 1, "largest float below 1.0"),
        // 0xBF800001 = -(1 + 2^-23) -> -32768.004 rounds to -32768: in range, no clip
        .init(.float32, .l16, le32(0xBF80_0001), [0x80, 0x00], "just below -1.0 rounds to min"),
        // -(1 + 2^-23) -> -8388609: below the minimum, clipped to 0x800000, counted
        .init(.float32, .l24, le32(0xBF80_0001), [0x80, 0x00, 0x00], clipped: 1, "just below -1.0 clips"),
        // 0x40000000 = +2.0 -> clipped to 0x7FFF, counted
        .init(.float32, .l16, le32(0x4000_0000), [0x7F, 0xFF], clipped: 1, "+2.0 clips"),
        // 0xC0000000 = -2.0 -> clipped to 0x800000, counted
        .init(.float32, .l24, le32(0xC000_0000), [0x80, 0x00, 0x00], clipped: 1, "-2.0 clips"),
        // 0x7F800000 = +infinity -> 0x7FFFFF, counted
        .init(.float32, .l24, le32(0x7F80_0000), [0x7F, 0xFF, 0xFF], clipped: 1, "+infinity clips"),
        // 0xFF800000 = -infinity -> 0x8000, counted
        .init(.float32, .l16, le32(0xFF80_0000), [0x80, 0x00], clipped: 1, "-infinity clips"),
    ]

    /// 64-bit float: the same scaling, rounding and clipping as float32.
    static let float64: [ConversionFixture] = [
        // 0x0000000000000000 = +0.0 -> 0
        .init(.float64, .l16, le64(0x0000_0000_0000_0000), [0x00, 0x00], "+0.0"),
        // +0.0 -> 0
        .init(.float64, .l24, le64(0x0000_0000_0000_0000), [0x00, 0x00, 0x00], "+0.0"),
        // 0x3F00000000000000 = 2^-15 = one L16 step -> 0x0001
        .init(.float64, .l16, le64(0x3F00_0000_0000_0000), [0x00, 0x01], "+1 L16 LSB"),
        // 2^-15 * 2^23 = 256 -> 0x000100
        .init(.float64, .l24, le64(0x3F00_0000_0000_0000), [0x00, 0x01, 0x00], "+1 L16 LSB"),
        // 0xBF00000000000000 = -2^-15 -> 0xFFFF
        .init(.float64, .l16, le64(0xBF00_0000_0000_0000), [0xFF, 0xFF], "-1 L16 LSB"),
        // -2^-15 -> -256 = 0xFFFF00
        .init(.float64, .l24, le64(0xBF00_0000_0000_0000), [0xFF, 0xFF, 0x00], "-1 L16 LSB"),
        // 0x3E80000000000000 = 2^-23 = one L24 step -> 0x000001
        .init(.float64, .l24, le64(0x3E80_0000_0000_0000), [0x00, 0x00, 0x01], "+1 L24 LSB"),
        // 2^-23 in L16 = 1/256 step -> 0
        .init(.float64, .l16, le64(0x3E80_0000_0000_0000), [0x00, 0x00], "+1 L24 LSB"),
        // 0xBE80000000000000 = -2^-23 -> 0xFFFFFF
        .init(.float64, .l24, le64(0xBE80_0000_0000_0000), [0xFF, 0xFF, 0xFF], "-1 L24 LSB"),
        // 0x3EF0000000000000 = 2^-16 = +0.5 L16 step: half away from zero -> 0x0001
        .init(.float64, .l16, le64(0x3EF0_0000_0000_0000), [0x00, 0x01], "+half L16 rounds away from 0"),
        // 0xBEF0000000000000 = -2^-16 = -0.5 L16 step: half away from zero -> 0xFFFF
        .init(.float64, .l16, le64(0xBEF0_0000_0000_0000), [0xFF, 0xFF], "-half L16 rounds away from 0"),
        // 0x3E70000000000000 = 2^-24 = +0.5 L24 step: half away from zero -> 0x000001
        .init(.float64, .l24, le64(0x3E70_0000_0000_0000), [0x00, 0x00, 0x01], "+half L24 rounds away from 0"),
        // 0x3FF0000000000000 = +1.0 -> clipped to 0x7FFF, counted
        .init(.float64, .l16, le64(0x3FF0_0000_0000_0000), [0x7F, 0xFF], clipped: 1, "+1.0 clips"),
        // +1.0 -> clipped to 0x7FFFFF, counted
        .init(.float64, .l24, le64(0x3FF0_0000_0000_0000), [0x7F, 0xFF, 0xFF], clipped: 1, "+1.0 clips"),
        // 0xBFF0000000000000 = -1.0 -> exactly 0x8000, not counted
        .init(.float64, .l16, le64(0xBFF0_0000_0000_0000), [0x80, 0x00], "-1.0 exact minimum"),
        // -1.0 -> exactly 0x800000, not counted
        .init(.float64, .l24, le64(0xBFF0_0000_0000_0000), [0x80, 0x00, 0x00], "-1.0 exact minimum"),
        // 0x7FF8000000000000 = quiet NaN -> 0, counted
        .init(.float64, .l16, le64(0x7FF8_0000_0000_0000), [0x00, 0x00], clipped: 1, "NaN"),
        // quiet NaN -> 0, counted
        .init(.float64, .l24, le64(0x7FF8_0000_0000_0000), [0x00, 0x00, 0x00], clipped: 1, "NaN"),
        // 0xFFF8000000000000 = NaN with the sign bit set -> 0, counted
        .init(.float64, .l24, le64(0xFFF8_0000_0000_0000), [0x00, 0x00, 0x00], clipped: 1, "negative NaN"),
        // 0x3FEFFFC000000000 = 1 - 2^-15 -> exactly 32767 = 0x7FFF, no clip
        .init(.float64, .l16, le64(0x3FEF_FFC0_0000_0000), [0x7F, 0xFF], "1 - 2^-15 is the L16 maximum"),
        // 1 - 2^-15 -> 0x7FFF00
        .init(.float64, .l24, le64(0x3FEF_FFC0_0000_0000), [0x7F, 0xFF, 0x00], "1 - 2^-15"),
        // 0x3FEFFFFFC0000000 = 1 - 2^-23 -> exactly 8388607 = 0x7FFFFF, no clip
        .init(.float64, .l24, le64(0x3FEF_FFFF_C000_0000), [0x7F, 0xFF, 0xFF], "1 - 2^-23 is the L24 maximum"),
        // 1 - 2^-23 -> 32768 - 1/256 rounds to 32768: clipped to 0x7FFF, counted
        .init(.float64, .l16, le64(0x3FEF_FFFF_C000_0000), [0x7F, 0xFF], clipped: 1, "1 - 2^-23 rounds past max"),
        // 0x3FEFFFFFFFFFFFFF = 1 - 2^-53, the largest double below 1.0: rounds to 2^23, clipped, counted
        .init(.float64, .l24, le64(0x3FEF_FFFF_FFFF_FFFF), [0x7F, 0xFF, 0xFF], clipped: 1, "largest double < 1.0"),
        // 0x7FF0000000000000 = +infinity -> 0x7FFF, counted
        .init(.float64, .l16, le64(0x7FF0_0000_0000_0000), [0x7F, 0xFF], clipped: 1, "+infinity clips"),
        // 0xFFF0000000000000 = -infinity -> 0x800000, counted
        .init(.float64, .l24, le64(0xFFF0_0000_0000_0000), [0x80, 0x00, 0x00], clipped: 1, "-infinity clips"),
    ]

    static let all = unsigned8 + signed16 + signed24 + signed32 + float32 + float64
}

@Suite struct SampleConverterTests {
    @Test(arguments: Fixtures.all)
    func convertsOneSample(_ fixture: ConversionFixture) {
        let result = convert(fixture.input, from: fixture.source, to: fixture.destination)
        #expect(result.bytes == fixture.output)
        #expect(result.clipped == fixture.clipped)
    }

    /// Every source encoding is covered to both widths, so no pair is left without fixtures.
    @Test func everyPairHasFixtures() {
        let encodings: [SampleEncoding] = [.unsigned8, .signed16, .signed24, .signed32, .float32, .float64]
        for encoding in encodings {
            for width in [AudioPayloadEncoding.l16, .l24] {
                let count = Fixtures.all.filter { $0.source == encoding && $0.destination == width }.count
                #expect(count >= 4, "\(encoding) -> \(width)")
            }
        }
    }

    /// The fixtures are well-formed: one sample in, one sample out.
    @Test(arguments: Fixtures.all)
    func fixtureHasOneSampleEachWay(_ fixture: ConversionFixture) {
        #expect(fixture.input.count == fixture.source.byteCount)
        #expect(fixture.output.count == fixture.destination.bytesPerSample)
    }

    /// The float bit patterns written by hand above are the values their comments name.
    @Test func floatFixturePatternsAreTheNamedValues() {
        let singles: [(UInt32, Float)] = [
            (0x3800_0000, 0x1p-15), (0x3400_0000, 0x1p-23), (0x3780_0000, 0x1p-16), (0x3380_0000, 0x1p-24),
            (0x3F00_0000, 0.5), (0x3F80_0000, 1.0), (0xBF80_0000, -1.0), (0x4000_0000, 2.0),
            (0x3F7F_FE00, 1 - 0x1p-15), (0x3F7F_FF00, 1 - 0x1p-16), (0x3F7F_FFFE, 1 - 0x1p-23),
            (0x3F7F_FFFF, 1 - 0x1p-24), (0xBF80_0001, -(1 + 0x1p-23)), (0x7F80_0000, .infinity),
        ]
        for (pattern, value) in singles {
            #expect(Float(bitPattern: pattern) == value, "0x\(String(pattern, radix: 16))")
        }
        #expect(Float(bitPattern: 0x7FC0_0000).isNaN)
        let doubles: [(UInt64, Double)] = [
            (0x3F00_0000_0000_0000, 0x1p-15), (0x3E80_0000_0000_0000, 0x1p-23), (0x3EF0_0000_0000_0000, 0x1p-16),
            (0x3E70_0000_0000_0000, 0x1p-24), (0x3FF0_0000_0000_0000, 1.0), (0xBFF0_0000_0000_0000, -1.0),
            (0x3FEF_FFC0_0000_0000, 1 - 0x1p-15), (0x3FEF_FFFF_C000_0000, 1 - 0x1p-23),
            (0x3FEF_FFFF_FFFF_FFFF, 1 - 0x1p-53), (0xFFF0_0000_0000_0000, -.infinity),
        ]
        for (pattern, value) in doubles {
            #expect(Double(bitPattern: pattern) == value, "0x\(String(pattern, radix: 16))")
        }
        #expect(Double(bitPattern: 0x7FF8_0000_0000_0000).isNaN)
        #expect(Double(bitPattern: 0xFFF8_0000_0000_0000).isNaN)
    }

    /// Several samples in one call: each lands at its own offset and the clip counts add up.
    @Test(arguments: [
        (SampleEncoding.unsigned8, AudioPayloadEncoding.l16), (.unsigned8, .l24), (.signed16, .l16),
        (.signed16, .l24), (.signed24, .l16), (.signed24, .l24), (.signed32, .l16), (.signed32, .l24),
        (.float32, .l16), (.float32, .l24), (.float64, .l16), (.float64, .l24),
    ])
    func convertsABufferOfSamples(source: SampleEncoding, destination: AudioPayloadEncoding) {
        let fixtures = Fixtures.all.filter { $0.source == source && $0.destination == destination }
        let input = fixtures.flatMap(\.input)
        let result = convert(input, from: source, to: destination)
        #expect(result.bytes == fixtures.flatMap(\.output))
        #expect(result.clipped == fixtures.reduce(0) { $0 + $1.clipped })
    }

    /// Only `sampleCount` samples are written: the output past them is left alone.
    @Test func writesNoMoreThanSampleCount() {
        // Two 16-bit samples, +1 and -1, into a buffer one L24 sample longer than needed.
        let result = convert([0x01, 0x00, 0xFF, 0xFF], from: .signed16, to: .l24, extraOutput: 3)
        // +1 << 8 = 00 01 00, -1 << 8 = FF FF 00, then the untouched 0xEE filler.
        #expect(result.bytes == [0x00, 0x01, 0x00, 0xFF, 0xFF, 0x00, 0xEE, 0xEE, 0xEE])
        #expect(result.clipped == 0)
    }

    /// 8 and 16-bit sources travel losslessly as L16; every wider one as L24.
    @Test func naturalPayload() {
        #expect(SampleEncoding.unsigned8.naturalPayload == .l16)
        #expect(SampleEncoding.signed16.naturalPayload == .l16)
        #expect(SampleEncoding.signed24.naturalPayload == .l24)
        #expect(SampleEncoding.signed32.naturalPayload == .l24)
        #expect(SampleEncoding.float32.naturalPayload == .l24)
        #expect(SampleEncoding.float64.naturalPayload == .l24)
    }
}
