import Application
import Foundation
import TestSupport
import Testing
import WAV

/// A clock that says it is synchronised.
struct Synchronised: ClockSyncReader {
    func read() -> ClockSyncStatus? {
        ClockSyncStatus(isSynchronized: true, estimatedErrorMicroseconds: 1, maximumErrorMicroseconds: 10)
    }
}

/// Collects what a program says, from any thread.
final class Heard<Event: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [Event] = []
    func append(_ event: Event) { lock.withLock { events.append(event) } }
    var all: [Event] { lock.withLock { events } }
}

/// 2026-12-06T12:00:00Z.
let noon: Int64 = 1_796_558_400_000_000_000

func environment(_ clocks: ManualClocks, _ network: MemoryNetwork) -> Environment {
    Environment(
        clocks: clocks, random: { SplitMix64(state: 7) }, clockSync: Synchronised(), userName: "test",
        network: network)
}

/// Runs `body` on a thread of its own and waits for it, for at most `seconds` of real time.
func onThread<Result: Sendable>(seconds: Double = 60, _ body: @escaping @Sendable () -> Result) -> Result? {
    let done = DispatchSemaphore(value: 0)
    let box = Heard<Result>()
    Thread {
        box.append(body())
        done.signal()
    }.start()
    guard done.wait(timeout: .now() + seconds) == .success else { return nil }
    return box.all.first
}

/// The RTP packets sent to `port`: time, sequence number and timestamp.
private func packets(_ network: MemoryNetwork, port: Int) throws -> [(time: Int64, sequence: UInt16, timestamp: UInt32)]
{
    try network.sent.filter { $0.destination.port == port }.map { sent in
        let header = try RTPPacket(parsing: sent.bytes).header
        return (sent.time, header.sequenceNumber, header.timestamp)
    }
}

/// `send` and `record` composed in process, as the command line composes them, on manual clocks and an in-memory
/// network: what the engines do together is seen without a socket, a real clock or a subprocess.
@Suite(.serialized)
struct InProcessTests {
    /// The built-in signal for `seconds`, 1 ms packets to port 6100, from sequence number and timestamp 0.
    static func sendRequest(seconds: String, folder: String, packetTime: String = "1") -> SendRequest {
        var take = Take()
        take.port = 6100
        take.duration = ExactDecimal(seconds)
        take.packetTime = PacketTime.allowed(packetTime) ?? .standard
        take.initialSequenceNumber = 0
        take.initialTimestamp = 0
        take.sdpDirectory = folder
        var request = SendRequest(take: take, tracks: .testSignal(name: "signal"))
        request.pacing.spinNanoseconds = 0
        request.pacing.threads = 1
        // The test process's own threads: no realtime priority among the other tests.
        request.pacing.realtime = .off
        return request
    }

    /// When the first packet is due (monotonic), by the planner's rule for a take without a start: the first 10 ms
    /// boundary of the wall clock a little after planning, which happens before the clocks move.
    static func start(_ clocks: ManualClocks) -> Int64 {
        let wall = clocks.wallNow()
        let start = MediaClock.nextBoundary(
            after: wall + Planner.defaultStartDelayNanoseconds, step: Planner.startBoundaryNanoseconds)
        return clocks.monotonicNow() + start - wall
    }

    static func send(_ request: SendRequest, clocks: ManualClocks, network: MemoryNetwork) throws -> (
        outcomes: [TrackOutcome], events: [SendEvent]
    ) {
        let heard = Heard<SendEvent>()
        let environment = environment(clocks, network)
        let result = onThread { () -> Result<[TrackOutcome], SendFailure> in
            do throws(SendFailure) {
                return .success(
                    try SendProgram.run(request, environment: environment, events: heard.append, stop: StopSignal()))
            } catch {
                return .failure(error)
            }
        }
        clocks.finish()
        let outcomes = try #require(result, "send did not end").get()
        return (outcomes, heard.all)
    }

