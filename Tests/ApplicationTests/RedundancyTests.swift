import Application
import Foundation
import Interfaces
import TestSupport
import Testing
import WAV

/// An SMPTE ST 2022-7 stream recorded in process: its two legs as RFC 7104 describes them, arriving on an in-memory
/// network on manual clocks, the second 20 ms behind the first, each losing packets of its own.
@Suite(.serialized)
struct RedundancyTests {
    /// One stream on two legs: ports 6600 and 6700, a duplication group.
    static let sdp = [
        "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=dup", "t=0 0", "a=group:DUP 1 2",
        "m=audio 6600 RTP/AVP 96", "c=IN IP4 127.0.0.1", "a=rtpmap:96 L16/48000/1", "a=ptime:1", "a=mid:1",
        "m=audio 6700 RTP/AVP 96", "c=IN IP4 127.0.0.1", "a=rtpmap:96 L16/48000/1", "a=ptime:1", "a=mid:2",
    ].map { $0 + "\r\n" }.joined()

    /// Packet n: 48 mono 16-bit frames, sample f of the stream being f (mod 2^16).
    static func packet(_ n: Int) -> [UInt8] {
        RTPHeader(payloadType: 96, sequenceNumber: UInt16(n), timestamp: UInt32(n * 48), ssrc: 0x2022).bytes
            + (0..<48).flatMap { index -> [UInt8] in
                let sample = UInt16(truncatingIfNeeded: n * 48 + index)
                return [UInt8(sample >> 8), UInt8(sample & 0xFF)]
            }
    }

    /// Records the stream while `deliveries` (port, packet number, ms after the first) arrive; how it ended, what
    /// it said, and the file.
    static func record(_ deliveries: [(port: Int, packet: Int, milliseconds: Int)], folder: String) throws -> (
        result: Result<RecordSummary, RecordFailure>, events: [RecordEvent]
    ) {
        try sdp.write(toFile: folder + "/dup.sdp", atomically: true, encoding: .utf8)
        var take = RecordTake()
        take.output = .directory(folder + "/take")
        take.idleSeconds = ExactDecimal("0.5") ?? take.idleSeconds
        var request = RecordRequest(take: take, streams: .sdpFiles([folder + "/dup.sdp"]))
        request.statisticsPath = folder + "/stats.json"
        return try InProcessTests.record(
            request, deliveries: deliveries.map { ($0.port, packet($0.packet), $0.milliseconds) })
    }

    @Test(
        "two legs, the second 20 ms behind, each losing its own packets: merged bit-exact, a packet lost on both silence at its place; each leg counted; a leg silent for 150 ms said once, and its return"
    )
    func legsMerged() throws {
        let folder = NSTemporaryDirectory() + "as-app-dup-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Leg 1 loses 10-12, 100, and 150-299 (silent for 150 ms); leg 2, 20 ms behind, loses 50, 100 and 320.
        let lostFirst = Set([10, 11, 12, 100]).union(150..<300)
        let lostSecond: Set<Int> = [50, 100, 320]
        var deliveries: [(port: Int, packet: Int, milliseconds: Int)] = []
        for n in 0..<400 {
            if !lostFirst.contains(n) { deliveries.append((6600, n, n)) }
            if !lostSecond.contains(n) { deliveries.append((6700, n, n + 20)) }
        }
        let (result, events) = try Self.record(deliveries, folder: folder)
        _ = try result.get()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/take/dup.wav")))
        let layout = try WAVLayout(parsing: bytes)
        let samples = Array(bytes[layout.dataOffset..<(layout.dataOffset + layout.dataByteCount)])
        let expected = (0..<(400 * 48)).flatMap { frame -> [UInt8] in
            if frame / 48 == 100 { return [0, 0] }
            let sample = UInt16(truncatingIfNeeded: frame)
            return [UInt8(sample & 0xFF), UInt8(sample >> 8)]
        }
        #expect(samples.count == expected.count, "\(samples.count) bytes")
        let differing = (0..<min(samples.count, expected.count)).filter { samples[$0] != expected[$0] }.map { $0 / 96 }
        #expect(differing.isEmpty, "packets differing: \(Set(differing).sorted().prefix(20))")
        let statistics = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + "/stats.json")))
                as? [String: Any])
        let track = try #require((statistics["tracks"] as? [[String: Any]])?.first)
        #expect(
            track["lost"] as? Int == 1 && track["lost_frames"] as? Int == 48,
            "lost \(track["lost"] ?? "") frames \(track["lost_frames"] ?? "") legs \(track["legs"] ?? "")")
        #expect(track["duplicated"] as? Int == 0, "a leg's copies are no duplicates: \(track)")
        let legs = try #require(track["legs"] as? [[String: Any]])
        #expect(legs.map { $0["received"] as? Int } == [400 - lostFirst.count, 400 - lostSecond.count], "\(legs)")
        #expect(legs.map { $0["lost"] as? Int } == [lostFirst.count, lostSecond.count], "\(legs)")
        let legEvents = events.compactMap { event -> String? in
            switch event {
            case .receiver(.legSilent(_, let leg)): "silent \(leg)"
            case .receiver(.legBack(_, let leg, _)): "back \(leg)"
            default: nil
            }
        }
        #expect(legEvents == ["silent 0", "back 0"], "\(legEvents)")
    }
}
