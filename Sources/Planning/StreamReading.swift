import PCM
import RTP
import SDP

extension StreamDescription {
    /// The audio streams a parsed SDP describes, in order, for the recorder: what each carries (from `a=rtpmap`,
    /// RFC 3551's static types 10 and 11 without one), where it goes (`c=` at media or session level), its packet
    /// time (`a=ptime`, or AES67's `a=framecount`), where its RTCP goes (`a=rtcp`, `a=rtcp-mux`), and how its RTP
    /// clock is tied to a reference (RFC 7273 `a=ts-refclk`, `a=mediaclk:direct=`). Sections that are not audio are
    /// left out; an audio stream that cannot be received is refused with its line.
    public static func streams(in document: SDPDocument) throws(PlanError) -> [StreamDescription] {
        let description = document.description
        let audio = description.media.indices.filter { description.media[$0].media == "audio" }
        var streams: [StreamDescription] = []
        var mids: [String?] = []
        var lines: [Int] = []
        // The second legs of duplication groups are copies: they take no name or position of their own.
        let copyMids = Set(
            description.attributes.compactMap { attribute -> String? in
                guard attribute.name == "group", let value = attribute.value, value.hasPrefix("DUP ") else {
                    return nil
                }
                let named = value.split(separator: " ")
                return named.count == 3 ? String(named[2]) : nil
            })
        let isCopy = { (index: Int) in description.media[index].attribute("mid").map(copyMids.contains) ?? false }
        let flows = audio.filter { !isCopy($0) }.count
        for index in audio {
            let media = description.media[index]
            let line = document.mediaLines[index]
            guard media.port > 0 else { throw .unusableStream(line: line, .disabled) }
            guard media.transport == "RTP/AVP" || media.transport == "RTP/AVPF" else {
                throw .unusableStream(line: line, .transport(media.transport))
            }
            guard let connection = media.connection ?? description.connection else {
                throw .unusableStream(line: line, .noConnection)
            }
            let (payloadType, encoding, rate, channels) = try format(of: media, line: line)
            let framesPerPacket = try packetFrames(
                of: media, rate: rate, bytesPerFrame: encoding.bytesPerSample * channels, line: line)
            var rtcpPort = TakeRules.nextPort(after: media.port) ?? media.port
            if let value = media.attribute("rtcp") {
                guard let port = value.split(separator: " ").first.flatMap({ Int($0) }), (1...65_535).contains(port)
                else { throw .unusableStream(line: line, .malformedAttribute("rtcp")) }
                rtcpPort = port
            }
            let multiplexed = media.hasAttribute("rtcp-mux")
            // A media's i= names its track (audiostreamer writes the track's name there), unless it is the channel
            // list Dante and PipeWire write there (`2 channels: Left, Right`): then the flow's s= names it, with its
            // position when one description holds several unnamed flows.
            let name =
                media.information.flatMap { ChannelOrder.isLabelText($0) ? nil : $0 }
                ?? (flows == 1
                    ? description.sessionName
                    : "\(description.sessionName) \(audio.prefix { $0 < index }.filter { !isCopy($0) }.count + 1)")
            let fmtp = media.attributes.first { $0.name == "fmtp" && $0.value?.hasPrefix("\(payloadType) ") == true }
            let groups = ChannelOrder.groups(
                fmtp: fmtp?.value, information: media.information, channelCount: channels)
            streams.append(
                StreamDescription(
                    name: name, destination: connection, port: media.port, payloadType: payloadType,
                    encoding: encoding, sampleRate: rate, channelCount: channels, framesPerPacket: framesPerPacket,
                    rtcpPort: multiplexed ? media.port : rtcpPort, rtcpMultiplexed: multiplexed,
                    referenceClock: media.attribute("ts-refclk") ?? description.attribute("ts-refclk"),
                    mediaClockOffset: try mediaClockOffset(
                        media.attribute("mediaclk") ?? description.attribute("mediaclk"), line: line),
                    ssrc: media.attribute("ssrc").flatMap { $0.split(separator: " ").first }.flatMap { UInt32($0) },
                    sourceFilter: try sourceFilter(
                        media.attribute("source-filter") ?? description.attribute("source-filter"), line: line)))
            streams[streams.count - 1].channelGroups = groups
            mids.append(media.attribute("mid"))
            lines.append(line)
        }
        return try duplicated(streams, mids: mids, lines: lines, in: description)
    }

