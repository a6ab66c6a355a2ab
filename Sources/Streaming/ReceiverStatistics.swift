import RTP

/// What one receiver reported about one of our streams: its latest report block, its CNAME, the round trip.
public struct ReceiverStatistics: Sendable, Hashable {
    public var ssrc: UInt32
    public var canonicalName: String?
    public var address: String
    public var reports: Int
    /// Fraction of packets lost since the previous report, 0...1.
    public var fractionLost: Double
    public var cumulativeLost: Int
    /// Interarrival jitter in milliseconds.
    public var jitterMilliseconds: Double
    /// Round-trip time from LSR and DLSR (RFC 3550 section 6.4.1), nil until the receiver has seen an SR.
    public var roundTripMilliseconds: Double?

    /// The figures of a report block received at `arrival` (NTP time), for a stream at `sampleRate`.
    public init(
        reporter: UInt32, block: RTCPReportBlock, arrival: NTPTimestamp, sampleRate: Int, address: String,
        previous: ReceiverStatistics?
    ) {
        ssrc = reporter
        canonicalName = previous?.canonicalName
        self.address = address
        reports = (previous?.reports ?? 0) + 1
        fractionLost = Double(block.fractionLost) / 256
        cumulativeLost = Int(block.cumulativeLost)
        jitterMilliseconds = Double(block.jitter) * 1000 / Double(sampleRate)
        if block.lastSenderReport != 0 {
            // All three in units of 1/65536 s, modulo 2^32.
            let roundTrip = arrival.middle32 &- block.lastSenderReport &- block.delaySinceLastSenderReport
            roundTripMilliseconds = Double(roundTrip) * 1000 / 65536
        } else {
            roundTripMilliseconds = nil
        }
    }

    /// One line for the status display.
    public var summary: String {
        let name = canonicalName ?? "0x" + String(ssrc, radix: 16)
        let rtt = roundTripMilliseconds.map { ", rtt \(Decimal3($0)) ms" } ?? ""
        return
            "receiver \(name) (\(address)): lost \(cumulativeLost) (\(Decimal3(fractionLost * 100))% last), jitter \(Decimal3(jitterMilliseconds)) ms\(rtt)"
    }
}

/// A number with three decimals, for status lines and JSON, without Foundation.
struct Decimal3: CustomStringConvertible {
    let value: Double
    init(_ value: Double) { self.value = value }

    var description: String {
        guard value.isFinite else { return "0" }
        let thousandths = Int((abs(value) * 1000).rounded())
        var fraction = String(thousandths % 1000)
        while fraction.count < 3 { fraction = "0" + fraction }
        return (value < 0 ? "-" : "") + "\(thousandths / 1000).\(fraction)"
    }
}

/// JSON text without Foundation: strings escaped per RFC 8259.
enum JSON {
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }
}