    @Test("a stall of 50 ms: the backlog leaves at once, late and counted, and the timeline is kept")
    func stallAndBacklog() throws {
        let folder = NSTemporaryDirectory() + "as-app-stall-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clocks = ManualClocks(wall: noon)
        let network = MemoryNetwork(clocks: clocks)
        // The stall hits the wake-up for packet 101.
        clocks.injectStall(at: Self.start(clocks) + 100_500_000, nanoseconds: 50_000_000)
        let (outcomes, events) = try Self.send(
            Self.sendRequest(seconds: "0.3", folder: folder), clocks: clocks, network: network)
        let sent = try packets(network, port: 6100)
        #expect(sent.count == 300)
        #expect(sent.map(\.sequence) == (0..<300).map { UInt16($0) })
        #expect(sent.map(\.timestamp) == (0..<300).map { UInt32($0 * 48) })
        let first = try #require(sent.first?.time)
        let millisecond: Int64 = 1_000_000
        // Before the stall and after it, every packet at start + n ms; the ones due in it leave together, late.
        #expect((0...100).allSatisfy { sent[$0].time == first + Int64($0) * millisecond })
        #expect((101...150).allSatisfy { sent[$0].time == first + 151 * millisecond })
        #expect((151..<300).allSatisfy { sent[$0].time == first + Int64($0) * millisecond })
        #expect(outcomes.first?.counters.latePackets == 50)
        #expect(outcomes.first?.counters.skippedPackets == 0)
        // Said once: 50 ms behind at worst; 30 packets left while it was more than the 20 ms a stall is told from
        // (packets 101-130, 50 down to 21 ms late), none skipped.
        let stalls = events.compactMap { event -> String? in
            guard case .stall(let worst, let sent, let skipped, _) = event else { return nil }
            return "\(Int((worst * 1000).rounded())) ms, \(sent) sent, \(skipped) skipped"
        }
        #expect(stalls == ["50 ms, 30 sent, 0 skipped"], "\(events)")
    }

    @Test("the goodbye waits for the receivers' buffers: BYE and SAP deletion at least 200 ms after the last packet")
    func goodbyeAfterTheBuffers() throws {
        let folder = NSTemporaryDirectory() + "as-app-bye-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clocks = ManualClocks(wall: noon)
        let network = MemoryNetwork(clocks: clocks)
        var request = Self.sendRequest(seconds: "0.3", folder: folder)
        request.sap = true
        _ = try Self.send(request, clocks: clocks, network: network)
        let last = try #require(try packets(network, port: 6100).last?.time)
        let goodbyes = network.sent.filter { $0.destination.port == 6101 }.compactMap { sent -> Int64? in
            let packets = (try? RTCPPacket.parseCompound(sent.bytes)) ?? []
            return packets.contains { if case .goodbye = $0 { true } else { false } } ? sent.time : nil
        }
        let deletions = network.sent.filter { $0.destination.port == SAPPacket.port }.compactMap { sent -> Int64? in
            (try? SAPPacket(parsing: sent.bytes)).flatMap { $0.kind == .deletion ? sent.time : nil }
        }
        let bye = try #require(goodbyes.first, "no BYE")
        let deletion = try #require(deletions.first, "no SAP deletion")
        // The last packet's media (1 ms) plays out, then the 200 ms of the receivers' buffers.
        #expect(goodbyes.count == 1 && bye - last >= 201_000_000, "BYE \(bye - last) ns after the last packet")
        #expect(deletion >= bye, "the deletion \(deletion - last) ns after the last packet, before the BYE")
    }

