import Interfaces
import Numbers
import RTP

/// A packet time in milliseconds, exact as written.
public struct PacketTime: Sendable, Hashable, CustomStringConvertible {
    public let milliseconds: ExactDecimal

    /// The packet times a take may ask for: 0.125 ms (AES67's shortest) to one second.
    public static let allowedMilliseconds =
        ExactDecimal(
            numerator: 125, denominator: 1000)...ExactDecimal(
            numerator: 1000)
    /// 1 ms, AES67's default.
    public static let standard = PacketTime(milliseconds: ExactDecimal(numerator: 1))

    public init(milliseconds: ExactDecimal) {
        self.milliseconds = milliseconds
    }

    /// Parses a decimal number of milliseconds such as `1`, `0.125` or `2.5`, whatever its size.
    public init?(milliseconds text: String) {
        guard let value = ExactDecimal(text) else { return nil }
        milliseconds = value
    }

    /// A packet time a take may use: parsed, and within `allowedMilliseconds`.
    public static func allowed(_ text: String) -> PacketTime? {
        guard let time = PacketTime(milliseconds: text), allowedMilliseconds.contains(time.milliseconds) else {
            return nil
        }
        return time
    }

    /// The nearest whole number of frames at `sampleRate`, halves upwards.
    public func frames(atSampleRate sampleRate: Int) -> Int {
        milliseconds.scaled(by: sampleRate, dividedBy: 1000)
    }

    public var description: String { milliseconds.description }
}

/// What to do when the asked packet time makes datagrams larger than the MTU allows.
public enum FragmentationPolicy: Sendable, Hashable {
    /// Use the largest packet time that fits, preferring one that divides the asked one; say so.
    case fit
    /// Keep the asked packet time and let IP fragment the datagrams.
    case allowFragmentation
    /// Refuse to start.
    case strict
}

/// How many frames go in one packet, derived from the asked packet time and the MTU.
public struct PacketSizing: Sendable, Hashable {
    /// Bytes of IPv4 and UDP headers (20 + 8) and of IPv6 and UDP headers (40 + 8).
    public static let ipv4Overhead = IPAddress.Family.ipv4.headerBytes
    public static let ipv6Overhead = IPAddress.Family.ipv6.headerBytes
    /// The largest UDP payload an IPv4 datagram can carry.
    public static let largestDatagram = 65_507

    public let requestedFrames: Int
    public let framesPerPacket: Int
    /// Bytes of RTP payload one full packet carries.
    public let payloadBytes: Int
    /// Bytes of RTP payload that fit in one unfragmented datagram.
    public let payloadLimit: Int

    public var wasReduced: Bool { framesPerPacket != requestedFrames }

    /// The IP and UDP header bytes of a family.
    public static func overhead(_ family: IPAddress.Family) -> Int {
        family.headerBytes
    }

    /// Plans the packet size.
    ///
    /// - Parameters:
    ///   - bytesPerFrame: payload bytes of one frame (channels x bytes per sample).
    ///   - ipOverhead: `ipv4Overhead` or `ipv6Overhead`.
    public init(
        packetTime: PacketTime, sampleRate: Int, bytesPerFrame: Int, mtu: Int, ipOverhead: Int,
        policy: FragmentationPolicy
    ) throws(PlanError) {
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
