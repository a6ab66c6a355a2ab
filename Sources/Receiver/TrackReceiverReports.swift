import RTP

/// What a track tells after it has received: how long it is, its padding to the take's end, and the report block
/// its sender gets back.
extension TrackReceiver {
    /// The media time written, in nanoseconds: how far the track stands on the take's timeline, whatever its rate.
    public var writtenNanoseconds: Int64 { MediaTime.nanoseconds(frames: Int(written), sampleRate: rate) }

    /// Pads the track with silence up to `nanoseconds` of media from time zero (another track's end, the take's
    /// end), so every file of a take is as long, at every rate.
    public func pad(to nanoseconds: Int64) {
        // Rounded up, so a track at the same rate as the longest ends on the same frame.
        var frames = MediaTime.frames(nanoseconds: nanoseconds, sampleRate: rate)
        if MediaTime.nanoseconds(frames: frames, sampleRate: rate) < nanoseconds { frames += 1 }
        writer.pad(to: Int64(frames))
    }

    // MARK: Reports back

    /// The report block this receiver sends about its sender now (RFC 3550 section 6.4.1), or nil before the first
    /// packet.
    public func reportBlock(now: Int64) -> RTCPReportBlock? {
        guard let ssrc, let segment else { return nil }
        let (fraction, cumulative) = segment.reception.report()
        let delay = lastSenderReport.map { UInt32(clamping: (now - $0.arrival) * 65_536 / 1_000_000_000) } ?? 0
        return RTCPReportBlock(
            ssrc: ssrc, fractionLost: fraction, cumulativeLost: cumulative,
            extendedHighestSequence: UInt32(truncatingIfNeeded: segment.reception.highestSequence),
            jitter: segment.jitter.reported, lastSenderReport: lastSenderReport?.middle ?? 0,
            delaySinceLastSenderReport: lastSenderReport == nil ? 0 : delay)
    }
}
