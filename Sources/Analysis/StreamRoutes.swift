import Interfaces
import Planning
import RTP

/// Which stream, which leg and which of RTP or RTCP a datagram is, by where it was sent: the port of a stream's
/// leg (RTP) or its RTCP port, and for a multicast stream its group too (other groups may share the port). On a
/// port RTP and RTCP share (RFC 5761), the datagram's second byte tells them apart.
public struct StreamRoutes: Sendable {
    public struct Route: Sendable, Hashable {
        public var stream: Int
        public var leg: Int
        public var isControl: Bool
    }

    struct Entry: Sendable {
        var group: IPAddress?
        var port: Int
        var stream: Int
        var leg: Int
        /// nil: RTP and RTCP share the port.
        var isControl: Bool?
    }

    private var entries: [Entry] = []

    public init(_ streams: [StreamDescription]) {
        for (index, stream) in streams.enumerated() {
            var legs = [(stream.destination, stream.port, stream.rtcpPort)]
            if let second = stream.secondLeg { legs.append((second.destination, second.port, second.rtcpPort)) }
            for (leg, (destination, port, rtcpPort)) in legs.enumerated() {
                let group = IPAddress(destination.address).flatMap { $0.isMulticast ? $0 : nil }
                if rtcpPort == port || stream.rtcpMultiplexed {
                    entries.append(Entry(group: group, port: port, stream: index, leg: leg, isControl: nil))
                } else {
                    entries.append(Entry(group: group, port: port, stream: index, leg: leg, isControl: false))
                    entries.append(Entry(group: group, port: rtcpPort, stream: index, leg: leg, isControl: true))
                }
            }
        }
    }

    /// The ports the streams are sent to, RTP and RTCP, each once, in order.
    public var ports: [Int] {
        var seen = Set<Int>()
        return entries.map(\.port).filter { seen.insert($0).inserted }
    }

    /// Where a datagram to `destination` starting with these bytes belongs; nil for none of the streams.
    public func route(destination: Endpoint, firstByte: UInt8, secondByte: UInt8) -> Route? {
        for entry in entries where entry.port == destination.port {
            if let group = entry.group, group != destination.address { continue }
            let control =
                entry.isControl ?? (MultiplexedPacket(firstByte: firstByte, secondByte: secondByte) == .rtcp)
            return Route(stream: entry.stream, leg: entry.leg, isControl: control)
        }
        return nil
    }
}
