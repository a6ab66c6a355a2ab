import Interfaces
import PCM
import Planning
import TestSupport
import Testing

/// What a take implies where nothing is asked: the rules the command line used to apply while parsing.
@Suite struct TakeDefaultsTests {
    @Test("an AES67 take's timestamps follow PTP time unless another origin is asked; others follow the wall clock")
    func aes67ImpliesPTPTime() {
        var take = Take()
        #expect(take.origin == .wallClock)
        take.aes67 = true
        #expect(take.origin == .ptp)
        take.timestampOrigin = .random
        #expect(take.origin == .random)
        take.aes67 = false
        take.timestampOrigin = .ptp
        #expect(take.origin == .ptp)
    }
}

/// Every stream's SDP names the stream by its own `o=`.
@Suite struct StreamOriginTests {
    static func plan(now: Int64) throws -> TakePlan {
        var take = Take()
        take.tracks = [TakeTrack(name: "a", source: .testSignal), TakeTrack(name: "b", source: .testSignal)]
        let format = PCMFormat(encoding: .signed16, channelCount: 2, sampleRate: 48_000)
        let local = try #require(IPAddress("127.0.0.1"))
        var random = SplitMix64(state: 1)
        return try Planner.plan(
            take,
            inputs: PlanInputs(
                formats: [format, format], hosts: ["127.0.0.1": ResolvedHost(address: local, localAddress: local)],
                now: now, userName: "u", referenceClock: "local"), random: &random)
    }

    @Test("two streams of one process carry two o= identities, each the same in another run")
    func ownOrigins() throws {
        let first = try Self.plan(now: 1_796_558_400_000_000_000)
        let later = try Self.plan(now: 1_796_558_500_000_000_000)
        let ids = first.tracks.map { first.sessionDescription(for: $0).origin.sessionID }
        #expect(Set(ids).count == 2)
        #expect(later.tracks.map { later.sessionDescription(for: $0).origin.sessionID } == ids)
        // The versions say which description is newer; the session SDP keeps the take's own identity.
        #expect(
            later.sessionDescription(for: later.tracks[0]).origin.sessionVersion
                > first.sessionDescription(for: first.tracks[0]).origin.sessionVersion)
        #expect(!ids.contains(first.origin.sessionID))
    }
}
