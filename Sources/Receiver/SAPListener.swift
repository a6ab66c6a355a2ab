import Interfaces
import SDP

/// Hears SAP announcements (RFC 2974) for a while, the listening side of the sender's `SAPAnnouncer`: each session
/// known by its key (a new version replaces the one heard before, a deletion removes it), at most a thousand kept
/// whatever the network sends.
public final class SAPListener {
    /// An announced session.
    public struct Session: Sendable {
        public var document: SDPDocument
        /// The description as announced.
        public var text: String
        /// Who announced it.
        public var source: Endpoint
    }

    let socket: any DatagramSocket
    let waiter: any DatagramWaiting
    /// The sessions wanted, by `s=` or a media's `i=`; empty wants every one.
    let names: [String]
    private var heard: [String: Session] = [:]
    private var order: [String] = []
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    /// The most sessions kept.
    public static let maximumSessions = 1000

    /// - Parameter waiter: waits on `socket`.
    public init(socket: any DatagramSocket, waiter: any DatagramWaiting, names: [String]) {
        self.socket = socket
        self.waiter = waiter
        self.names = names
    }

    /// Whether a session is one of those named (or any, when none is).
    public func wants(_ document: SDPDocument) -> Bool {
        names.isEmpty || names.contains(document.description.sessionName)
            || document.description.media.contains { $0.information.map(names.contains) ?? false }
    }

    /// Whether every session named has been heard.
    var isComplete: Bool {
        !names.isEmpty
            && names.allSatisfy { name in
                heard.values.contains { session in
                    session.document.description.sessionName == name
                        || session.document.description.media.contains { $0.information == name }
                }
            }
    }

    /// Listens until `deadline` on `clock`'s timeline, or until every session named has been heard; `announced`
    /// hears of every new announcement and whether it is wanted. Returns the wanted sessions still announced, in
    /// the order they were first heard.
    public func listen(
        until deadline: Int64, clock: some PacingClock, announced: (Session, _ wanted: Bool) -> Void
    ) -> [Session] {
        while clock.now() < deadline && !isComplete {
            guard waiter.wait(milliseconds: Int(min(100, (deadline - clock.now()) / 1_000_000 + 1))) else { continue }
            while let (count, source) = buffer.withUnsafeMutableBytes({ socket.receiveNow(into: $0) }) {
                guard let packet = try? SAPPacket(parsing: Array(buffer.prefix(count))), let key = packet.sessionKey
                else { continue }
                switch packet.kind {
                case .deletion: heard[key] = nil
                case .announcement:
                    guard heard[key].map({ $0.text != packet.payload }) ?? (heard.count < Self.maximumSessions),
                        let document = try? SDPDocument(parsing: packet.payload)
                    else { continue }
                    if heard[key] == nil { order.append(key) }
                    let session = Session(document: document, text: packet.payload, source: source)
                    heard[key] = session
                    announced(session, wants(document))
                }
            }
        }
        return order.compactMap { heard[$0] }.filter { wants($0.document) }
    }
}
