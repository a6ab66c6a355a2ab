import Numbers
import Planning
import RTP
import Testing

// Packet times as the user writes them (exact decimals of milliseconds), their length in frames, and how
// many frames fit one datagram. The datagram limit is MTU - IP header - UDP header (8) - RTP header (12):
// IPv4 20, IPv6 40 (RFC 791, RFC 8200, RFC 768, RFC 3550 section 5.1).

@Suite struct PacketTimeTests {
    @Test(arguments: [
        ("1", 44_100, 44),  // 44.1 -> 44
        ("1", 48_000, 48),
        ("1", 96_000, 96),
        ("0.125", 48_000, 6),
        ("0.125", 44_100, 6),  // 5.5125 -> 6
        ("0.125", 96_000, 12),
        ("2.5", 44_100, 110),  // 110.25 -> 110
        ("2.5", 48_000, 120),
        ("10", 44_100, 441),
        ("10", 48_000, 480),
        ("10", 96_000, 960),
        ("0.03125", 48_000, 2),  // exactly 1.5 frames: halves round up
        ("0.01", 48_000, 0),  // 0.48 of a frame
    ])
    func frames(text: String, sampleRate: Int, frames: Int) throws {
        let time = try #require(PacketTime(milliseconds: text))
        #expect(time.frames(atSampleRate: sampleRate) == frames)
        #expect(time.description == text)
    }

    @Test(arguments: [
        (240, 48_000, "5"),  // 5000 us
        (6, 48_000, "0.125"),  // 125 us
        (16, 48_000, "0.333"),  // 333.33 us -> 333
        (44, 44_100, "0.998"),  // 997.73 us -> 998
        (48, 48_000, "1"),
        (441, 44_100, "10"),
        (120, 48_000, "2.5"),  // 2500 us: trailing zeros dropped
        (1, 48_000, "0.021"),  // 20.83 us -> 21: a leading zero kept
        (48_000, 48_000, "1000"),
    ])
    func millisecondsText(frames: Int, sampleRate: Int, text: String) {
        #expect(MediaTime.millisecondsText(frames: frames, sampleRate: sampleRate) == text)
    }
}

@Suite struct PacketSizingTests {
    private static func sizing(
        _ milliseconds: String, rate: Int, bytesPerFrame: Int, mtu: Int = 1500,
        overhead: Int = PacketSizing.ipv4Overhead, policy: FragmentationPolicy = .fit
    ) throws -> PacketSizing {
        let time = try #require(PacketTime(milliseconds: milliseconds))
        return try PacketSizing(
            packetTime: time, sampleRate: rate, bytesPerFrame: bytesPerFrame, mtu: mtu, ipOverhead: overhead,
            policy: policy)
    }

    @Test func overheads() {
        // IPv4 header 20 + UDP 8; IPv6 header 40 + UDP 8.
        #expect(PacketSizing.ipv4Overhead == 28)
        #expect(PacketSizing.ipv6Overhead == 48)
    }

    /// The seed's `--delay_ms 10`: 48 kHz stereo L16 is 480 frames x 4 bytes = 1920 bytes, over the
    /// 1500 - 28 - 12 = 1460 an IPv4 datagram carries. 365 frames would fit; 240 (5 ms) divides 480 and
    /// is at least half of 365, so two packets tile each 10 ms.
    @Test func seedDelayIsHalved() throws {
        let plan = try Self.sizing("10", rate: 48_000, bytesPerFrame: 4)
        #expect(plan.requestedFrames == 480)
        #expect(plan.payloadLimit == 1460)
        #expect(plan.framesPerPacket == 240)
        #expect(plan.payloadBytes == 960)
        #expect(plan.wasReduced)
        #expect(MediaTime.millisecondsText(frames: plan.framesPerPacket, sampleRate: 48_000) == "5")
    }

    /// 96 kHz, 8 channels of L24: 24 bytes a frame; 1 ms = 96 frames = 2304 bytes > 1460. 60 fit;
    /// 48 divides 96 and is at least half of 60.
    @Test func eightChannels24BitAt96kHz() throws {
        let plan = try Self.sizing("1", rate: 96_000, bytesPerFrame: 24)
        #expect(plan.requestedFrames == 96)
        #expect(plan.framesPerPacket == 48)
        #expect(plan.payloadBytes == 1152)
        #expect(plan.wasReduced)
    }

