import PCM
import Planning
import Platform
import RTP

/// How big each packet is, for every packet time and format the README lists: the planner's own sizing (the same
/// code the sender runs), and the bytes each layer adds on the wire.
///
/// On an Ethernet link every datagram also carries 38 bytes of framing: the preamble and start delimiter (8), the
/// MAC header (14), the frame check sequence (4) and the gap between frames (12).
func printPacketSizes() {
    let ethernetFraming = 38
    let packetTimes = ["0.125", "0.25", "0.333", "1", "2", "4", "5", "10", "20"]
    var lines = [
        "Packet sizes: RTP 12 + UDP 8 + IPv4 20 (IPv6 40) + Ethernet framing 38 bytes per datagram; fits = an unfragmented",
        "IPv4 datagram within a 1500-byte MTU (the sender's default; it shortens the packet time, or refuses with --strict).",
        "",
        "| ptime ms | format | rate Hz | ch | frames | UDP payload B | packets/s | header overhead % | wire kbit/s | fits 1500 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rate in [44_100, 48_000, 96_000] {
        for text in packetTimes {
            guard let time = PacketTime(milliseconds: text) else { continue }
            for encoding in [AudioPayloadEncoding.l16, .l24] {
                for channels in [1, 2, 8] {
                    guard
                        let sizing = try? PacketSizing(
                            packetTime: time, sampleRate: rate, bytesPerFrame: channels * encoding.bytesPerSample,
                            mtu: 1500, ipOverhead: PacketSizing.ipv4Overhead, policy: .allowFragmentation)
                    else { continue }
                    let frames = sizing.framesPerPacket
                    let udpPayload = RTPHeader.fixedByteCount + sizing.payloadBytes
                    let headers = RTPHeader.fixedByteCount + PacketSizing.ipv4Overhead + ethernetFraming
                    let perSecond = Double(rate) / Double(frames)
                    let wire = Double(sizing.payloadBytes + headers) * 8 * perSecond / 1000
                    let overhead = Double(headers) / Double(sizing.payloadBytes + headers) * 100
                    let fits = udpPayload + PacketSizing.ipv4Overhead <= 1500
                    lines.append(
                        "| \(text) | \(encoding.name) | \(rate) | \(channels) | \(frames) | \(udpPayload) | \(fixed(perSecond)) | \(fixed(overhead)) | \(fixed(wire)) | \(fits ? "yes" : "no") |"
                    )
                }
            }
        }
    }
    Console.output(lines.joined(separator: "\n") + "\n")
}
