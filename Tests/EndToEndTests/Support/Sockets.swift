import Platform

extension UDPSocket {
    /// Waits with poll(2) until one of `sockets` has a datagram or `milliseconds` pass; returns the readable ones.
    static func waitForReadable(_ sockets: [UDPSocket], milliseconds: Int) -> [UDPSocket] {
        let poller = SocketPoller(sockets)
        guard poller.wait(milliseconds: milliseconds) else { return [] }
        return sockets.indices.filter { poller.isReadable($0) }.map { sockets[$0] }
    }
}
