/// A stream that cannot be set up as asked. Each case renders as one line naming the flag at fault.
public enum StreamConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    case packetTimeBelowOneFrame(packetTime: String, sampleRate: Int)
    case packetExceedsMTU(packetTime: String, bytes: Int, mtu: Int, limit: Int)
    case packetLargerThanUDP(bytes: Int, limit: Int)
    case frameExceedsMTU(bytesPerFrame: Int, mtu: Int, limit: Int)
    case payloadTypeNotAllowed(payloadType: Int, encoding: String, sampleRate: Int, channels: Int)

    public var description: String {
        switch self {
        case .packetTimeBelowOneFrame(let packetTime, let rate):
            "--ptime \(packetTime) ms is less than one frame at \(rate) Hz"
        case .packetExceedsMTU(let packetTime, let bytes, let mtu, let limit):
            "--ptime \(packetTime) ms needs \(bytes) bytes of payload per packet, more than the \(limit) that --mtu \(mtu) allows (--strict)"
        case .packetLargerThanUDP(let bytes, let limit):
            "packet payload of \(bytes) bytes exceeds the UDP limit of \(limit) even with --allow-fragmentation"
        case .frameExceedsMTU(let bytesPerFrame, let mtu, let limit):
            "one frame is \(bytesPerFrame) bytes, more than the \(limit) bytes of payload --mtu \(mtu) allows; use --allow-fragmentation"
        case .payloadTypeNotAllowed(let payloadType, let encoding, let rate, let channels):
            "--payload-type \(payloadType) cannot carry \(encoding) \(rate) Hz \(channels) ch: use 96-127 (10/11 are only for L16 44100 Hz stereo/mono)"
        }
    }
}
