import Planning
import RTP
import Receiver

extension TrackReception {
    /// What the receiver of a planned track expects, `taiOffsetSeconds` the take's TAI - UTC.
    init(_ track: RecordTrackPlan, taiOffsetSeconds: Int) {
        self.init(
            name: track.name, payloadType: track.stream.payloadType, encoding: track.stream.encoding,
            sampleRate: track.stream.sampleRate, channelCount: track.stream.channelCount,
            framesPerPacket: track.stream.framesPerPacket, rtcpMultiplexed: track.stream.rtcpMultiplexed,
            expectedSSRC: track.expectedSSRC, clock: track.clock, taiOffsetSeconds: taiOffsetSeconds,
            latencyFrames: track.latencyFrames)
        redundant = track.secondLeg != nil
    }
}

extension RecorderSettings {
    /// What the receive loop needs of a planned recording. The recorder's own SSRC towards each track is derived
    /// from its CNAME and the track's name, so it is the same in every run.
    init(_ plan: RecordingPlan) {
        self.init(
            start: plan.start, latencyNanoseconds: plan.latencyNanoseconds, idleNanoseconds: plan.idleNanoseconds,
            durationNanoseconds: plan.durationNanoseconds, rtcpMinimumSeconds: plan.rtcpMinimumSeconds,
            canonicalName: plan.canonicalName,
            reportSSRCs: plan.tracks.map { TakeRules.derivedSSRC(take: plan.canonicalName, track: $0.name) })
    }
}