    /// The streams with each RFC 7104 duplication group (`a=group:DUP <first> <second>`) made one stream with a
    /// second leg: the section tagged with the second mid is the first's copy on another network.
    static func duplicated(
        _ streams: [StreamDescription], mids: [String?], lines: [Int], in description: SessionDescription
    ) throws(PlanError) -> [StreamDescription] {
        var streams = streams
        var copies = Set<Int>()
        for attribute in description.attributes where attribute.name == "group" {
            guard let value = attribute.value, value.hasPrefix("DUP ") else { continue }
            let named = value.split(separator: " ").dropFirst().map(String.init)
            let line = lines.first ?? 0
            guard named.count == 2 else {
                throw .unusableStream(line: line, .duplication(value, .legCount(named.count)))
            }
            var legs: [Int] = []
            for mid in named {
                guard let index = mids.firstIndex(of: mid) else {
                    throw .unusableStream(line: line, .duplication(value, .unknownMid(mid)))
                }
                legs.append(index)
            }
            let (first, second) = (streams[legs[0]], streams[legs[1]])
            guard first.payloadType == second.payloadType, first.encoding == second.encoding,
                first.sampleRate == second.sampleRate, first.channelCount == second.channelCount,
                first.framesPerPacket == second.framesPerPacket
            else { throw .unusableStream(line: lines[legs[1]], .duplication(value, .legsDiffer)) }
            streams[legs[0]].secondLeg = Leg(
                destination: second.destination, port: second.port, rtcpPort: second.rtcpPort,
                sourceFilter: second.sourceFilter)
            copies.insert(legs[1])
        }
        return streams.indices.filter { !copies.contains($0) }.map { streams[$0] }
    }

    /// The first of the section's formats that is L16 or L24: its payload type, encoding, rate and channels.
    static func format(of media: MediaDescription, line: Int) throws(PlanError) -> (
        UInt8, AudioPayloadEncoding, Int, Int
    ) {
        var refused: StreamProblem?
        for format in media.formats {
            guard let number = UInt8(format), number <= 127 else { continue }
            let map = media.attributes.first { $0.name == "rtpmap" && $0.value?.hasPrefix(format + " ") == true }
            guard let map, let value = map.value else {
                // RFC 3551's static types for L16 at 44.1 kHz need no rtpmap.
                if number == RTPPayloadType.l16Stereo { return (number, .l16, 44_100, 2) }
                if number == RTPPayloadType.l16Mono { return (number, .l16, 44_100, 1) }
                refused = refused ?? .noRTPMap(payloadType: format)
                continue
            }
            let parts = value.dropFirst(format.count + 1).split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 2, let rate = Int(parts[1]), (1...768_000).contains(rate) else {
                throw .unusableStream(line: line, .malformedAttribute("rtpmap"))
            }
            let channels = parts.count > 2 ? Int(parts[2]) : 1
            guard let channels, (1...1024).contains(channels) else {
                throw .unusableStream(line: line, .malformedAttribute("rtpmap"))
            }
            guard let encoding = AudioPayloadEncoding(name: String(parts[0])) else {
                refused = refused ?? .encoding(String(value))
                continue
            }
            return (number, encoding, rate, channels)
        }
        throw .unusableStream(line: line, refused ?? .noRTPMap(payloadType: media.formats.first ?? ""))
    }

