import RTP

/// libFuzzer's entry for RTP data packets (RFC 3550 section 5.1): `RTPPacket(parsing:)` from raw memory and from an
/// array, and the header written back.
///
/// Checked for any bytes: both entries agree, giving a packet or an `RTPError`; the payload lies after the header
/// inside the datagram; the header written again with the payload after it is the input itself when the input has
/// no padding and no extension (the writer writes neither), and parses back to the same header and payload
/// otherwise; a buffer one byte short is refused with `bufferTooSmall`. Built and run by `.ci/fuzz`, not by SwiftPM.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRTP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    // The raw entry reads libFuzzer's own buffer, exactly `size` long, so AddressSanitizer sees any read past it.
    let raw = UnsafeRawBufferPointer(UnsafeBufferPointer(start: data, count: size))
    let bytes = Array(raw)
    let fromRaw = Result { () throws(RTPError) in try RTPPacket(parsing: raw) }
    let fromArray = Result { () throws(RTPError) in try RTPPacket(parsing: bytes) }
    precondition(fromRaw == fromArray, "RTPPacket: the raw and array entries disagree")
    _ = MultiplexedPacket(bytes)
    guard case .success(let packet) = fromArray else { return 0 }

    let header = packet.header
    let payload = packet.payloadRange
    precondition(payload.lowerBound >= header.byteCount, "RTPPacket: payload starts inside the header")
    precondition(payload.upperBound <= bytes.count, "RTPPacket: payload runs past the datagram")

    let written = header.bytes
    precondition(written.count == header.byteCount, "RTPHeader: bytes and byteCount disagree")
    let rebuilt = written + bytes[payload]
    // P and X clear: the writer's output is the input, byte for byte.
    if bytes[0] & 0x30 == 0 {
        precondition(rebuilt == bytes, "RTP round trip: the packet written again differs from the input")
    }
    let again: RTPPacket
    do {
        again = try RTPPacket(parsing: rebuilt)
    } catch {
        preconditionFailure("RTP round trip: the packet written again does not parse: \(error)")
    }
    precondition(again.header == header, "RTP round trip: another header")
    precondition(
        again.payloadRange == header.byteCount..<rebuilt.count, "RTP round trip: the payload moved")

    var short = [UInt8](repeating: 0, count: header.byteCount - 1)
    let refused = short.withUnsafeMutableBytes { buffer in
        Result { () throws(RTPError) in try header.write(to: buffer) }
    }
    guard case .failure(.bufferTooSmall(let needed, let available)) = refused,
        needed == header.byteCount, available == header.byteCount - 1
    else { preconditionFailure("RTPHeader.write: a buffer one byte short was not refused as too small") }
    return 0
}