    @Test("a stall beyond the allowed lateness: the oldest packets are skipped, their sequence numbers used")
    func stallBeyondTheLateness() throws {
        let folder = NSTemporaryDirectory() + "as-app-skip-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clocks = ManualClocks(wall: noon)
        let network = MemoryNetwork(clocks: clocks)
        clocks.injectStall(at: Self.start(clocks) + 100_500_000, nanoseconds: 300_000_000)
        let (outcomes, _) = try Self.send(
            Self.sendRequest(seconds: "0.6", folder: folder), clocks: clocks, network: network)
        let sent = try packets(network, port: 6100)
        let skipped = try #require(outcomes.first?.counters.skippedPackets)
        #expect(skipped > 0 && sent.count + skipped == 600)
        // The packets that left carry the timestamps of their sequence numbers: the skipped ones' time passed.
        #expect(sent.allSatisfy { $0.timestamp == UInt32($0.sequence) * 48 })
        let missing = Set(0..<600).subtracting(sent.map { Int($0.sequence) }).sorted()
        #expect(missing.count == skipped && missing.first == 101 && missing.last == 100 + skipped)
    }

    @Test("a destination that refuses, then listens: every packet sent, each change said once")
    func refusedThenListening() throws {
        let folder = NSTemporaryDirectory() + "as-app-refused-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let clocks = ManualClocks(wall: noon)
        let network = MemoryNetwork(clocks: clocks)
        let listening = Self.start(clocks) + 500_000_000
        network.result = { destination, now in
            destination.port == 6100 && now < listening ? .sentAfterRefusal : .sent
        }
        let (outcomes, events) = try Self.send(
            Self.sendRequest(seconds: "4", folder: folder, packetTime: "4"), clocks: clocks, network: network)
        #expect(try packets(network, port: 6100).count == 1000)
        #expect((outcomes.first?.counters.refusedSends ?? 0) > 0)
        let changes = events.compactMap { event -> String? in
            guard case .delivery(_, _, let change, _) = event else { return nil }
            switch change {
            case .refused: return "refused"
            case .listening: return "listening"
            case .failing: return "failing"
            case .recovered: return "recovered"
            }
        }
        #expect(changes == ["refused", "listening"], "\(events)")
    }

