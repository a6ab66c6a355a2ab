extension RecordPlanner {
    /// The streams to record, each once: descriptions of one stream (the same destination and port, from several
    /// SDP files: every node's `session.sdp` describes every track of a take) are one stream. Where they differ in
    /// what they say of the clock, the sending node's own description wins (its `o=` names the stream's source; a
    /// copy written by another node lacks the source filter and has that node's reference clock), else the one
    /// that ties the stream to a media clock, else the first. Descriptions that disagree on the wire (format,
    /// payload type, packet time, RTCP) are a real conflict, refused naming the RTP port.
    public static func merged(_ streams: [RecordTake.Stream]) throws(PlanError) -> [RecordTake.Stream] {
        var kept: [RecordTake.Stream] = []
        for stream in streams {
            guard let index = kept.firstIndex(where: { sameStream($0.description, stream.description) }) else {
                kept.append(stream)
                continue
            }
            let held = kept[index]
            guard sameWire(held.description, stream.description) else {
                throw .conflictingDescriptions(
                    port: stream.description.port, first: held.origin, second: stream.origin)
            }
            if rank(stream) > rank(held) { kept[index] = stream }
        }
        return kept
    }

    static func sameStream(_ a: StreamDescription, _ b: StreamDescription) -> Bool {
        a.destination.address == b.destination.address && a.port == b.port
    }

    static func sameWire(_ a: StreamDescription, _ b: StreamDescription) -> Bool {
        a.payloadType == b.payloadType && a.encoding == b.encoding && a.sampleRate == b.sampleRate
            && a.channelCount == b.channelCount && a.framesPerPacket == b.framesPerPacket && a.rtcpPort == b.rtcpPort
            && a.rtcpMultiplexed == b.rtcpMultiplexed
    }

    /// How much a description knows of its stream's clock: its sender's own, then one with a media clock.
    static func rank(_ stream: RecordTake.Stream) -> Int {
        (stream.fromSender ? 2 : 0) + (stream.description.mediaClockOffset != nil ? 1 : 0)
    }
}
