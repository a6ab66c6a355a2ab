/// Why bytes are not a valid RTP or RTCP packet.
public enum RTPError: Error, Sendable, Hashable, CustomStringConvertible {
    case truncated(needed: Int, available: Int)
    case unsupportedVersion(UInt8)
    case badPadding(length: Int, available: Int)
    case bufferTooSmall(needed: Int, available: Int)

    public var description: String {
        switch self {
        case .truncated(let needed, let available): "truncated: needs \(needed) bytes, has \(available)"
        case .unsupportedVersion(let version): "RTP version \(version), expected 2"
        case .badPadding(let length, let available): "padding of \(length) bytes in \(available)"
        case .bufferTooSmall(let needed, let available): "buffer of \(available) bytes, needs \(needed)"
        }
    }
}
