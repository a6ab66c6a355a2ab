/// Telling RTP from RTCP on one port (RFC 5761 section 4): both start with version 2; RTCP's second byte is its
/// packet type, 192 to 223, which no RTP payload type with or without the marker bit can be (RTP uses 0-95 and
/// 96-127, and RFC 5761 keeps 64-95 free for this).
public enum MultiplexedPacket: Sendable, Hashable {
    case rtp
    case rtcp
    /// Not version 2, or too short to tell.
    case neither

    /// What the first two bytes of a datagram make it.
    public init(firstByte: UInt8, secondByte: UInt8) {
        guard firstByte >> 6 == 2 else {
            self = .neither
            return
        }
        self = (192...223).contains(secondByte) ? .rtcp : .rtp
    }

    /// What a datagram is, by its first two bytes.
    public init(_ datagram: some Collection<UInt8>) {
        var bytes = datagram.makeIterator()
        guard let first = bytes.next(), let second = bytes.next() else {
            self = .neither
            return
        }
        self.init(firstByte: first, secondByte: second)
    }
}
