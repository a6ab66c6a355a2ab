import Interfaces
import Planning
import Platform

/// Where the commands open their sockets and look up addresses: the system's (`SystemNetwork`) in a run, an
/// in-memory network in a test. Everything else `send` and `record` do is the same either way.
public protocol Network: Sendable {
    /// The index of an interface by name or address; nil when none has it.
    func interfaceIndex(_ name: String) -> UInt32?
    /// A host name or numeric address, resolved; throws a `ResolutionError` when it resolves to nothing.
    func resolve(_ host: String) throws -> IPAddress
    /// This host's address on the way to `address`, and the route's MTU where known.
    func route(towards address: IPAddress, interface: UInt32) throws -> (localAddress: IPAddress, mtu: Int?)
    /// The RTP and RTCP sockets of a sending track, open as its plan says.
    func openSending(_ plan: TrackPlan, interface: UInt32) throws -> SendingSockets
    /// A socket that sends SAP announcements with the multicast hop limit, interface and loop given.
    func openAnnouncing(family: IPAddress.Family, hops: Int, interface: UInt32, loop: Bool) throws
        -> any DatagramSocket
    /// A socket bound to `endpoint`, joined to `group` (from `source` alone where given) and sharing its port with
    /// other listeners of the group, its own datagrams marked with `dscp`. Throws a `ListenFailure`.
    func openListening(_ endpoint: Endpoint, group: IPAddress?, source: IPAddress?, interface: UInt32, dscp: Int?)
        throws -> any DatagramSocket
    /// Reads `sockets` (opened by `openListening`) in batches.
    func batchReceiver(_ sockets: [any DatagramSocket]) throws -> any DatagramBatchReceiving
    /// Waits on `sockets` (opened here).
    func waiter(_ sockets: [any DatagramSocket]) -> any DatagramWaiting
}

/// A sending track's sockets.
public struct SendingSockets {
    public var rtp: any DatagramSink
    /// RTCP's socket: the RTP socket itself with rtcp-mux.
    public var rtcp: any DatagramSocket
    /// The path MTU learned on the RTP socket's route, when known.
    public var pathMTU: () -> Int?

    public init(rtp: any DatagramSink, rtcp: any DatagramSocket, pathMTU: @escaping () -> Int?) {
        self.rtp = rtp
        self.rtcp = rtcp
        self.pathMTU = pathMTU
    }
}

/// Why a listening socket could not be opened.
public enum ListenFailure: Error {
    /// The port could not be bound (in use, or not permitted).
    case bind(SystemError)
    /// It was bound, but could not be set up (DSCP, group membership).
    case configure(SystemError)
}

/// The system's network: UDP sockets, getaddrinfo and the routing table.
public struct SystemNetwork: Network {
    public init() {}

    public func interfaceIndex(_ name: String) -> UInt32? { NetworkInterface.index(name) }

    public func resolve(_ host: String) throws -> IPAddress { try Resolver.resolve(host) }

    public func route(towards address: IPAddress, interface: UInt32) throws -> (localAddress: IPAddress, mtu: Int?) {
        let route = try Resolver.route(towards: address, interface: interface)
        return (route.localAddress, route.mtu)
    }

    /// The RTP socket with the track's DSCP, Don't Fragment unless fragmentation is allowed, the multicast hop
    /// limit, interface and loop, bound to the asked address and connected to the destination; RTCP leaves from
    /// the RTP source port + 1 (RFC 3550 section 11): with a system-chosen port, pairs are tried until one is free.
    public func openSending(_ plan: TrackPlan, interface: UInt32) throws -> SendingSockets {
        let family = plan.destination.family
        let bindAddress = plan.bindsSourceAddress ? plan.sourceAddress : .unspecified(family)
        func prepared() throws -> UDPSocket {
            let socket = try UDPSocket(family: family)
            try socket.setDSCP(plan.dscp)
            if let ttl = plan.multicastTTL {
                try socket.setMulticast(hops: ttl, interface: interface, loop: plan.multicastLoop)
            }
            return socket
        }
        var attempt = 0
        while true {
            attempt += 1
            let socket = try prepared()
            socket.setBufferSize(send: 1 << 20)
            try socket.setDontFragment(plan.dontFragment)
            try socket.bind(to: Endpoint(address: bindAddress, port: plan.sourcePort ?? 0))
            try socket.connect(to: plan.destination)
            if plan.rtcpMultiplexed { return SendingSockets(rtp: socket, rtcp: socket) { socket.pathMTU } }
            let rtcpSocket = try prepared()
            // RTCP listens where RTP leaves from (the address the route chose, 127.0.0.1 towards loopback), not on
            // every interface: reports come back to the address the sender reports come from.
            let local = try socket.localEndpoint()
            // A system-chosen 65535 has no next port: another pair is tried, 32 at most.
            guard let rtcpPort = plan.sourceRTCPPort ?? TakeRules.nextPort(after: local.port) else {
                if attempt < 32 { continue }
                throw SystemError("bind", errno: SystemError.addressInUse)
            }
            do {
                try rtcpSocket.bind(to: Endpoint(address: local.address, port: rtcpPort), reusingAddress: false)
            } catch let error as SystemError where error.isAddressInUse && plan.sourcePort == nil && attempt < 32 {
                continue
            }
            return SendingSockets(rtp: socket, rtcp: rtcpSocket) { socket.pathMTU }
        }
    }

    public func openAnnouncing(family: IPAddress.Family, hops: Int, interface: UInt32, loop: Bool) throws
        -> any DatagramSocket
    {
        let socket = try UDPSocket(family: family)
        try socket.setMulticast(hops: hops, interface: interface, loop: loop)
        return socket
    }

    /// A unicast port is not shared (a port in use fails); a group's is, as every multicast receiver on a host
    /// shares it (ffmpeg and GStreamer set SO_REUSEADDR for groups too).
    public func openListening(
        _ endpoint: Endpoint, group: IPAddress?, source: IPAddress?, interface: UInt32, dscp: Int?
    ) throws -> any DatagramSocket {
        let socket: UDPSocket
        do {
            socket = try UDPSocket(family: endpoint.family)
            try socket.bind(to: endpoint, reusingAddress: group != nil)
        } catch {
            throw ListenFailure.bind(error as? SystemError ?? SystemError("bind", errno: 0))
        }
        do {
            if let dscp { try socket.setDSCP(dscp) }
            if let group { try socket.join(group: group, source: source, interface: interface) }
        } catch {
            throw ListenFailure.configure(error as? SystemError ?? SystemError("setsockopt", errno: 0))
        }
        return socket
    }

    public func batchReceiver(_ sockets: [any DatagramSocket]) throws -> any DatagramBatchReceiving {
        try BatchReceiver(sockets: sockets.compactMap { $0 as? UDPSocket })
    }

    public func waiter(_ sockets: [any DatagramSocket]) -> any DatagramWaiting {
        SocketPoller(sockets.compactMap { $0 as? UDPSocket })
    }
}
