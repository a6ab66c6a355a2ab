import RTP

/// A non-negative decimal number as the user wrote it, kept exact as a fraction (`0.125` = 125/1000):
/// packet times in milliseconds, durations in seconds.
public struct ExactDecimal: Sendable, Hashable, CustomStringConvertible {
    public let numerator: Int
    /// A power of ten.
    public let denominator: Int

    public init(numerator: Int, denominator: Int = 1) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// Parses digits with at most one decimal point (`1`, `0.125`, `2.5`); at most 9 digits on each side.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts.first ?? ""
        let fraction = parts.count > 1 ? parts[1] : ""
        let digits = whole + fraction
        guard !digits.isEmpty, whole.count <= 9, fraction.count <= 9,
            digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(digits)
        else { return nil }
        numerator = value
        denominator = fraction.reduce(1) { product, _ in product * 10 }
    }

    /// value x multiplier / divisor, rounded to the nearest whole number, halves upwards.
    public func scaled(by multiplier: Int, dividedBy divisor: Int = 1) -> Int {
        let scale = divisor * denominator
        // Whole part and remainder apart, so a long duration times a sample rate cannot overflow.
        let whole = numerator / scale
        let rest = numerator % scale
        return whole * multiplier + (rest * multiplier + scale / 2) / scale
    }

    public var isZero: Bool { numerator == 0 }

    public var description: String {
        var text = String(numerator)
        let digits = String(denominator).count - 1
        guard digits > 0 else { return text }
        while text.count <= digits { text = "0" + text }
        text.insert(".", at: text.index(text.endIndex, offsetBy: -digits))
        return text
    }
}

/// A packet time in milliseconds, exact as written.
public struct PacketTime: Sendable, Hashable, CustomStringConvertible {
    public let milliseconds: ExactDecimal

    public init(milliseconds: ExactDecimal) {
        self.milliseconds = milliseconds
    }

    /// Parses a decimal number of milliseconds such as `1`, `0.125` or `2.5`.
    public init?(milliseconds text: String) {
        guard let value = ExactDecimal(text) else { return nil }
        milliseconds = value
    }

    /// The nearest whole number of frames at `sampleRate`, halves upwards.
    public func frames(atSampleRate sampleRate: Int) -> Int {
        milliseconds.scaled(by: sampleRate, dividedBy: 1000)
    }

    public var description: String { milliseconds.description }

    /// Milliseconds of `frames` frames at `sampleRate`, to the microsecond, without trailing zeros (`5`, `0.125`, `0.333`).
    public static func millisecondsText(frames: Int, sampleRate: Int) -> String {
        let microseconds = (frames * 1_000_000 + sampleRate / 2) / sampleRate
        let whole = microseconds / 1000
        var fraction = String(microseconds % 1000)
        guard fraction != "0" else { return String(whole) }
        while fraction.count < 3 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole).\(fraction)"
    }
}

/// What to do when the asked packet time makes datagrams larger than the MTU allows.
public enum FragmentationPolicy: Sendable, Hashable {
    /// Use the largest packet time that fits, preferring one that divides the asked one; warn.
    case fit
    /// Keep the asked packet time and let IP fragment the datagrams.
    case allowFragmentation
    /// Refuse to start.
    case strict
}

/// How many frames go in one packet, derived from the asked packet time and the MTU.
public struct PacketSizing: Sendable, Hashable {
    /// Bytes of IPv4 and UDP headers (20 + 8) and of IPv6 and UDP headers (40 + 8).
    public static let ipv4Overhead = 28
    public static let ipv6Overhead = 48
    /// The largest UDP payload an IPv4 datagram can carry.
    public static let largestDatagram = 65_507

    public let requestedFrames: Int
    public let framesPerPacket: Int
    /// Bytes of RTP payload one full packet carries.
    public let payloadBytes: Int
    /// Bytes of RTP payload that fit in one unfragmented datagram.
    public let payloadLimit: Int

    public var wasReduced: Bool { framesPerPacket != requestedFrames }

    /// Plans the packet size.
    ///
    /// - Parameters:
    ///   - bytesPerFrame: payload bytes of one frame (channels x bytes per sample).
    ///   - ipOverhead: `ipv4Overhead` or `ipv6Overhead`.
    public init(
        packetTime: PacketTime, sampleRate: Int, bytesPerFrame: Int, mtu: Int, ipOverhead: Int,
        policy: FragmentationPolicy
    ) throws(StreamConfigurationError) {
        let requested = packetTime.frames(atSampleRate: sampleRate)
        guard requested >= 1 else {
            throw .packetTimeBelowOneFrame(packetTime: packetTime.description, sampleRate: sampleRate)
        }
        let limit = mtu - ipOverhead - RTPHeader.fixedByteCount
        let hardLimit = Self.largestDatagram - RTPHeader.fixedByteCount
        requestedFrames = requested
        payloadLimit = limit
        let framesThatFit = limit / bytesPerFrame
        if requested * bytesPerFrame <= limit {
            framesPerPacket = requested
        } else {
            switch policy {
            case .allowFragmentation:
                guard requested * bytesPerFrame <= hardLimit else {
                    throw .packetLargerThanUDP(bytes: requested * bytesPerFrame, limit: hardLimit)
                }
                framesPerPacket = requested
            case .strict:
                throw .packetExceedsMTU(
                    packetTime: packetTime.description, bytes: requested * bytesPerFrame, mtu: mtu, limit: limit)
            case .fit:
                guard framesThatFit >= 1 else {
                    throw .frameExceedsMTU(bytesPerFrame: bytesPerFrame, mtu: mtu, limit: limit)
                }
                framesPerPacket = Self.bestFit(requested: requested, fitting: framesThatFit)
            }
        }
        payloadBytes = framesPerPacket * bytesPerFrame
    }

    /// The largest divisor of `requested` that fits, when it is at least half of what fits (so packets
    /// tile the asked time evenly); otherwise simply the most that fits.
    static func bestFit(requested: Int, fitting: Int) -> Int {
        let divisor = stride(from: fitting, through: 1, by: -1).first { requested % $0 == 0 } ?? 1
        return divisor * 2 >= fitting ? divisor : fitting
    }
}
