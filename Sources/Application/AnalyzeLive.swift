import Analysis
import Interfaces
import Planning
import Platform
import RTP

extension AnalyzeProgram {
    /// Listens to the described streams for the duration asked (or until stopped), each datagram analysed at its
    /// kernel receive time.
    static func analyzeLive(
        _ request: AnalyzeRequest, environment: Environment, events: @escaping @Sendable (AnalyzeEvent) -> Void,
        stop: StopSignal
    ) throws(AnalyzeFailure) -> [AnalyzedStream] {
        func index(_ name: String?, secondLeg: Bool) throws(AnalyzeFailure) -> UInt32? {
            guard let name else { return nil }
            guard let index = environment.network.interfaceIndex(name) else {
                throw .record(.noInterface(name, secondLeg: secondLeg))
            }
            return index
        }
        let interface = try index(request.interface, secondLeg: false)
        let secondInterface = try index(request.redundantInterface, secondLeg: true)
        guard let described = request.streams else { return [] }
        let streams = try self.described(described, interface: interface, environment: environment, events: events)
        // The arrival times are this host's clock: verified against the streams' reference where ptp4l answers for
        // a PTP clock, or the kernel says the clock is synchronised (NTP).
        let ptp = PTPClient.status(socketPath: request.ptpSocket, domain: request.ptpDomain)
        let synchronized = ptp != nil || (environment.clockSync.read()?.isSynchronized ?? false)
        let taiOffset = taiOffsetSeconds(ptp: ptp)
        let analyzers = streams.map { stream in
            StreamAnalyzer(
                stream.description,
                anchor: anchor(for: stream.description, synchronized: synchronized, taiOffsetSeconds: taiOffset),
                periodNanoseconds: request.periodNanoseconds)
        }
        // Each leg's ports bound, as the recorder binds them; a route per socket.
        var sockets: [any DatagramSocket] = []
        var routes: [(stream: Int, leg: Int, isControl: Bool?)] = []
        var taken = Set<Endpoint>()
        for (number, stream) in streams.enumerated() {
            let description = stream.description
            var legs = [
                (description.destination, description.port, description.rtcpPort, description.sourceFilter, interface)
            ]
            if let second = description.secondLeg {
                legs.append((second.destination, second.port, second.rtcpPort, second.sourceFilter, secondInterface))
            }
            for (legNumber, (destination, port, rtcpPort, filter, legInterface)) in legs.enumerated() {
                let leg: RecordLeg
                do throws(PlanError) {
                    leg = try RecordPlanner.leg(
                        destination: destination, port: port, rtcpPort: rtcpPort,
                        multiplexed: description.rtcpMultiplexed || rtcpPort == port, sourceFilter: filter,
                        taken: &taken)
                } catch {
                    throw .record(.plan(error, origin: stream.origin))
                }
                do throws(RecordFailure) {
                    sockets.append(
                        try RecordProgram.listen(
                            leg.listen, group: leg.multicastGroup, source: leg.multicastSource, dscp: nil,
                            interface: legInterface ?? 0, network: environment.network))
                    routes.append((number, legNumber, leg.rtcpListen == nil ? nil : false))
                    if let rtcp = leg.rtcpListen {
                        sockets.append(
                            try RecordProgram.listen(
                                rtcp, group: leg.multicastGroup, source: leg.multicastSource, dscp: nil,
                                interface: legInterface ?? 0, network: environment.network))
                        routes.append((number, legNumber, true))
                    }
                } catch {
                    throw .record(error)
                }
            }
            events(.listening(name: description.name, port: description.port))
        }
        let receiver: any DatagramBatchReceiving
        do {
            receiver = try environment.network.batchReceiver(sockets)
        } catch {
            throw .record(.network(error as? SystemError ?? SystemError("setsockopt", errno: 0)))
        }
        let clock = environment.timeline
        let started = clock.now()
        let end = request.durationNanoseconds.map { started + $0 }
        var nextProgress = started + 1_000_000_000
        while !stop.isStopped {
            let now = clock.now()
            if let end, now >= end { break }
            if now >= nextProgress {
                // Once a second, between receives: the analyzers are touched by this thread alone.
                events(.progress(elapsedNanoseconds: now - started, streams: analyzers.map(\.progress)))
                nextProgress += 1_000_000_000
                if nextProgress <= now { nextProgress = now + 1_000_000_000 }
            }
            _ = receiver.receive(waitingMilliseconds: 50) { socket, bytes, _, arrival in
                guard bytes.count >= 2 else { return }
                let route = routes[socket]
                let control =
                    route.isControl ?? (MultiplexedPacket(firstByte: bytes[0], secondByte: bytes[1]) == .rtcp)
                if control {
                    analyzers[route.stream].takeControl(Array(bytes))
                } else {
                    analyzers[route.stream].take(bytes, arrival: arrival, leg: route.leg)
                }
            }
        }
        guard analyzers.contains(where: { $0.sequence.packets > 0 }) else {
            throw .nothingReceived(ports: streams.map(\.description.port))
        }
        for (stream, analyzer) in zip(streams, analyzers) where analyzer.sequence.packets == 0 {
            events(.unheard(name: stream.description.name))
        }
        var drops = [Int](repeating: 0, count: streams.count)
        for (socket, route) in routes.enumerated() { drops[route.stream] += receiver.kernelDrops(socket) }
        return zip(judged(Array(zip(streams, analyzers)), request: request), drops).map { stream, dropped in
            var stream = stream
            stream.kernelDrops = dropped
            return stream
        }
    }
}
