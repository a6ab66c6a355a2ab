/// Interleaved PCM frames, read in order, a packet's worth at a time: a WAV file, a read-ahead ring, a generated
/// signal.
public protocol FrameSource: AnyObject {
    var format: PCMFormat { get }
    /// Frames from the start to the end, or nil when the source has no end.
    var frameCount: Int? { get }
    /// The next `count` frames (fewer at the end, none past it), valid until the next call.
    func nextFrames(_ count: Int) throws -> UnsafeRawBufferPointer
    /// Goes back to the first frame.
    func rewind()
}
