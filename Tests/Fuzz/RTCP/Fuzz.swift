import RTP

/// libFuzzer's entry for RTCP compound packets (RFC 3550 section 6): `RTCPPacket.parseCompound` over SR, RR, SDES,
/// BYE and the packet types kept as they are.
///
/// Checked for any bytes: a compound gives at least one packet or an `RTPError`; each packet re-encoded is a whole
/// number of 32-bit words and parses to that one packet again, equal to the first parse; the compound re-encoded
/// parses to the same packets. The one change allowed: a kept packet whose body a padding count left off a word
/// boundary comes back with the zeros that bring it to one. Built and run by `.ci/fuzz`, not by SwiftPM.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTCP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = MultiplexedPacket(bytes)
    let packets: [RTCPPacket]
    do {
        packets = try RTCPPacket.parseCompound(bytes)
    } catch {
        return 0
    }
    precondition(!packets.isEmpty, "RTCP: a compound of no packets")
    for packet in packets {
        let encoded = packet.bytes
        precondition(encoded.count % 4 == 0, "RTCP: a packet encoded off a 32-bit boundary")
        let again: [RTCPPacket]
        do {
            again = try RTCPPacket.parseCompound(encoded)
        } catch {
            preconditionFailure("RTCP round trip: \(kind(packet)) re-encoded does not parse: \(error)")
        }
        guard again == [wordAligned(packet)] else {
            preconditionFailure("RTCP round trip: \(kind(packet)) re-encoded parses to another value")
        }
    }
    let whole = RTCPPacket.compound(packets)
    do {
        let again = try RTCPPacket.parseCompound(whole)
        precondition(again == packets.map(wordAligned), "RTCP round trip: the compound parses to other packets")
    } catch {
        preconditionFailure("RTCP round trip: the compound re-encoded does not parse: \(error)")
    }
    return 0
}

/// The packet as encoding must give it back: a kept body padded with zeros to a 32-bit boundary.
private func wordAligned(_ packet: RTCPPacket) -> RTCPPacket {
    guard case .other(let type, let count, let body) = packet, body.count % 4 != 0 else { return packet }
    return .other(type: type, count: count, body: body + [UInt8](repeating: 0, count: 4 - body.count % 4))
}

/// The packet's kind, for a failure's reason.
private func kind(_ packet: RTCPPacket) -> String {
    switch packet {
    case .senderReport: "SR"
    case .receiverReport: "RR"
    case .sourceDescription: "SDES"
    case .goodbye: "BYE"
    case .other(let type, _, _): "packet type \(type)"
    }
}
