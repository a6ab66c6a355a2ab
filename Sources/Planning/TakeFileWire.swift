import JSON
import PCM

extension TakeFile.WireSettings {
    /// Reads the wire settings of a take file's top level.
    init(_ root: Field) throws(TakeFileError) {
        self.init()
        payloadType = try root.optional("payload_type").map { field throws(TakeFileError) in
            UInt8(try field.integer(in: 0...127))
        }
        rtcp = try root.optional("rtcp").map { field throws(TakeFileError) -> RTCPPlacement in
            if case .number = field.value { return .port(try field.integer(in: 1...TakeRules.highestPort)) }
            let text = try field.string()
            switch text {
            case "next-port": return .nextPort
            case "mux": return .multiplexed
            default: throw .invalid(path: field.path, reason: .rtcp(text))
            }
        }
        mtu = try root.optional("mtu")?.integer(in: 576...65_535)
        dscp = try root.optional("dscp")?.integer(in: 0...63)
        ttl = try root.optional("ttl")?.integer(in: 1...255)
        bundle = try root.optional("bundle")?.integer(in: 1...64)
        timestampOrigin = try root.optional("timestamps").map { field throws(TakeFileError) -> TimestampOrigin in
            let text = try field.string()
            switch text {
            case "wallclock": return .wallClock
            case "ptp": return .ptp
            default: throw .invalid(path: field.path, reason: .timestamps(text))
            }
        }
    }
}

/// A setting of a take that changes the datagrams, which a take file fixes for every node.
public enum TakeSetting: Sendable, Hashable, CaseIterable {
    case destination, port, packetTime, encoding, payloadType, ssrc, timestamp, timestampOrigin, mtu, fragmentation
    case rtcp, dscp, ttl, bundle
}

extension TakeFile {
    /// The first setting of `take` (what the command line asked) that differs both from the default and from what
    /// `file` fixes (its value, or the default where it says nothing), if any: such a setting would send something
    /// other than what the file makes every other node and recorder expect. A random timestamp origin always
    /// differs: no other PC could know it.
    public static func overridden(by take: Take, file: TakeFile) -> TakeSetting? {
        let defaults = Take()
        func differs<Value: Equatable>(_ asked: Value, _ fixed: Value?, _ standard: Value) -> Bool {
            asked != standard && asked != (fixed ?? standard)
        }
        if differs(take.destination, file.destination, defaults.destination) { return .destination }
        if differs(take.port, file.port, defaults.port) { return .port }
        if differs(take.packetTime, file.packetTime, defaults.packetTime) { return .packetTime }
        // Each track of the file declares its own encoding; one asked for all of them would override it.
        if take.encoding != nil { return .encoding }
        if differs(take.payloadType, file.wire.payloadType, nil) { return .payloadType }
        // A take file derives every track's SSRC from the take's and the track's names (or gives it).
        if take.ssrc != nil { return .ssrc }
        if take.initialTimestamp != nil { return .timestamp }
        // A random origin no other PC could know; any other asked must be the file's (wall clock unless it says).
        if let asked = take.timestampOrigin, asked == .random || asked != file.wire.timestampOrigin ?? .wallClock {
            return .timestampOrigin
        }
        if differs(take.mtu, file.wire.mtu, defaults.mtu) { return .mtu }
        if take.fragmentation == .allowFragmentation { return .fragmentation }
        if differs(take.rtcp, file.wire.rtcp, defaults.rtcp) { return .rtcp }
        if differs(take.network.dscp, file.wire.dscp, defaults.network.dscp) { return .dscp }
        if differs(take.network.ttl, file.wire.ttl, nil) { return .ttl }
        if differs(take.bundle, file.wire.bundle, nil) { return .bundle }
        return nil
    }
}
