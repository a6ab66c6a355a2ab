import Analysis
import Capture
import Interfaces
import Planning
import Platform
import SDP

extension AnalyzeProgram {
    /// Reads a capture to its end: each datagram to a described stream's port analysed at its capture time; SAP
    /// announcements in it describe streams where no description was given.
    static func analyzeCapture(
        _ path: String, request: AnalyzeRequest, environment: Environment,
        events: @escaping @Sendable (AnalyzeEvent) -> Void
    ) throws(AnalyzeFailure) -> [AnalyzedStream] {
        var streams: [RecordTake.Stream] = []
        if let described = request.streams {
            streams = try self.described(described, interface: nil, environment: environment, events: events)
        }
        let fromAnnouncements = request.streams == nil
        let taiOffset = taiOffsetSeconds(ptp: nil)
        func analyzer(_ stream: RecordTake.Stream) -> StreamAnalyzer {
            StreamAnalyzer(
                stream.description,
                anchor: anchor(
                    for: stream.description, synchronized: request.captureClockSynchronized,
                    taiOffsetSeconds: taiOffset),
                periodNanoseconds: request.periodNanoseconds)
        }
        var analyzers = streams.map(analyzer)
        var routes = StreamRoutes(streams.map(\.description))
        let file: SequentialReader
        do {
            file = try SequentialReader(path: path)
        } catch {
            throw .captureUnreadable(path: path, reason: "\(error)")
        }
        let reader: DatagramReader
        do throws(CaptureError) {
            reader = DatagramReader(try CaptureReader { try file.read(into: $0) })
        } catch {
            throw .capture(path: path, error)
        }
        var datagrams = 0
        var seenPorts = Set<Int>()
        do throws(CaptureError) {
            while let datagram = try reader.next() {
                datagrams += 1
                let payload = datagram.payload
                if fromAnnouncements && datagram.destination.port == SAPPacket.port {
                    for stream in announced(payload, from: datagram.source.address, known: streams) {
                        events(.announced(name: stream.description.name, origin: stream.origin))
                        streams.append(stream)
                        analyzers.append(analyzer(stream))
                        routes = StreamRoutes(streams.map(\.description))
                    }
                    continue
                }
                guard payload.count >= 2,
                    let route = routes.route(
                        destination: datagram.destination, firstByte: payload[0], secondByte: payload[1])
                else {
                    if seenPorts.count < 4096 { seenPorts.insert(datagram.destination.port) }
                    continue
                }
                if route.isControl {
                    analyzers[route.stream].takeControl(Array(payload))
                } else {
                    analyzers[route.stream].take(payload, arrival: datagram.timeNanoseconds, leg: route.leg)
                }
            }
        } catch {
            throw .capture(path: path, error)
        }
        guard datagrams > 0 else { throw .emptyCapture(path: path) }
        guard !streams.isEmpty else { throw .nothingDescribed(path: path) }
        guard analyzers.contains(where: { $0.sequence.packets > 0 }) else {
            throw .noStreamInCapture(path: path, described: routes.ports, seen: seenPorts.sorted())
        }
        for (stream, analyzer) in zip(streams, analyzers) where analyzer.sequence.packets == 0 {
            events(.unheard(name: stream.description.name))
        }
        return judged(Array(zip(streams, analyzers)), request: request)
    }

    /// The streams a SAP announcement in a capture describes that are not known yet (by destination and port).
    static func announced(_ payload: UnsafeRawBufferPointer, from source: IPAddress, known: [RecordTake.Stream])
        -> [RecordTake.Stream]
    {
        guard let packet = try? SAPPacket(parsing: Array(payload)), packet.kind != .deletion,
            let document = try? SDPDocument(parsing: packet.payload),
            let found = try? StreamDescription.streams(in: document)
        else { return [] }
        return found.filter { stream in
            !known.contains {
                $0.description.port == stream.port && $0.description.destination == stream.destination
            }
        }.map { RecordTake.Stream(description: $0, origin: "SAP from \(source)") }
    }
}
