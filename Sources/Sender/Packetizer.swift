import PCM
import RTP

/// Turns frames into RTP packets in one reused buffer: header, then L16/L24 samples.
///
/// Sequence numbers and timestamps advance per packet and wrap modulo 2^16 and 2^32; the timestamp of a
/// packet is the media time (in samples) of its first frame (RFC 3550 section 5.1).
public final class Packetizer {
    public let payloadType: UInt8
    public let ssrc: UInt32
    public let initialSequenceNumber: UInt16
    public let initialTimestamp: UInt32
    public let encoding: AudioPayloadEncoding
    public let framesPerPacket: Int
    public let channelCount: Int
    /// Frames packetized so far: the media position of the next packet's first frame.
    public private(set) var framePosition = 0
    /// Packets built so far.
    public private(set) var packetCount = 0
    private let converter: SampleConverter
    private let buffer: UnsafeMutableRawBufferPointer

    public init(
        source: SampleEncoding, encoding: AudioPayloadEncoding, channelCount: Int, framesPerPacket: Int,
        payloadType: UInt8, ssrc: UInt32, initialSequenceNumber: UInt16, initialTimestamp: UInt32
    ) {
        precondition(framesPerPacket > 0 && channelCount > 0, "a packet holds at least one frame")
        self.payloadType = payloadType
        self.ssrc = ssrc
        self.initialSequenceNumber = initialSequenceNumber
        self.initialTimestamp = initialTimestamp
        self.encoding = encoding
        self.framesPerPacket = framesPerPacket
        self.channelCount = channelCount
        converter = SampleConverter(from: source, to: encoding)
        buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: RTPHeader.fixedByteCount + framesPerPacket * channelCount * encoding.bytesPerSample,
            alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// The sequence number the next packet will carry.
    public var nextSequenceNumber: UInt16 { initialSequenceNumber &+ UInt16(truncatingIfNeeded: packetCount) }

    /// The RTP timestamp of media position `frame`.
    public func timestamp(atFrame frame: Int) -> UInt32 {
        MediaTime.rtpTimestamp(initial: initialTimestamp, frame: frame)
    }

    /// Builds the next packet from `frames` (whole frames in the source encoding, at most `framesPerPacket`).
    /// The returned bytes are valid until the next call; `clipped` counts samples that did not fit the width.
    public func packet(from frames: UnsafeRawBufferPointer) -> (bytes: UnsafeRawBufferPointer, clipped: Int) {
        let frameCount = frames.count / (converter.source.byteCount * channelCount)
        precondition(frameCount <= framesPerPacket, "more frames than a packet holds")
        let header = RTPHeader(
            payloadType: payloadType, sequenceNumber: nextSequenceNumber, timestamp: timestamp(atFrame: framePosition),
            ssrc: ssrc)
        do {
            try header.write(to: buffer)
        } catch {
            preconditionFailure("the packet buffer holds a header by construction")
        }
        let payload = UnsafeMutableRawBufferPointer(rebasing: buffer[RTPHeader.fixedByteCount...])
        let clipped = converter.convert(frames, into: payload, sampleCount: frameCount * channelCount)
        framePosition += frameCount
        packetCount += 1
        let length = RTPHeader.fixedByteCount + frameCount * channelCount * encoding.bytesPerSample
        return (UnsafeRawBufferPointer(rebasing: buffer[0..<length]), clipped)
    }
}
