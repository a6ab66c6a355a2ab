import Numbers

/// The conformance levels of SMPTE ST 2110-30 (section 7.1, as we read it): which sample rates, packet times and
/// channel counts a receiver of the level takes. A, B and C are 48 kHz; AX, BX and CX add 96 kHz.
public enum ST2110Level: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case a = "A"
    case ax = "AX"
    case b = "B"
    case bx = "BX"
    case c = "C"
    case cx = "CX"

    /// One way of sending the level allows: at this rate and packet time, up to this many channels.
    public struct Mode: Sendable, Hashable {
        public var sampleRate: Int
        public var packetTime: PacketTime
        public var maximumChannels: Int
    }

    static let oneMillisecond = PacketTime.standard
    static let shortest = PacketTime(milliseconds: ExactDecimal(numerator: 125, denominator: 1000))

    /// The level's modes, 1 ms before 125 us at each rate.
    public var modes: [Mode] {
        var modes = [Mode(sampleRate: 48_000, packetTime: Self.oneMillisecond, maximumChannels: 8)]
        switch self {
        case .a, .ax: break
        case .b, .bx: modes.append(Mode(sampleRate: 48_000, packetTime: Self.shortest, maximumChannels: 8))
        case .c, .cx: modes.append(Mode(sampleRate: 48_000, packetTime: Self.shortest, maximumChannels: 64))
        }
        switch self {
        case .a, .b, .c: break
        case .ax: modes.append(Mode(sampleRate: 96_000, packetTime: Self.oneMillisecond, maximumChannels: 4))
        case .bx, .cx:
            modes.append(Mode(sampleRate: 96_000, packetTime: Self.oneMillisecond, maximumChannels: 4))
            modes.append(
                Mode(sampleRate: 96_000, packetTime: Self.shortest, maximumChannels: self == .bx ? 8 : 32))
        }
        return modes
    }

    /// The most channels a stream of the level carries at `sampleRate`; nil for a rate it does not take.
    public func maximumChannels(atSampleRate sampleRate: Int) -> Int? {
        modes.filter { $0.sampleRate == sampleRate }.map(\.maximumChannels).max()
    }

    /// The packet time of a stream of `channels` at `sampleRate`: 1 ms where that mode takes it, else 125 us; nil
    /// where no mode of the level does.
    public func packetTime(sampleRate: Int, channels: Int) -> PacketTime? {
        modes.first { $0.sampleRate == sampleRate && channels <= $0.maximumChannels }?.packetTime
    }

    public var description: String { rawValue }
}
