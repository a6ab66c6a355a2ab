import Interfaces
import Numbers
import PCM
import Planning
import TestSupport
import Testing

/// ST 2110-30's conformance levels, as a table of what each takes.
@Suite struct ST2110LevelTests {
    static let oneMillisecond = PacketTime.standard
    static let shortest = PacketTime(milliseconds: ExactDecimal(numerator: 125, denominator: 1000))

    @Test(
        "each level's largest stream at 48 and 96 kHz",
        arguments: [
            (ST2110Level.a, 8, nil), (.ax, 8, 4), (.b, 8, nil), (.bx, 8, 8), (.c, 64, nil), (.cx, 64, 32),
        ] as [(ST2110Level, Int, Int?)])
    func largestStreams(_ level: ST2110Level, at48: Int, at96: Int?) {
        #expect(level.maximumChannels(atSampleRate: 48_000) == at48)
        #expect(level.maximumChannels(atSampleRate: 96_000) == at96)
        #expect(level.maximumChannels(atSampleRate: 44_100) == nil)
    }

    @Test("1 ms where the level takes the stream at 1 ms, else 125 us, else refused")
    func packetTimes() {
        #expect(ST2110Level.a.packetTime(sampleRate: 48_000, channels: 8) == Self.oneMillisecond)
        #expect(ST2110Level.a.packetTime(sampleRate: 48_000, channels: 9) == nil)
        #expect(ST2110Level.b.packetTime(sampleRate: 48_000, channels: 2) == Self.oneMillisecond)
        #expect(ST2110Level.b.packetTime(sampleRate: 48_000, channels: 9) == nil)
        #expect(ST2110Level.c.packetTime(sampleRate: 48_000, channels: 8) == Self.oneMillisecond)
        #expect(ST2110Level.c.packetTime(sampleRate: 48_000, channels: 64) == Self.shortest)
        #expect(ST2110Level.c.packetTime(sampleRate: 48_000, channels: 65) == nil)
        #expect(ST2110Level.ax.packetTime(sampleRate: 96_000, channels: 4) == Self.oneMillisecond)
        #expect(ST2110Level.ax.packetTime(sampleRate: 96_000, channels: 5) == nil)
        #expect(ST2110Level.bx.packetTime(sampleRate: 96_000, channels: 8) == Self.shortest)
        #expect(ST2110Level.cx.packetTime(sampleRate: 96_000, channels: 32) == Self.shortest)
        #expect(ST2110Level.cx.packetTime(sampleRate: 96_000, channels: 33) == nil)
        #expect(ST2110Level.c.packetTime(sampleRate: 96_000, channels: 1) == nil)
    }
}

/// The planner under a level: each stream at the level's packet time, or refused.
@Suite struct ST2110PlanTests {
    static func plan(_ level: ST2110Level, channels: Int, rate: Int = 48_000, mtu: Int = 1500) throws -> TakePlan {
        var take = Take()
        take.st2110Level = level
        take.mtu = mtu
        take.tracks = [TakeTrack(name: "t", source: .file("/t.wav"))]
        let inputs = PlanInputs(
            formats: [PCMFormat(encoding: .signed24, channelCount: channels, sampleRate: rate)],
            hosts: [
                "127.0.0.1": ResolvedHost(address: .loopback(.ipv4), localAddress: .loopback(.ipv4))
            ], now: 0, userName: "u", referenceClock: "local")
        var random = SplitMix64(state: 3)
        return try Planner.plan(take, inputs: inputs, random: &random)
    }

    @Test("a stream at the level's packet time: 1 ms where it takes it, else 125 us; L24 always")
    func packetTimes() throws {
        #expect(try Self.plan(.c, channels: 8).tracks.first?.framesPerPacket == 48)
        #expect(try Self.plan(.c, channels: 64).tracks.first?.framesPerPacket == 6)
        #expect(try Self.plan(.cx, channels: 32, rate: 96_000).tracks.first?.framesPerPacket == 12)
        #expect(try Self.plan(.a, channels: 2).tracks.first?.encoding == .l24)
    }

    @Test("refused: a rate or channel count the level does not take, and a stream the MTU cannot carry at its time")
    func refusals() {
        #expect(throws: PlanError.st2110(.a, track: "t", sampleRate: 96_000, channels: 2)) {
            try Self.plan(.a, channels: 2, rate: 96_000)
        }
        #expect(throws: PlanError.st2110(.b, track: "t", sampleRate: 48_000, channels: 9)) {
            try Self.plan(.b, channels: 9)
        }
        // 8 channels at 1 ms are 1152 bytes of L24: more than a 576-byte MTU carries.
        #expect(throws: PlanError.st2110DoesNotFit(.a, track: "t", packetTime: .standard, mtu: 576)) {
            try Self.plan(.a, channels: 8, mtu: 576)
        }
    }
}
