import Interfaces

/// A UDP datagram found in a capture (RFC 768), reassembled from its IP fragments where it was sent in pieces.
public struct CapturedDatagram {
    /// When its last piece was captured, Unix nanoseconds.
    public var timeNanoseconds: Int64
    public var source: Endpoint
    public var destination: Endpoint
    /// The capture record that completed it (its first for a whole datagram).
    public var record: Int
    /// Its UDP payload, as much as was captured; valid until the next call to `next()`.
    public var payload: UnsafeRawBufferPointer
    /// Whether the capture cut it short (the capture's snapshot length): its payload is not all there.
    public var truncated: Bool
}

/// The UDP datagrams of a capture, in capture order: every frame's link layer and IP header taken off, fragments of
/// IPv4 and IPv6 datagrams put back together (a bounded number at once, each at most 64 KiB, dropped when not
/// completed within `reassemblyTimeout` of capture time). Frames of other protocols are counted and passed over.
public final class DatagramReader {
    public let capture: CaptureReader
    /// Frames that held no UDP datagram (another protocol, link type or a header that does not parse).
    public private(set) var otherFrames = 0
    /// Datagrams whose fragments never all came (evicted or left at the end).
    public var incompleteDatagrams: Int { reassembly.abandoned + reassembly.pendingCount }
    private var reassembly = FragmentReassembly()
    private var assembled: [UInt8] = []

    public init(_ capture: CaptureReader) {
        self.capture = capture
    }

    /// The next UDP datagram, or nil at the end of the capture.
    public func next() throws(CaptureError) -> CapturedDatagram? {
        while let frame = try capture.next() {
            guard let (network, bytes) = LinkLayer.network(of: frame.bytes, linkType: frame.linkType),
                let packet = network == .ipv4 ? IPPacket.ipv4(bytes) : IPPacket.ipv6(bytes),
                packet.payloadProtocol == IPPacket.udp
            else {
                otherFrames += 1
                continue
            }
            let truncated = frame.originalLength > frame.bytes.count
            if let fragment = packet.fragment {
                guard let whole = reassembly.add(packet, fragment, time: frame.timeNanoseconds) else { continue }
                assembled = whole
                let datagram = assembled.withUnsafeBytes { bytes in
                    Self.udp(bytes, packet, time: frame.timeNanoseconds, record: frame.record, truncated: truncated)
                }
                guard let datagram else {
                    otherFrames += 1
                    continue
                }
                return datagram
            }
            guard
                let datagram = Self.udp(
                    packet.payload, packet, time: frame.timeNanoseconds, record: frame.record, truncated: truncated)
            else {
                otherFrames += 1
                continue
            }
            return datagram
        }
        return nil
    }

    /// The datagram in a UDP header and what follows it; nil when the header does not fit.
    static func udp(
        _ bytes: UnsafeRawBufferPointer, _ packet: IPPacket, time: Int64, record: Int, truncated: Bool
    ) -> CapturedDatagram? {
        guard bytes.count >= 8 else { return nil }
        let length = Int(Endian.network.u16(bytes, 4))
        // Length 0 is a jumbogram's (RFC 2675); otherwise it bounds the payload.
        let end = length >= 8 ? min(length, bytes.count) : bytes.count
        return CapturedDatagram(
            timeNanoseconds: time, source: Endpoint(address: packet.source, port: Int(Endian.network.u16(bytes, 0))),
            destination: Endpoint(address: packet.destination, port: Int(Endian.network.u16(bytes, 2))),
            record: record, payload: UnsafeRawBufferPointer(rebasing: bytes[8..<end]),
            truncated: truncated || (length >= 8 && length > bytes.count))
    }
}
