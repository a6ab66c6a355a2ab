/// Why bytes are not a valid RTP or RTCP packet, or cannot hold one: the one error of the RTP module.
public enum RTPError: Error, Sendable, Hashable, CustomStringConvertible {
    case empty
    case truncated(needed: Int, available: Int)
    case unsupportedVersion(UInt8)
    case badPadding(length: Int, available: Int)
    case bufferTooSmall(needed: Int, available: Int)
    /// RTCP: padding on a packet that is not the last of its compound (RFC 3550 section 6.4.1).
    case paddingNotLast
    /// RTCP: a report, chunk or source count that does not fit the packet's length.
    case countBeyondLength(count: Int, type: UInt8)
    /// RTCP: an SDES item that runs past its chunk.
    case malformedItem

    public var description: String {
        switch self {
        case .empty: "empty datagram"
        case .truncated(let needed, let available): "truncated: needs \(needed) bytes, has \(available)"
        case .unsupportedVersion(let version): "version \(version), expected 2"
        case .badPadding(let length, let available): "padding of \(length) bytes in \(available)"
        case .bufferTooSmall(let needed, let available): "buffer of \(available) bytes, needs \(needed)"
        case .paddingNotLast: "padding on a packet that is not the last of the compound"
        case .countBeyondLength(let count, let type): "count \(count) does not fit the length of packet type \(type)"
        case .malformedItem: "malformed SDES item"
        }
    }
}
