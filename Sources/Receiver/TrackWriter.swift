import RTP

/// The last stage of a track's reception: frames released from a segment's window go to the track's output at their
/// places on the take's timeline, silence before a segment's first sound (a later start, a pause), silence counted
/// as lost for frames never heard inside it, nothing before time zero or over what is written already.
final class TrackWriter {
    let output: any TrackOutput
    let counters: ReceiverCounters
    let bytesPerFrame: Int
    let sampleRate: Int
    /// The most frames the take may hold (its duration), if limited.
    let frameLimit: Int64?
    /// Frames written to the output: the file's next position, from time zero.
    private(set) var written: Int64 = 0
    private let silence: UnsafeMutableRawBufferPointer

    init(output: any TrackOutput, counters: ReceiverCounters, bytesPerFrame: Int, sampleRate: Int, frameLimit: Int64?) {
        self.output = output
        self.counters = counters
        self.bytesPerFrame = bytesPerFrame
        self.sampleRate = sampleRate
        self.frameLimit = frameLimit
        silence = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096 * bytesPerFrame, alignment: 16)
        silence.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit {
        silence.deallocate()
    }

    /// Releases the segment's frames before `position` (its timestamps), `delta` its mapping and `zero` time zero
    /// in frames of the track's rate.
    func release(_ segment: Segment, upTo position: Int64, delta: Int64, zero: Int64) {
        let lowest = segment.buffer.lowestStart ?? position
        segment.buffer.release(upTo: position) { first, count, bytes in
            // Frames never heard before the segment's first sound are not lost: the track had not begun.
            if bytes == nil && first + Int64(count) <= lowest { return }
            var place = first + delta - zero
            var frames = count
            var skip = 0
            if place < written {
                // Before time zero, or over audio already written (segments that overlap): dropped.
                skip = Int(min(Int64(frames), written - place))
                counters.droppedFrames.add(skip, ordering: .relaxed)
                place += Int64(skip)
                frames -= skip
            }
            if let frameLimit {
                frames = Int(max(0, min(Int64(frames), frameLimit - place)))
            }
            guard frames > 0 else { return }
            if place > written { writeSilence(Int(place - written)) }
            if let bytes {
                output.write(
                    UnsafeRawBufferPointer(rebasing: bytes[(skip * bytesPerFrame)..<((skip + frames) * bytesPerFrame)]))
                counters.heardFrames.add(frames, ordering: .relaxed)
                advance(by: frames)
            } else {
                counters.lostFrames.add(frames, ordering: .relaxed)
                writeSilence(frames)
            }
        }
    }

    /// Pads the track with silence to `frames` (the take's end), so every file of a take is as long.
    func pad(to frames: Int64) {
        if frames > written { writeSilence(Int(frames - written)) }
    }

    private func writeSilence(_ frames: Int) {
        var left = frames
        let chunk = silence.count / bytesPerFrame
        while left > 0 {
            let count = min(left, chunk)
            output.write(UnsafeRawBufferPointer(rebasing: silence[0..<(count * bytesPerFrame)]))
            left -= count
        }
        advance(by: frames)
    }

    private func advance(by frames: Int) {
        written += Int64(frames)
        counters.framesWritten.store(Int(written), ordering: .relaxed)
    }
}
