import Interfaces
import PCM
import Planning
import SDP
import Testing

/// Tracks bundled into multichannel streams: how they are packed, how the channel order and labels are written
/// (ST 2110-30, the Dante/PipeWire `i=` form), and how a recorder reads them back into a file per source.
@Suite struct BundlingTests {
    static func member(_ name: String, _ channels: Int, rate: Int = 48_000, encoding: SampleEncoding = .signed24)
        -> Bundling.Member
    {
        Bundling.Member(name: name, format: PCMFormat(encoding: encoding, channelCount: channels, sampleRate: rate))
    }

    @Test("packed in order, as many whole files as fit; a file never split")
    func packing() throws {
        let members = [("a", 1), ("b", 2), ("c", 2), ("d", 1), ("e", 2), ("f", 4)].map { Self.member($0.0, $0.1) }
        #expect(try Bundling.pack(members, maximum: 4) == [[0, 1], [2, 3], [4], [5]])
        #expect(try Bundling.pack(members, maximum: 8) == [[0, 1, 2, 3, 4], [5]])
        #expect(try Bundling.pack(members.prefix(1).map { $0 }, maximum: 1) == [[0]])
    }

    @Test("a file wider than the bundle, or of another rate or width than its bundle's: refused")
    func refusals() throws {
        #expect(throws: PlanError.bundleTooNarrow(track: "f", channels: 4, maximum: 2)) {
            try Bundling.pack([Self.member("a", 1), Self.member("f", 4)], maximum: 2)
        }
        let fast = Self.member("fast", 1, rate: 96_000)
        #expect(
            throws: PlanError.bundleMixesFormats(
                track: "fast", format: fast.format, bundleTrack: "a", bundleFormat: Self.member("a", 1).format)
        ) { try Bundling.pack([Self.member("a", 1), fast], maximum: 8) }
        // In a bundle of its own, another rate is no mix.
        #expect(try Bundling.pack([Self.member("a", 2), fast], maximum: 2) == [[0], [1]])
        let narrow = Self.member("n", 1, encoding: .signed16)
        #expect(throws: PlanError.self) { try Bundling.pack([Self.member("a", 1), narrow], maximum: 8) }
    }

    @Test("symbols: M, ST, 51 and 71 by the WAV speaker mask, U and two digits otherwise")
    func symbols() {
        #expect(ChannelOrder.symbol(channelCount: 1, channelMask: 0) == "M")
        #expect(ChannelOrder.symbol(channelCount: 2, channelMask: 0) == "ST")
        #expect(ChannelOrder.symbol(channelCount: 6, channelMask: 0x3F) == "51")
        #expect(ChannelOrder.symbol(channelCount: 6, channelMask: 0) == "U06")
        #expect(ChannelOrder.symbol(channelCount: 8, channelMask: 0x63F) == "71")
        #expect(ChannelOrder.symbol(channelCount: 8, channelMask: 0) == "U08")
        #expect(ChannelOrder.symbol(channelCount: 12, channelMask: 0) == "U12")
        for symbol in ["M", "ST", "51", "71", "U06", "U12", "SGRP", "222"] {
            #expect(ChannelOrder.channelCount(of: symbol) != nil, "\(symbol)")
        }
        #expect(ChannelOrder.channelCount(of: "U00") == nil && ChannelOrder.channelCount(of: "X") == nil)
    }

    @Test("a bundle's SDP: a=fmtp channel order and the labels in i=, read back into the same groups")
    func descriptionRoundTrip() throws {
        let groups = [
            ChannelGroup(source: "kick", channelCount: 1, channelMask: 0),
            ChannelGroup(source: "piano, grand", channelCount: 2, channelMask: 0),
            ChannelGroup(source: "room", channelCount: 6, channelMask: 0x3F),
        ]
        var stream = StreamDescription(
            name: "bundle 1", destination: ConnectionAddress(address: "239.1.2.3"), port: 5004, payloadType: 97,
            encoding: .l24, sampleRate: 48_000, channelCount: 9, framesPerPacket: 6, rtcpPort: 5005)
        stream.channelGroups = groups
        let media = stream.mediaDescription
        #expect(
            media.information
                == "9 channels: kick, piano_ grand 1, piano_ grand 2, room 1, room 2, room 3, room 4, room 5, room 6")
        #expect(media.attributes.contains(Attribute("fmtp", "97 channel-order=SMPTE2110.(M,ST,51)")))
        let origin = SessionDescription.Origin(
            sessionID: 1, sessionVersion: 1, address: ConnectionAddress(address: "192.168.0.2"))
        let text = stream.sessionDescription(origin: origin).rendered()
        let read = try StreamDescription.streams(in: SDPDocument(parsing: text))
        #expect(read.first?.channelGroups == groups)
        #expect(groups.map(\.commonName) == ["kick", "piano_ grand", "room"])
    }

    @Test("a channel order that does not add up, or names no known group, is no bundle; missing labels are made")
    func unusableOrders() {
        #expect(
            ChannelOrder.groups(fmtp: "96 channel-order=SMPTE2110.(ST,M)", information: nil, channelCount: 4) == nil)
        #expect(ChannelOrder.groups(fmtp: "96 channel-order=SMPTE2110.(XX)", information: nil, channelCount: 2) == nil)
        #expect(ChannelOrder.groups(fmtp: "96 something=else", information: nil, channelCount: 2) == nil)
        let made = ChannelOrder.groups(
            fmtp: "96 channel-order=SMPTE2110.(M,ST)", information: "a track", channelCount: 3)
        #expect(made?.map(\.labels) == [["group 1"], ["group 2 1", "group 2 2"]])
        #expect(made?.map(\.commonName) == ["group 1", "group 2"])
    }

    @Test("the recorder splits a bundle into a file per group, named from its labels, never over another name")
    func recordedParts() throws {
        var stream = StreamDescription(
            name: "audiostreamer session 1", destination: ConnectionAddress(address: "127.0.0.1"), port: 5004,
            payloadType: 96, encoding: .l24, sampleRate: 48_000, channelCount: 4, framesPerPacket: 48,
            rtcpPort: 5005)
        stream.channelGroups = [
            ChannelGroup(source: "vox", channelCount: 1, channelMask: 0),
            ChannelGroup(source: "keys", channelCount: 2, channelMask: 0),
            ChannelGroup(source: "vox", channelCount: 1, channelMask: 0),
        ]
        var take = RecordTake()
        take.output = .directory("take")
        take.streams = [RecordTake.Stream(description: stream, origin: "a.sdp")]
        let plan = try RecordPlanner.plan(
            take, now: 0, userName: "user", localAddress: .loopback(.ipv4))
        let parts = try #require(plan.tracks.first?.parts)
        #expect(parts.map(\.path) == ["take/vox.wav", "take/keys.wav", "take/vox 2.wav"])
        #expect(parts.map(\.channelOffset) == [0, 1, 3] && parts.map(\.channelCount) == [1, 2, 1])
        // Interleaved into one file, the stream stays whole.
        take.output = .multichannel("take.wav")
        #expect(
            try RecordPlanner.plan(take, now: 0, userName: "user", localAddress: .loopback(.ipv4))
                .tracks.first?.parts == nil)
    }
}