    /// Frames per packet from `a=ptime` (milliseconds) or `a=framecount`; 1 ms when the SDP does not say. Either
    /// is refused beyond what one datagram carries (nothing real comes near it), so that every count derived from
    /// it (the jitter buffer's frames, a sequence step's, microseconds) stays small.
    static func packetFrames(of media: MediaDescription, rate: Int, bytesPerFrame: Int, line: Int) throws(PlanError)
        -> Int
    {
        let most = max(1, (PacketSizing.largestDatagram - RTPHeader.fixedByteCount) / bytesPerFrame)
        if let text = media.attribute("framecount") {
            guard let frames = Int(text), (1...most).contains(frames) else {
                throw .unusableStream(line: line, .malformedAttribute("framecount"))
            }
            return frames
        }
        // No ptime, or the `a=ptime:0` some devices write (which says nothing): RFC 3551's 1 ms default. The recorder
        // places every packet by its timestamp and the length of its payload whatever it is; the packet time only
        // sizes how far a restart must jump to be seen as one.
        guard let text = media.attribute("ptime"), !isZeroPacketTime(text) else { return max(1, rate / 1000) }
        guard let time = PacketTime(milliseconds: text), time.milliseconds.canScale(by: rate),
            (1...most).contains(time.frames(atSampleRate: rate))
        else { throw .unusableStream(line: line, .malformedAttribute("ptime")) }
        return time.frames(atSampleRate: rate)
    }

    /// Whether an `a=ptime` value is zero (`0`, `0.0`), which some devices write meaning nothing.
    static func isZeroPacketTime(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0 == "0" || $0 == "." }
    }

    /// What a description says that the recorder ignores because it changes nothing about how the stream is
    /// recorded (`a=ptime:0`), each with its line, for the user to hear once.
    public static func ignoredAttributes(in document: SDPDocument) -> [(line: Int, attribute: String)] {
        var ignored: [(line: Int, attribute: String)] = []
        for (index, media) in document.description.media.enumerated() where media.media == "audio" {
            for (position, attribute) in media.attributes.enumerated()
            where attribute.name == "ptime" && isZeroPacketTime(attribute.value ?? "") {
                let line = document.mediaAttributeLines[index][position]
                ignored.append((line, "a=ptime:\(attribute.value ?? "")"))
            }
        }
        return ignored
    }

    /// The offset of `a=mediaclk:direct=<offset>` (RFC 7273 section 5.2), any `rate=` after it ignored; nil for
    /// another kind of media clock or none.
    static func mediaClockOffset(_ value: String?, line: Int) throws(PlanError) -> UInt32? {
        guard let value, value.hasPrefix("direct") else { return nil }
        let first = value.split(separator: " ").first ?? ""
        guard first == "direct" else {
            guard first.hasPrefix("direct="), let offset = UInt64(first.dropFirst(7)) else {
                throw .unusableStream(line: line, .malformedAttribute("mediaclk"))
            }
            return UInt32(truncatingIfNeeded: offset)
        }
        return 0
    }
}

extension StreamDescription {
    /// The first source of `a=source-filter: incl IN <IP4|IP6> <destination> <source> ...` (RFC 4570); nil for none or
    /// an exclusion.
    static func sourceFilter(_ value: String?, line: Int) throws(PlanError) -> ConnectionAddress? {
        guard let value else { return nil }
        let fields = value.split(separator: " ")
        guard fields.count >= 5, fields[1] == "IN", let family = ConnectionAddress.Family(rawValue: String(fields[2]))
        else { throw .unusableStream(line: line, .malformedAttribute("source-filter")) }
        guard fields[0] == "incl" else { return nil }
        return ConnectionAddress(family: family, address: String(fields[4]))
    }
}

extension SessionDescription {
    /// The value of the first session-level attribute called `name`.
    public func attribute(_ name: String) -> String? {
        attributes.first { $0.name == name }?.value
    }
}
