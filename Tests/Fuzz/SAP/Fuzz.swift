import SDP

/// libFuzzer's entry for SAP datagrams (RFC 2974): `SAPPacket(parsing:)`, its `sessionKey`, and the description it
/// carries parsed as the recorder parses it.
///
/// Checked for any bytes: a packet or an `SDPError`; an originating source of 4 or 16 bytes; the packet's `bytes`
/// parse back to the same packet with the same session key (authentication data and an absent payload type are not
/// kept, so the packet, not the input, is compared). Built and run by `.ci/fuzz`, not by SwiftPM.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSAP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let packet: SAPPacket
    do {
        packet = try SAPPacket(parsing: bytes)
    } catch {
        return 0
    }
    precondition(
        packet.originatingSource.count == 4 || packet.originatingSource.count == 16,
        "SAP: an originating source of \(packet.originatingSource.count) bytes")
    let key = packet.sessionKey
    let again: SAPPacket
    do {
        again = try SAPPacket(parsing: packet.bytes)
    } catch {
        preconditionFailure("SAP round trip: the packet's bytes do not parse: \(error)")
    }
    precondition(again == packet, "SAP round trip: the packet's bytes parse to another packet")
    precondition(again.sessionKey == key, "SAP round trip: another session key")
    _ = try? SDPDocument(parsing: packet.payload)
    return 0
}