    /// A packet that fits is kept as asked.
    @Test func fittingPacketIsKept() throws {
        // 1 ms of 48 kHz stereo L24 = 48 x 6 = 288 bytes.
        let plan = try Self.sizing("1", rate: 48_000, bytesPerFrame: 6)
        #expect(plan.framesPerPacket == 48)
        #expect(plan.payloadBytes == 288)
        #expect(!plan.wasReduced)
    }

    /// IPv6 carries 20 bytes less: 1500 - 48 - 12 = 1440.
    @Test func ipv6Overhead() throws {
        // 15 ms of 48 kHz mono L16 = 720 frames x 2 = 1440 bytes: exactly the IPv6 limit, kept.
        let exact = try Self.sizing("15", rate: 48_000, bytesPerFrame: 2, overhead: PacketSizing.ipv6Overhead)
        #expect(exact.payloadLimit == 1440)
        #expect(exact.framesPerPacket == 720)
        #expect(!exact.wasReduced)
        // 15.1 ms = 724.8 -> 725 frames = 1450 bytes: fits IPv4's 1460 ...
        let v4 = try Self.sizing("15.1", rate: 48_000, bytesPerFrame: 2)
        #expect(v4.framesPerPacket == 725)
        #expect(!v4.wasReduced)
        // ... but not IPv6's 1440. 720 fit; the largest divisor of 725 (= 5 x 5 x 29) up to 720 is 145,
        // less than half of 720, so the most that fits is taken.
        let v6 = try Self.sizing("15.1", rate: 48_000, bytesPerFrame: 2, overhead: PacketSizing.ipv6Overhead)
        #expect(v6.framesPerPacket == 720)
        #expect(v6.wasReduced)
    }

    @Test func strictRefuses() {
        #expect(
            throws: PlanError.packetExceedsMTU(packetTime: "10", bytes: 1920, mtu: 1500, limit: 1460)
        ) {
            try Self.sizing("10", rate: 48_000, bytesPerFrame: 4, policy: .strict)
        }
    }

    @Test func strictAcceptsWhatFits() throws {
        // 5 ms = 960 bytes of 48 kHz stereo L16.
        let plan = try Self.sizing("5", rate: 48_000, bytesPerFrame: 4, policy: .strict)
        #expect(plan.framesPerPacket == 240)
    }

    @Test func allowFragmentationKeepsThePacketTime() throws {
        let plan = try Self.sizing("10", rate: 48_000, bytesPerFrame: 4, policy: .allowFragmentation)
        #expect(plan.framesPerPacket == 480)
        #expect(plan.payloadBytes == 1920)
        #expect(!plan.wasReduced)
    }

    @Test func fragmentationStillBoundedByUDP() {
        // 1000 ms of 96 kHz 8-channel L24 = 96000 x 24 = 2 304 000 bytes; UDP over IPv4 carries at most
        // 65535 - 20 - 8 = 65507, less 12 for RTP = 65495.
        #expect(throws: PlanError.packetLargerThanUDP(bytes: 2_304_000, limit: 65_495)) {
            try Self.sizing("1000", rate: 96_000, bytesPerFrame: 24, policy: .allowFragmentation)
        }
    }

    @Test func frameLargerThanTheMTU() {
        // 64 channels of L24 = 192 bytes a frame; MTU 100 leaves 100 - 28 - 12 = 60.
        #expect(throws: PlanError.frameExceedsMTU(bytesPerFrame: 192, mtu: 100, limit: 60)) {
            try Self.sizing("1", rate: 48_000, bytesPerFrame: 192, mtu: 100)
        }
    }

    @Test func packetTimeBelowOneFrame() {
        // 0.01 ms at 48 kHz = 0.48 frames, rounds to 0.
        #expect(throws: PlanError.packetTimeBelowOneFrame(packetTime: "0.01", sampleRate: 48_000)) {
            try Self.sizing("0.01", rate: 48_000, bytesPerFrame: 4)
        }
        // 0.0104 ms = 0.4992 frames, still 0, whatever the policy.
        #expect(throws: PlanError.packetTimeBelowOneFrame(packetTime: "0.0104", sampleRate: 48_000)) {
            try Self.sizing("0.0104", rate: 48_000, bytesPerFrame: 4, policy: .allowFragmentation)
        }
    }

    /// Exactly half a frame rounds up to one frame: allowed.
    @Test func halfAFrameIsOneFrame() throws {
        // 0.0125 ms x 40 kHz = 0.5 frames -> 1.
        let plan = try Self.sizing("0.0125", rate: 40_000, bytesPerFrame: 4)
        #expect(plan.framesPerPacket == 1)
    }
}
