/// What a stream's counters say of its way to the receiver, told once per change rather than once per packet:
/// sends that start failing and later go through again, and a destination that refuses (ICMP port unreachable:
/// nobody listening) and later stops refusing. A pure function of successive counter snapshots.
public struct DeliveryWatch: Sendable {
    public enum Change: Sendable, Hashable {
        /// Sends began to fail with `errno` (no route, interface down, buffer full); the stream goes on.
        case failing(errno: Int32)
        /// Sends go through again after `failed` failures over `seconds`.
        case recovered(failed: Int, seconds: Double)
        /// The destination refuses (nobody listening); every packet is still sent.
        case refused
        /// No refusal for `quietSeconds`: someone listens now; `refused` sends were refused before.
        case listening(refused: Int, seconds: Double)
    }

    /// How long without a refusal before the destination counts as listening (ICMP errors are rate-limited to
    /// about one a second on most hosts, so a shorter quiet proves nothing).
    public static let quietSeconds = 3.0

    private var last = TrackCounters().snapshot
    private var failing: (since: Double, failedBefore: Int)?
    private var refusing: (since: Double, lastRefusal: Double, refusedBefore: Int)?
    /// The errno that has its own report (EMSGSIZE: a datagram larger than the path), left out here.
    private let ignoredErrno: Int32

    public init(ignoring errno: Int32) {
        ignoredErrno = errno
    }

    /// The changes since the previous snapshot, `elapsed` seconds into the stream.
    public mutating func update(_ now: TrackCounters.Snapshot, elapsed: Double) -> [Change] {
        defer { last = now }
        var changes: [Change] = []
        let newFailures = now.failedSends - last.failedSends
        let newPackets = now.packets - last.packets
        if let episode = failing {
            if newFailures == 0 && newPackets > 0 {
                changes.append(
                    .recovered(failed: now.failedSends - episode.failedBefore, seconds: elapsed - episode.since))
                failing = nil
            }
        } else if newFailures > 0 && now.lastSendError != ignoredErrno {
            changes.append(.failing(errno: now.lastSendError))
            failing = (elapsed, last.failedSends)
        }
        let newRefusals = now.refusedSends - last.refusedSends
        if var episode = refusing {
            if newRefusals > 0 {
                episode.lastRefusal = elapsed
                refusing = episode
            } else if elapsed - episode.lastRefusal >= Self.quietSeconds && newPackets > 0 {
                changes.append(
                    .listening(refused: now.refusedSends - episode.refusedBefore, seconds: elapsed - episode.since))
                refusing = nil
            }
        } else if newRefusals > 0 {
            changes.append(.refused)
            refusing = (elapsed, elapsed, last.refusedSends)
        }
        return changes
    }
}
