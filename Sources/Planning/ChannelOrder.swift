/// One group of a stream's channels, as SMPTE ST 2110-30 signals it in `a=fmtp:<pt> channel-order=SMPTE2110.(...)`:
/// its symbol (M, ST, 51, 71, U02...) and the label of each of its channels. A bundle's groups are its source
/// files, in order.
public struct ChannelGroup: Sendable, Hashable {
    public var symbol: String
    public var labels: [String]

    public init(symbol: String, labels: [String]) {
        self.symbol = symbol
        self.labels = labels
    }

    public var channelCount: Int { labels.count }

    /// The group of one source named `name`: its symbol from its channel count and speaker positions (the WAV
    /// channel mask), its channels labelled with the name, numbered where there are several.
    public init(source name: String, channelCount: Int, channelMask: UInt32) {
        let label = ChannelOrder.label(name)
        self.init(
            symbol: ChannelOrder.symbol(channelCount: channelCount, channelMask: channelMask),
            labels: channelCount == 1 ? [label] : (1...channelCount).map { "\(label) \($0)" })
    }

    /// The name the group's labels share: a mono group's label, or the labels less their numbers where they are
    /// one name numbered 1, 2, ...; else the labels joined.
    public var commonName: String {
        guard labels.count > 1 else { return labels.first ?? symbol }
        let stems = labels.enumerated().map { index, label -> Substring? in
            let suffix = " \(index + 1)"
            return label.hasSuffix(suffix) ? label.dropLast(suffix.count) : nil
        }
        if let first = stems.first ?? nil, !first.isEmpty, stems.allSatisfy({ $0 == first }) { return String(first) }
        return labels.joined(separator: " + ")
    }
}

/// The text of ST 2110-30 channel orders and of the channel labels Dante and PipeWire write in `i=`
/// (`3 channels: piano 1, piano 2, bass`): written by the sender, read back by the recorder.
public enum ChannelOrder {
    /// WAV speaker masks (WAVEFORMATEXTENSIBLE) that are 5.1 and 7.1 layouts, in the orders ST 2110-30 names 51 and 71.
    static let surround51: Set<UInt32> = [0x3F, 0x60F]
    static let surround71: Set<UInt32> = [0x63F, 0xFF]

    /// The symbol for a source of `channelCount` channels: M, ST, 51 or 71 where the mask says so, else U and two
    /// digits (an undefined group of that many).
    public static func symbol(channelCount: Int, channelMask: UInt32) -> String {
        switch channelCount {
        case 1: return "M"
        case 2: return "ST"
        case 6 where surround51.contains(channelMask): return "51"
        case 8 where surround71.contains(channelMask): return "71"
        default: return "U" + (channelCount < 10 ? "0" : "") + String(channelCount)
        }
    }

    /// How many channels a symbol stands for (ST 2110-30 section 6.2.2), nil for one it does not define.
    public static func channelCount(of symbol: String) -> Int? {
        switch symbol {
        case "M": 1
        case "DM", "ST", "LtRt": 2
        case "SGRP": 4
        case "51": 6
        case "71": 8
        case "222": 24
        default:
            if symbol.count == 3, symbol.hasPrefix("U"), let count = Int(symbol.dropFirst()), (1...64).contains(count) {
                count
            } else {
                nil
            }
        }
    }

    /// `channel-order=SMPTE2110.(ST,M)`, an fmtp parameter.
    public static func parameter(_ groups: [ChannelGroup]) -> String {
        "channel-order=SMPTE2110.(" + groups.map(\.symbol).joined(separator: ",") + ")"
    }

    /// `3 channels: piano 1, piano 2, bass`.
    public static func labelText(_ groups: [ChannelGroup]) -> String {
        let labels = groups.flatMap(\.labels)
        return "\(labels.count) channel\(labels.count == 1 ? "" : "s"): " + labels.joined(separator: ", ")
    }

    /// A name as a label: commas (which separate labels) and control characters replaced.
    static func label(_ name: String) -> String {
        String(name.map { $0 == "," || $0.isNewline || ($0.asciiValue.map { $0 < 0x20 } ?? false) ? "_" : $0 })
    }

    /// The groups an fmtp's `channel-order=SMPTE2110.(...)` and an `i=` label list give a stream of
    /// `channelCount` channels; nil where there is no channel order, it names a symbol it does not define, or its
    /// groups do not add up to the stream's channels. Labels that are missing or do not match are made from the
    /// group's place (`group 2`).
    public static func groups(fmtp: String?, information: String?, channelCount: Int) -> [ChannelGroup]? {
        guard let fmtp, let range = fmtp.firstRange(of: "channel-order=SMPTE2110.(") else { return nil }
        let rest = fmtp[range.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return nil }
        let symbols = rest[..<close].split(separator: ",").map { $0.trimmingSpaces }
        let counts = symbols.map(channelCount(of:))
        guard !symbols.isEmpty, counts.allSatisfy({ $0 != nil }), counts.reduce(0, { $0 + ($1 ?? 0) }) == channelCount
        else { return nil }
        var labels = information.flatMap { labelList($0, channelCount: channelCount) }
        var groups: [ChannelGroup] = []
        for (index, (symbol, count)) in zip(symbols, counts).enumerated() {
            let size = count ?? 0
            let own = labels.map { Array($0.prefix(size)) }
            labels = labels.map { Array($0.dropFirst(size)) }
            groups.append(
                ChannelGroup(
                    symbol: symbol,
                    labels: own ?? (size == 1 ? ["group \(index + 1)"] : (1...size).map { "group \(index + 1) \($0)" }))
            )
        }
        return groups
    }

    /// Whether a media title is a channel list in the Dante/PipeWire form, `N channels: a, b` (or `1 channel: a`).
    public static func isLabelText(_ text: String) -> Bool {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return false }
        let rest = text.dropFirst(digits.count)
        return rest.hasPrefix(" channels:") || rest.hasPrefix(" channel:")
    }

    /// The labels of `N channels: a, b, ...` when there are `channelCount` of them.
    static func labelList(_ text: String, channelCount: Int) -> [String]? {
        guard isLabelText(text), let colon = text.firstIndex(of: ":"),
            let count = Int(text[..<colon].split(separator: " ").first ?? ""), count == channelCount
        else { return nil }
        let labels = text[text.index(after: colon)...].split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingSpaces }
        return labels.count == channelCount && labels.allSatisfy({ !$0.isEmpty }) ? labels : nil
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
