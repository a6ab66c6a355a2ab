import Interfaces
import JSON
import Numbers
import PCM
import Planning
import Platform
import RTP
import Receiver
import SDP
import Synchronization
import WAV

extension RecordProgram {
    /// The streams the request describes, read from their files.
    static func streams(
        of streams: RecordRequest.Streams, interface: UInt32?, taiOffsetSeconds: Int, environment: Environment,
        start: inout StartRequest?, events: (RecordEvent) -> Void
    ) throws(RecordFailure) -> [RecordTake.Stream] {
        switch streams {
        case .sap(let names, let wait, let group):
            return try announcedStreams(
                names: names, waitSeconds: wait, group: group, interface: interface, clock: environment.timeline,
                network: environment.network, events: events)
        case .plain(let description):
            return [RecordTake.Stream(description: description, origin: "the options")]
        case .takeFile(let path):
            let file: TakeFile
            do throws(TakeFiles.Problem) {
                file = try TakeFiles.read(path)
            } catch {
                switch error {
                case .unreadable(let reason): throw .descriptionUnreadable(path: path, reason: reason)
                case .invalid(let error): throw .takeFile(path: path, error)
                }
            }
            do throws(PlanError) {
                // The take file's start is the take's time zero, unless one is asked: before the first packet the
                // idle time counts from it.
                start = start ?? file.start
                return try RecordPlanner.streams(
                    of: file, path: path, taiOffsetSeconds: taiOffsetSeconds)
            } catch {
                throw .plan(error, origin: path)
            }
        case .sdpFiles(let paths):
            var all: [RecordTake.Stream] = []
            for path in paths {
                let bytes = try readSmallFile(path)
                let document: SDPDocument
                do throws(SDPError) {
                    document = try SDPDocument(parsing: bytes)
                } catch {
                    throw .description(path: path, error)
                }
                let found: [StreamDescription]
                do throws(PlanError) {
                    found = try StreamDescription.streams(in: document)
                } catch {
                    throw .plan(error, origin: path)
                }
                guard !found.isEmpty else { throw .plan(.noStreams, origin: path) }
                for ignored in StreamDescription.ignoredAttributes(in: document) {
                    events(.ignoredAttribute(origin: "\(path):\(ignored.line)", attribute: ignored.attribute))
                }
                for (index, stream) in found.enumerated() {
                    let line = document.mediaLines[
                        document.description.media.indices.filter {
                            document.description.media[$0].media == "audio"
                        }[index]]
                    // Written by the stream's own sender: its o= names the source the SDP filters on.
                    let own = stream.sourceFilter?.address == document.description.origin.address.address
                    all.append(RecordTake.Stream(description: stream, origin: "\(path):\(line)", fromSender: own))
                }
            }
            return all
        }
    }

    /// Listens for SAP announcements (239.255.255.255:9875, or the group given) for `waitSeconds`, or until every
    /// stream named has been heard; returns the streams named (by `s=` or `i=`), or every one heard.
    static func announcedStreams(
        names: [String], waitSeconds: Int, group: String?, interface: UInt32?, clock: MonotonicTimeline,
        network: any Network, events: (RecordEvent) -> Void
    ) throws(RecordFailure) -> [RecordTake.Stream] {
        let address: IPAddress
        if let group {
            guard let parsed = IPAddress(group), parsed.isMulticast else { throw .plan(.noStreams, origin: group) }
            address = parsed
        } else {
            address = SAPGroup.ipv4
        }
        let socket = try listen(
            Endpoint(address: address, port: SAPPacket.port), group: address, source: nil, dscp: nil,
            interface: interface ?? 0, network: network)
        let listener = SAPListener(socket: socket, waiter: network.waiter([socket]), names: names)
        let sessions = listener.listen(until: clock.now() + Int64(waitSeconds) * 1_000_000_000, clock: clock) {
            session, wanted in
            events(
                .announced(
                    name: session.document.description.sessionName, origin: "\(session.source.address)",
                    recorded: wanted))
        }
        var found: [RecordTake.Stream] = []
        for session in sessions {
            guard let streams = try? StreamDescription.streams(in: session.document) else { continue }
            found += streams.map { RecordTake.Stream(description: $0, origin: "SAP from \(session.source.address)") }
        }
        guard !found.isEmpty else { throw .notAnnounced(names: names) }
        return found
    }
}
