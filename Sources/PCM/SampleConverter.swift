/// Converts little-endian file samples to big-endian network samples, one packet at a time.
///
/// Widening (8 -> 16, 16 -> 24 bits) is exact. Narrowing integers (24 or 32 -> 16, 32 -> 24) rounds
/// to the nearest value, halves upwards, and saturates at the largest positive value. Floats are
/// scaled by 2^(bits-1), rounded to nearest (halves away from zero) and clipped to the integer range,
/// so +1.0 becomes the largest positive value and -1.0 the smallest. No dither is added.
/// Every saturated or clipped sample, and every NaN (sent as 0), is counted so callers can report it.
public struct SampleConverter: Sendable, Hashable {
    public let source: SampleEncoding
    public let destination: AudioPayloadEncoding

    public init(from source: SampleEncoding, to destination: AudioPayloadEncoding) {
        self.source = source
        self.destination = destination
    }

    /// Converts `sampleCount` samples from `input` into `output`; returns how many were clipped.
    ///
    /// - Precondition: `input` holds `sampleCount * source.byteCount` bytes and `output`
    ///   room for `sampleCount * destination.bytesPerSample`.
    @inline(__always)
    public func convert(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, sampleCount: Int
    ) -> Int {
        precondition(input.count >= sampleCount * source.byteCount, "input shorter than sampleCount")
        precondition(output.count >= sampleCount * destination.bytesPerSample, "output shorter than sampleCount")
        // The lossless cases, most files: a byte swap, done on raw bytes.
        if source == .signed16 && destination == .l16 {
            Self.reverse(input, into: output, width: 2, count: sampleCount)
            return 0
        }
        if source == .signed24 && destination == .l24 {
            Self.reverse(input, into: output, width: 3, count: sampleCount)
            return 0
        }
        switch destination {
        case .l16: return convert(input, output, sampleCount, bits: 16, store: Self.store16)
        case .l24: return convert(input, output, sampleCount, bits: 24, store: Self.store24)
        }
    }

    @inline(__always)
    private func convert(
        _ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer, _ count: Int,
        bits: Int, store: (UnsafeMutableRawBufferPointer, Int, Int32) -> Void
    ) -> Int {
        let width = bits / 8
        var clipped = 0
        switch source {
        case .unsigned8:
            for i in 0..<count {
                let value = Int32(input[i]) - 128
                store(output, i * width, value << (bits - 8))
            }
        case .signed16:
            for i in 0..<count {
                let value = Int32(Int16(bitPattern: UInt16(input[2 * i]) | UInt16(input[2 * i + 1]) << 8))
                if bits == 16 {
                    store(output, i * width, value)
                } else {
                    store(output, i * width, value << 8)
                }
            }
        case .signed24:
            for i in 0..<count {
                let value = Self.load24(input, 3 * i)
                if bits == 24 {
                    store(output, i * width, value)
                } else {
                    store(output, i * width, Self.narrow(Int64(value), droppingBits: 8, bits: 16, clipped: &clipped))
                }
            }
        case .signed32:
            for i in 0..<count {
                let value = Int64(input.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self).littleEndian)
                store(output, i * width, Self.narrow(value, droppingBits: 32 - bits, bits: bits, clipped: &clipped))
            }
        case .float32:
            for i in 0..<count {
                let pattern = input.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian
                store(
                    output, i * width, Self.quantize(Double(Float(bitPattern: pattern)), bits: bits, clipped: &clipped))
            }
        case .float64:
            for i in 0..<count {
                let pattern = input.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self).littleEndian
                store(output, i * width, Self.quantize(Double(bitPattern: pattern), bits: bits, clipped: &clipped))
            }
        }
        return clipped
    }

    /// Copies `count` samples of `width` bytes (2 or 3), each with its bytes in reverse order: little-endian to
    /// big-endian.
    @inline(__always)
    static func reverse(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, width: Int, count: Int
    ) {
        guard count > 0, let from = input.baseAddress, let to = output.baseAddress else { return }
        @inline(__always) func copy(_ source: Int, _ target: Int) {
            to.storeBytes(of: from.load(fromByteOffset: source, as: UInt8.self), toByteOffset: target, as: UInt8.self)
        }
        var offset = 0
        let end = count * width
        if width == 2 {
            while offset < end {
                copy(offset + 1, offset)
                copy(offset, offset + 1)
                offset += 2
            }
        } else {
            while offset < end {
                copy(offset + 2, offset)
                copy(offset + 1, offset + 1)
                copy(offset, offset + 2)
                offset += 3
            }
        }
    }

    @inline(__always)
    static func load24(_ input: UnsafeRawBufferPointer, _ offset: Int) -> Int32 {
        let raw = UInt32(input[offset]) | UInt32(input[offset + 1]) << 8 | UInt32(input[offset + 2]) << 16
        return Int32(bitPattern: raw << 8) >> 8
    }

    /// Drops the low `droppingBits` bits, rounding to nearest (halves upwards), saturating at the top.
    @inline(__always)
    static func narrow(_ value: Int64, droppingBits: Int, bits: Int, clipped: inout Int) -> Int32 {
        let rounded = (value + (1 << (droppingBits - 1))) >> droppingBits
        let maximum = Int64(1) << (bits - 1) - 1
        if rounded > maximum {
            clipped += 1
            return Int32(maximum)
        }
        return Int32(rounded)
    }

    /// Scales a float with full scale +-1.0 to a `bits`-bit integer, rounding to nearest and clipping.
    @inline(__always)
    static func quantize(_ value: Double, bits: Int, clipped: inout Int) -> Int32 {
        guard !value.isNaN else {
            clipped += 1
            return 0
        }
        let scale = Double(Int64(1) << (bits - 1))
        let scaled = (value * scale).rounded()
        if scaled >= scale {
            clipped += 1
            return Int32(scale - 1)
        }
        if scaled < -scale {
            clipped += 1
            return Int32(-scale)
        }
        return Int32(scaled)
    }

    @inline(__always)
    static func store16(_ output: UnsafeMutableRawBufferPointer, _ offset: Int, _ value: Int32) {
        let bits = UInt32(bitPattern: value)
        output[offset] = UInt8(truncatingIfNeeded: bits >> 8)
        output[offset + 1] = UInt8(truncatingIfNeeded: bits)
    }

    @inline(__always)
    static func store24(_ output: UnsafeMutableRawBufferPointer, _ offset: Int, _ value: Int32) {
        let bits = UInt32(bitPattern: value)
        output[offset] = UInt8(truncatingIfNeeded: bits >> 16)
        output[offset + 1] = UInt8(truncatingIfNeeded: bits >> 8)
        output[offset + 2] = UInt8(truncatingIfNeeded: bits)
    }
}