    @Test("a take with loss, recorded in process: every sample at its place, each lost packet silence, counted")
    func recordWithLoss() throws {
        let folder = NSTemporaryDirectory() + "as-app-record-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: folder)
            try? FileManager.default.removeItem(atPath: folder + ".json")
        }
        var take = RecordTake()
        take.output = .directory(folder)
        take.idleSeconds = ExactDecimal("0.5") ?? take.idleSeconds
        let stream = RecordPlanner.portStream(
            port: 6200, encoding: .l16, sampleRate: 48_000, channelCount: 1, payloadType: 96)
        var request = RecordRequest(take: take, streams: .plain(stream))
        request.statisticsPath = folder + ".json"
        // 300 packets of 48 frames, sample n = n; packets 50, 51 and 200 lost on the way.
        let lost: Set<Int> = [50, 51, 200]
        let sent = (0..<300).filter { !lost.contains($0) }
        let packets = sent.map { n -> [UInt8] in
            let header = RTPHeader(
                payloadType: 96, sequenceNumber: UInt16(1000 + n), timestamp: UInt32(5000 + n * 48), ssrc: 0xABCD)
            let payload = (0..<48).flatMap { index -> [UInt8] in
                let sample = UInt16(truncatingIfNeeded: n * 48 + index)
                return [UInt8(sample >> 8), UInt8(sample & 0xFF)]
            }
            return header.bytes + payload
        }
        // Each packet at its own millisecond: the lost ones leave theirs empty.
        let (result, _) = try Self.record(request, port: 6200, packets: packets) { sent[$0] }
        let summary = try result.get()
        #expect(summary.ending == .idle)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/port 6200.wav")))
        let layout = try WAVLayout(parsing: bytes)
        let samples = Array(bytes[layout.dataOffset..<(layout.dataOffset + layout.dataByteCount)])
        let expected = (0..<14_400).flatMap { frame -> [UInt8] in
            if lost.contains(frame / 48) { return [0, 0] }
            let sample = UInt16(truncatingIfNeeded: frame)
            return [UInt8(sample & 0xFF), UInt8(sample >> 8)]
        }
        #expect(samples.count == expected.count)
        #expect(samples == expected, "the recording differs from what was sent")
        let statistics = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder + ".json")))
                as? [String: Any])
        let track = try #require((statistics["tracks"] as? [[String: Any]])?.first)
        #expect(track["lost"] as? Int == 3 && track["lost_frames"] as? Int == 144 && track["received"] as? Int == 297)
    }

    @Test("nobody sending: the idle time counts from the start, and the recorder ends, leaving nothing it made")
    func nothingHeard() throws {
        let parent = NSTemporaryDirectory() + "as-app-idle-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: parent) }
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: false)
        let clocks = ManualClocks(wall: noon)
        let network = MemoryNetwork(clocks: clocks)
        var take = RecordTake()
        take.output = .directory(parent + "/new/take")
        take.idleSeconds = ExactDecimal(numerator: 2)
        let request = RecordRequest(
            take: take,
            streams: .plain(
                RecordPlanner.portStream(
                    port: 6300, encoding: .l16, sampleRate: 48_000, channelCount: 1, payloadType: 96)))
        let environment = environment(clocks, network)
        let began = clocks.monotonicNow()
        let result = onThread { () -> RecordFailure? in
            do throws(RecordFailure) {
                _ = try RecordProgram.run(request, environment: environment, events: { _ in }, stop: StopSignal())
                return nil
            } catch {
                return error
            }
        }
        let ended = clocks.monotonicNow()
        clocks.finish()
        guard case .nothingReceived(let listened)? = result ?? nil else {
            Issue.record("the recorder did not end with nothing received: \(String(describing: result))")
            return
        }
        #expect(listened == ["port 6300"])
        // Ended after the idle time, well before twice that.
        #expect(ended - began >= 2_000_000_000 && ended - began < 4_000_000_000, "\(ended - began) ns")
        #expect(!FileManager.default.fileExists(atPath: parent + "/new"), "the folders it made are left")
        #expect(FileManager.default.fileExists(atPath: parent))
    }

    @Test("--multichannel with a track that never arrives: the whole take, that track's channel silent, no stall")
    func multichannelWithASilentTrack() throws {
        let folder = NSTemporaryDirectory() + "as-app-multi-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Two mono L16 streams in one description; only the first is ever sent, for 1.5 s (more than the second
        // of audio a track's ring holds, so a writer waiting for the silent track would overflow it).
        let sdp = [
            "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=take", "c=IN IP4 127.0.0.1", "t=0 0",
            "m=audio 6500 RTP/AVP 96", "i=heard", "a=rtpmap:96 L16/48000/1", "a=ptime:1",
            "m=audio 6502 RTP/AVP 96", "i=silent", "a=rtpmap:96 L16/48000/1", "a=ptime:1",
        ].map { $0 + "\r\n" }.joined()
        try sdp.write(toFile: folder + "/take.sdp", atomically: true, encoding: .utf8)
        var take = RecordTake()
        take.output = .multichannel(folder + "/take.wav")
        take.idleSeconds = ExactDecimal("0.5") ?? take.idleSeconds
        let request = RecordRequest(take: take, streams: .sdpFiles([folder + "/take.sdp"]))
        let (result, _) = try Self.record(request, port: 6500, packets: Self.rtpPackets(1500, channels: 1))
        let summary = try result.get()
        #expect(summary.ending == .idle)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/take.wav")))
        let layout = try WAVLayout(parsing: bytes)
        #expect(layout.format.channelCount == 2)
        #expect(layout.frameCount == 1500 * 48, "\(layout.frameCount) frames")
        let samples = Array(bytes[layout.dataOffset..<(layout.dataOffset + layout.dataByteCount)])
        // Frame f: the heard track's sample (packet n's bytes are n & 0x7F), then two zero bytes of silence.
        let wrong = (0..<layout.frameCount).first { frame in
            let value = UInt8((frame / 48) & 0x7F)
            return samples[frame * 4] != value || samples[frame * 4 + 1] != value || samples[frame * 4 + 2] != 0
                || samples[frame * 4 + 3] != 0
        }
        #expect(wrong == nil, "frame \(wrong ?? -1) differs")
    }

    /// Records `request` in process while `packets` arrive at `port`, packet n `arrivals(n)` ms after the first
    /// (n ms unless said); returns how it ended and what it said.
    static func record(
        _ request: RecordRequest, port: Int, packets: [[UInt8]], arrivals: (Int) -> Int = { $0 }
    ) throws -> (result: Result<RecordSummary, RecordFailure>, events: [RecordEvent]) {
        try record(
            request,
            deliveries: packets.enumerated().map { n, packet in (port, packet, arrivals(n)) })
    }

    /// Records `request` in process while each delivery's packet arrives at its port, its milliseconds after the
    /// first, from a port of the sending host 1000 above it; returns how it ended and what it said.
    static func record(_ request: RecordRequest, deliveries: [(port: Int, bytes: [UInt8], milliseconds: Int)]) throws
        -> (result: Result<RecordSummary, RecordFailure>, events: [RecordEvent])
    {
        let clocks = ManualClocks(wall: noon)
        let network = MemoryNetwork(clocks: clocks)
        let heard = Heard<RecordEvent>()
        let recording = Heard<Result<RecordSummary, RecordFailure>>()
        let environment = environment(clocks, network)
        let done = DispatchSemaphore(value: 0)
        Thread {
            do throws(RecordFailure) {
                recording.append(
                    .success(
                        try RecordProgram.run(
                            request, environment: environment, events: heard.append, stop: StopSignal())))
            } catch {
                recording.append(.failure(error))
            }
            done.signal()
        }.start()
        let ports = Set(deliveries.map(\.port))
        let deadline = Date().addingTimeInterval(10)
        while !ports.allSatisfy(network.isListening) && Date() < deadline { usleep(1000) }
        let first = clocks.monotonicNow() + 10_000_000
        for delivery in deliveries.sorted(by: { $0.milliseconds < $1.milliseconds }) {
            network.inject(
                delivery.bytes, to: delivery.port,
                from: Endpoint(address: MemoryNetwork.local, port: delivery.port + 1000),
                arrival: first + Int64(delivery.milliseconds) * 1_000_000)
        }
        #expect(done.wait(timeout: .now() + 60) == .success, "record did not end")
        clocks.finish()
        return (try #require(recording.all.first), heard.all)
    }

    /// 48 frames of `channels` 16-bit channels per packet, payload type `type`.
    static func rtpPackets(_ count: Int, channels: Int, type: UInt8 = 96) -> [[UInt8]] {
        (0..<count).map { n in
            RTPHeader(payloadType: type, sequenceNumber: UInt16(n), timestamp: UInt32(n * 48), ssrc: 0x1234).bytes
                + [UInt8](repeating: UInt8(n & 0x7F), count: 48 * channels * 2)
        }
    }

    @Test(
        "packets of another payload type, or of a channel count a multichannel file cannot take: said once, nothing of them recorded, exit 65",
        arguments: [
            (2, 2, UInt8(97), false, "type 96 -> 97"), (2, 1, UInt8(96), true, "multichannel, format 2 -> 1"),
            (1, 2, UInt8(96), true, "multichannel, format 1 -> 2"),
        ])
    func wireAgainstDescription(described: Int, heard: Int, type: UInt8, multichannel: Bool, label: String) throws {
        let folder = NSTemporaryDirectory() + "as-app-mismatch-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var take = RecordTake()
        take.output = multichannel ? .multichannel(folder + "/take.wav") : .directory(folder)
        take.idleSeconds = ExactDecimal("0.5") ?? take.idleSeconds
        let request = RecordRequest(
            take: take,
            streams: .plain(
                RecordPlanner.portStream(
                    port: 6400, encoding: .l16, sampleRate: 48_000, channelCount: described, payloadType: 96)))
        let (result, events) = try Self.record(
            request, port: 6400, packets: Self.rtpPackets(100, channels: heard, type: type))
        guard case .failure(.unusableTracks(let tracks)) = result, let track = tracks.first else {
            Issue.record("\(label): \(result)")
            return
        }
        let said = events.filter { event in
            switch event {
            case .receiver(.formatMismatch), .receiver(.payloadTypeMismatch): true
            default: false
            }
        }
        #expect(said.count == 1, "\(label): \(said)")
        switch track.reason {
        case .payloadType(let describedType, let heardType):
            #expect(type == 97 && describedType == 96 && heardType == 97, "\(label)")
        case .format(let mismatch):
            #expect(mismatch.describedChannels == described && mismatch.heardChannels == heard, "\(label)")
        case .outsideTake:
            Issue.record("\(label): \(track.reason)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder), "\(label): files left")
    }

    @Test(
        "packets of another channel count at the described width, a file of its own: recorded as the wire carries them, said once",
        arguments: [(2, 1), (1, 2), (2, 8)])
    func followTheWire(described: Int, heard: Int) throws {
        let folder = NSTemporaryDirectory() + "as-app-follow-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var take = RecordTake()
        take.output = .directory(folder)
        take.idleSeconds = ExactDecimal("0.5") ?? take.idleSeconds
        let request = RecordRequest(
            take: take,
            streams: .plain(
                RecordPlanner.portStream(
                    port: 6450, encoding: .l16, sampleRate: 48_000, channelCount: described, payloadType: 96)))
        let (result, events) = try Self.record(request, port: 6450, packets: Self.rtpPackets(100, channels: heard))
        _ = try result.get()
        let said = events.compactMap { event -> FormatMismatch? in
            switch event {
            case .receiver(.followsWire(_, let mismatch)): mismatch
            case .receiver(.formatMismatch(_, let mismatch)): mismatch
            default: nil
            }
        }
        #expect(said.count == 1 && said.first?.heardChannels == heard, "\(said)")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/port 6450.wav")))
        let layout = try WAVLayout(parsing: bytes)
        #expect(layout.format.channelCount == heard)
        #expect(layout.frameCount == 100 * 48, "\(layout.frameCount) frames")
        // Packet n's bytes are all n & 0x7F: every frame of the file says which packet it came from.
        let samples = Array(bytes[layout.dataOffset..<(layout.dataOffset + layout.dataByteCount)])
        let width = heard * 2
        let wrong = (0..<layout.frameCount).first { frame in
            samples[(frame * width)..<((frame + 1) * width)].contains { $0 != UInt8((frame / 48) & 0x7F) }
        }
        #expect(wrong == nil, "frame \(wrong ?? -1) differs")
    }

    @Test("a track whose packets all stand before the take's time zero: an error naming it, exit 65, its file removed")
    func packetsOutsideTheTake() throws {
        let folder = NSTemporaryDirectory() + "as-app-outside-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var take = RecordTake()
        take.output = .directory(folder)
        take.idleSeconds = ExactDecimal("0.5") ?? take.idleSeconds
        // Time zero a minute after the packets: 300 ms of audio arrives, placed by its arrival, all before it.
        take.start = .at(noon + 60_000_000_000)
        let request = RecordRequest(
            take: take,
            streams: .plain(
                RecordPlanner.portStream(
                    port: 6470, encoding: .l16, sampleRate: 48_000, channelCount: 1, payloadType: 96)))
        let (result, _) = try Self.record(request, port: 6470, packets: Self.rtpPackets(300, channels: 1))
        guard case .failure(.unusableTracks(let tracks)) = result else {
            Issue.record("\(result)")
            return
        }
        #expect(tracks.map(\.name) == ["port 6470"])
        #expect(tracks.first?.reason == .outsideTake(received: 300, dropped: 300 * 48), "\(tracks)")
        #expect(!FileManager.default.fileExists(atPath: folder), "files left")
    }
}
