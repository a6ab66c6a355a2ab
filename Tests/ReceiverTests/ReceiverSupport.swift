import Interfaces
import PCM
import RTP
import Receiver

/// An output that keeps everything written, in order.
final class CollectingOutput: TrackOutput {
    private(set) var bytes: [UInt8] = []
    /// The channel count followed, where the output may follow the wire's.
    private(set) var followed: Int?
    let mayFollow: Bool
    init(mayFollow: Bool = true) { self.mayFollow = mayFollow }
    func write(_ bytes: UnsafeRawBufferPointer) { self.bytes += bytes }
    func follow(channelCount: Int) -> Bool {
        guard mayFollow, bytes.isEmpty else { return false }
        followed = channelCount
        return true
    }
}

/// 16-bit mono at 48 kHz: packet n of a stream carries the samples n * 48 ... n * 48 + 47, each the 16-bit value
/// of its frame number (mod 2^16), so every frame of the output tells where it came from.
enum Fixture {
    static let rate = 48_000
    static let framesPerPacket = 48

    /// What a track of 16-bit mono (or `encoding` x `channels`) packets of 48 frames at 48 kHz expects.
    static func reception(
        name: String = "t", clock: TimelineClock, latencyFrames: Int = 4_800, ssrc: UInt32? = nil,
        encoding: AudioPayloadEncoding = .l16, channels: Int = 1, taiOffsetSeconds: Int = 37
    ) -> TrackReception {
        TrackReception(
            name: name, payloadType: 96, encoding: encoding, sampleRate: rate, channelCount: channels,
            framesPerPacket: framesPerPacket, rtcpMultiplexed: false, expectedSSRC: ssrc, clock: clock,
            taiOffsetSeconds: taiOffsetSeconds, latencyFrames: latencyFrames)
    }

    /// The network (big-endian) samples of `count` frames starting at frame `first`.
    static func payload(first: Int64, count: Int = framesPerPacket) -> [UInt8] {
        (0..<count).flatMap { index -> [UInt8] in
            let value = UInt16(truncatingIfNeeded: first + Int64(index))
            return [UInt8(value >> 8), UInt8(value & 0xFF)]
        }
    }

    /// The file (little-endian) samples of frames `range`.
    static func fileSamples(_ range: Range<Int64>) -> [UInt8] {
        range.flatMap { frame -> [UInt8] in
            let value = UInt16(truncatingIfNeeded: frame)
            return [UInt8(value & 0xFF), UInt8(value >> 8)]
        }
    }

    static func silence(frames: Int) -> [UInt8] { [UInt8](repeating: 0, count: 2 * frames) }

    /// An RTP datagram.
    static func packet(sequence: UInt16, timestamp: UInt32, ssrc: UInt32 = 0xABCD, payload: [UInt8], type: UInt8 = 96)
        -> [UInt8]
    {
        RTPHeader(payloadType: type, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc).bytes + payload
    }
}

extension TrackReceiver {
    func receive(_ datagram: [UInt8], arrival: Int64, timeline: inout TakeTimeline) {
        datagram.withUnsafeBytes { receiveRTP($0, arrival: arrival, timeline: &timeline) }
    }
}