/// Converts big-endian network samples (L16, L24) to the little-endian samples of a WAV file of the same width: a
/// byte swap, lossless, for the recorder. Also finds the largest magnitude, for level meters.
public struct NetworkSampleReader: Sendable, Hashable {
    public let encoding: AudioPayloadEncoding

    public init(_ encoding: AudioPayloadEncoding) {
        self.encoding = encoding
    }

    /// Converts `sampleCount` samples from `input` into `output`; returns the largest magnitude among them (the
    /// most negative value counts as full scale), and adds to `squares` the sum of their squares at 16-bit
    /// precision (each at most 2^30), for an RMS meter.
    ///
    /// - Precondition: both hold `sampleCount * encoding.bytesPerSample` bytes.
    @inline(__always)
    public func convert(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, sampleCount: Int,
        squares: inout Int
    ) -> Int32 {
        let width = encoding.bytesPerSample
        precondition(input.count >= sampleCount * width && output.count >= sampleCount * width, "buffers too short")
        var peak: Int32 = 0
        var sum = 0
        switch encoding {
        case .l16:
            for i in 0..<sampleCount {
                let high = input[2 * i]
                let low = input[2 * i + 1]
                output[2 * i] = low
                output[2 * i + 1] = high
                let value = Int32(Int16(bitPattern: UInt16(high) << 8 | UInt16(low)))
                peak = max(peak, value < 0 ? -value : value)
                sum &+= Int(value) * Int(value)
            }
        case .l24:
            for i in 0..<sampleCount {
                let high = input[3 * i]
                let middle = input[3 * i + 1]
                let low = input[3 * i + 2]
                output[3 * i] = low
                output[3 * i + 1] = middle
                output[3 * i + 2] = high
                let value = Int32(bitPattern: UInt32(high) << 24 | UInt32(middle) << 16 | UInt32(low) << 8) >> 8
                peak = max(peak, value < 0 ? -value : value)
                let coarse = Int(value >> 8)
                sum &+= coarse * coarse
            }
        }
        squares &+= sum
        return peak
    }
}
