import Capture

/// libFuzzer's entry for capture files, pcap and pcapng alike (the `pcap` and `pcapng` targets differ in their
/// seeds): `CaptureReader` and `DatagramReader` read every datagram to the end or to a `CaptureError`.
///
/// Checked for any bytes: no trap; each datagram's payload lies inside the input's bytes' size (a reassembled one
/// within 64 KiB); capture records are numbered upwards; the reader ends (each record consumes input). Built and run
/// by `.ci/fuzz`, not by SwiftPM.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCapture(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let reader = DatagramReader(try CaptureReader(bytes: bytes))
        var record = 0
        var count = 0
        while let datagram = try reader.next() {
            precondition(datagram.payload.count <= max(size, 65_535), "capture: a payload larger than its input")
            precondition(datagram.record > record, "capture: records not numbered upwards")
            precondition(datagram.source.port <= 65_535 && datagram.destination.port <= 65_535, "capture: a port")
            record = datagram.record
            count += 1
            precondition(count <= size, "capture: more datagrams than input bytes")
        }
    } catch {
        return 0
    }
    return 0
}
