import PCM

/// How tracks are packed into multichannel streams (`--bundle N`): in take order, as many whole sources as fit in N
/// channels, a source never split across streams. A pure rule, so that every node and the recorder agree.
public enum Bundling {
    /// One source as bundling sees it: its track name, its format and its WAV speaker mask.
    public struct Member: Sendable, Hashable {
        public var name: String
        public var format: PCMFormat
        public var channelMask: UInt32
        /// The node that sends it: a bundle never spans two.
        public var node: String?

        public init(name: String, format: PCMFormat, channelMask: UInt32 = 0, node: String? = nil) {
            self.name = name
            self.format = format
            self.channelMask = channelMask
            self.node = node
        }

        /// Another node's track as its take file declares it: its payload's sample width stands for the file's,
        /// and no speaker mask is known (so every node describes it alike).
        public init?(declared track: TakeTrack) {
            guard let format = track.declared?.complete else { return nil }
            self.init(
                name: track.name,
                format: PCMFormat(
                    encoding: format.encoding == .l16 ? .signed16 : .signed24, channelCount: format.channelCount,
                    sampleRate: format.sampleRate), node: track.node)
        }
    }

    /// The members' indices, bundle by bundle: a bundle closes when the next source would take it past
    /// `maximum` channels. A source wider than `maximum`, or of another rate or sample width than the bundle it
    /// would join, is refused.
    public static func pack(_ members: [Member], maximum: Int) throws(PlanError) -> [[Int]] {
        var bundles: [[Int]] = []
        var channels = 0
        for (index, member) in members.enumerated() {
            let width = member.format.channelCount
            guard width <= maximum else {
                throw .bundleTooNarrow(track: member.name, channels: width, maximum: maximum)
            }
            if let open = bundles.last, channels + width <= maximum, members[open[0]].node == member.node {
                let first = members[open[0]]
                guard first.format.sampleRate == member.format.sampleRate,
                    first.format.encoding == member.format.encoding
                else {
                    throw .bundleMixesFormats(
                        track: member.name, format: member.format, bundleTrack: first.name, bundleFormat: first.format)
                }
                bundles[bundles.count - 1].append(index)
                channels += width
            } else {
                bundles.append([index])
                channels = width
            }
        }
        return bundles
    }

    /// The take with its tracks bundled, and each bundle's members (indices into `take.tracks`). `members` are the
    /// take's tracks with their formats, in order, every node's (another node's as declared). Bundle k is named
    /// `bundle k` (from 1) and goes to slot k - 1, whichever node sends it, so every node and a recorder reading
    /// the take file agree. Where the tracks' SSRCs are derived (a take file), a bundle's is derived from its name.
    public static func bundled(_ take: Take, members: [Member], maximum: Int) throws(PlanError) -> (Take, [[Int]]) {
        let bundles = try pack(members, maximum: maximum)
        var bundled = take
        bundled.tracks = bundles.enumerated().map { number, indices in
            let format = members[indices[0]].format
            let first = take.tracks[indices[0]]
            let name = "bundle \(number + 1)"
            let derived = indices.allSatisfy { take.tracks[$0].ssrc != nil }
            var track = TakeTrack(
                name: name, source: .bundle(indices.map { take.tracks[$0].source }), node: first.node,
                declared: DeclaredFormat(
                    encoding: first.declared?.encoding ?? take.encoding, sampleRate: format.sampleRate,
                    channelCount: indices.reduce(0) { $0 + members[$1].format.channelCount }),
                ssrc: derived ? TakeRules.derivedSSRC(take: take.sessionName, track: name) : nil)
            track.channelGroups = indices.map {
                ChannelGroup(
                    source: members[$0].name, channelCount: members[$0].format.channelCount,
                    channelMask: members[$0].channelMask)
            }
            return track
        }
        return (bundled, bundles)
    }
}
