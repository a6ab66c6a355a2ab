import Interfaces
import Platform

/// What one packet costs to send on loopback, three ways: `count` connected sockets with send(2) each (what
/// audiostreamer does), one unconnected socket with sendto(2) per destination, and one sendmmsg(2) call for all.
/// Each round sends one 300-byte datagram to each of `count` receivers, which are emptied before every round.
func measureSendCost(_ count: Int, options: BenchOptions) throws {
    guard count > 0 else { return }
    let destinations = (0..<count).map { Endpoint.loopback(.ipv4, port: options.port + 200 + 2 * $0) }
    let receivers = try destinations.map { address in
        let socket = try UDPSocket(family: .ipv4)
        try socket.bind(to: address)
        socket.setBufferSize(receive: 1 << 20)
        return socket
    }
    let connected = try destinations.map { address in
        let socket = try UDPSocket(family: .ipv4)
        try socket.connect(to: address)
        return socket
    }
    let unconnected = try UDPSocket(family: .ipv4)
    let batch = DatagramBatch(destinations: destinations, datagramSize: 300)
    let datagram = UnsafeRawBufferPointer(rebasing: batch.bytes[0..<300])
    var scratch = [UInt8](repeating: 0, count: 2048)
    let clock = MonotonicClock()
    let methods: [(name: String, round: () -> Int)] = [
        (
            "send(2) on a connected socket per track",
            { connected.reduce(0) { $0 + ($1.send(datagram) == .sent ? 1 : 0) } }
        ),
        (
            "sendto(2) on one socket",
            { destinations.reduce(0) { $0 + (unconnected.send(datagram, to: $1) == .sent ? 1 : 0) } }
        ),
        ("one sendmmsg(2) for all", { batch.send(on: unconnected) }),
    ]
    // The methods take turns round by round, so a slow spell of the machine falls on all of them alike.
    var perPacket = methods.map { _ in [Double]() }
    for _ in 0..<1_000 {
        for (index, method) in methods.enumerated() {
            for receiver in receivers {
                while scratch.withUnsafeMutableBytes({ receiver.receiveNow(into: $0) }) != nil {}
            }
            let before = clock.now()
            let sent = method.round()
            let elapsed = clock.now() - before
            guard sent == count else {
                throw BenchError.sendFailed("\(method.name): only \(sent) of \(count) datagrams sent")
            }
            perPacket[index].append(Double(elapsed) / Double(count))
        }
    }
    let lines = zip(methods, perPacket).map { method, values in
        let sorted = values.sorted()
        return
            "  \(method.name): min \(fixed(sorted[0] / 1000, 2)) p50 \(fixed(percentile(sorted, 0.5) / 1000, 2)) us a packet"
    }
    Console.output(
        "send cost, \(count) datagrams of 300 bytes to \(count) loopback receivers, 1000 rounds:\n"
            + lines.joined(separator: "\n") + "\n\n")
}
