import Interfaces
import SDP
import Synchronization

/// Announces session descriptions with SAP (RFC 2974): every one at once, then again at an interval, a deletion for
/// each (three times, as receivers miss single packets) when the streams end or are stopped.
///
/// The interval is what AES67 devices use, about 30 s, never shorter than RFC 2974 section 3.1's bandwidth bound for
/// the announcements' size (8 x count x size / 4000 bit/s), and spread by a random factor of 2/3 to 4/3 so that
/// announcers do not synchronise.
public final class SAPAnnouncer: @unchecked Sendable {
    // @unchecked: `random` belongs to the announcing thread; the descriptions are behind a Mutex.
    public static let baseIntervalSeconds = 30.0
    /// RFC 2974's default bandwidth limit for announcements in one scope, bits per second.
    public static let bandwidthLimit = 4000.0
    /// How many times a deletion is sent, and how far apart.
    public static let deletionRepeats = 3
    public static let deletionSpacingNanoseconds: Int64 = 200_000_000

    let socket: any DatagramSocket
    let destination: Endpoint
    let origin: IPAddress
    private let descriptions: Mutex<[String]>
    private var random: any RandomNumberGenerator
    /// Announcements and deletions sent.
    public let sent = Atomic<Int>(0)

    /// - Parameters:
    ///   - descriptions: the SDP text of each stream, announced one packet each.
    ///   - origin: the announcer's own address, the packets' originating source.
    public init(
        descriptions: [String], socket: any DatagramSocket, destination: Endpoint, origin: IPAddress,
        random: any RandomNumberGenerator
    ) {
        self.descriptions = Mutex(descriptions)
        self.socket = socket
        self.destination = destination
        self.origin = origin
        self.random = random
    }

    /// Replaces the descriptions (a new version of them), announced at once.
    /// The replaced ones are deleted first, so that a receiver that keys sessions by their message hash (PipeWire
    /// does) drops the old version at once instead of at its timeout.
    public func update(_ texts: [String]) {
        descriptions.withLock { current in
            retired.withLock { $0 += current.filter { !texts.contains($0) } }
            current = texts
        }
        pendingNow.store(true, ordering: .releasing)
    }

    /// Descriptions replaced since the last announcement, to delete before announcing their successors.
    private let retired = Mutex<[String]>([])

    private let pendingNow = Atomic<Bool>(false)

    /// The packets for the descriptions now.
    public func packets(kind: SAPPacket.Kind) -> [[UInt8]] {
        packets(kind: kind, for: descriptions.withLock { $0 })
    }

    func packets(kind: SAPPacket.Kind, for texts: [String]) -> [[UInt8]] {
        texts.map { text in
            SAPPacket(kind: kind, messageIDHash: Self.hash(text), originatingSource: origin.bytes, payload: text).bytes
        }
    }

    /// A 16-bit hash of a description: FNV-1a folded, so it changes whenever the text does.
    public static func hash(_ text: String) -> UInt16 {
        var hash: UInt32 = 0x811C_9DC5
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        return UInt16(truncatingIfNeeded: hash >> 16) ^ UInt16(truncatingIfNeeded: hash)
    }

    /// The interval before randomisation for `count` announcements of `averageBytes`.
    public static func intervalSeconds(count: Int, averageBytes: Double) -> Double {
        max(baseIntervalSeconds, 8 * Double(count) * averageBytes / bandwidthLimit)
    }

    /// Announces until `finished` or `stop` is set, then sends the deletions.
    public func run(clocks: some Clocks, finished: StopSignal, stop: StopSignal) {
        var next = clocks.monotonicNow()
        while !finished.isStopped && !stop.isStopped {
            let now = clocks.monotonicNow()
            if now >= next || pendingNow.exchange(false, ordering: .acquiring) {
                send(
                    packets(
                        kind: .deletion,
                        for: retired.withLock { texts in
                            defer { texts = [] }; return texts
                        }))
                let packets = packets(kind: .announcement)
                send(packets)
                let average = Double(packets.reduce(0) { $0 + $1.count }) / Double(max(1, packets.count))
                let seconds =
                    Self.intervalSeconds(count: packets.count, averageBytes: average)
                    * Double.random(in: 2.0 / 3.0...4.0 / 3.0, using: &random)
                next = now + Int64(seconds * 1e9)
            }
            clocks.sleep(untilMonotonic: min(next, clocks.monotonicNow() + 20_000_000))
        }
        let deletions = packets(kind: .deletion)
        for repeat_ in 0..<Self.deletionRepeats {
            if repeat_ > 0 { clocks.sleep(untilMonotonic: clocks.monotonicNow() + Self.deletionSpacingNanoseconds) }
            send(deletions)
        }
    }

    private func send(_ packets: [[UInt8]]) {
        for packet in packets where packet.withUnsafeBytes({ socket.send($0, to: destination) }) == .sent {
            sent.add(1, ordering: .relaxed)
        }
    }
}
