import Interfaces
import Numbers
import PCM
import Platform
import RTP
import WAV

/// Kernel receive times of the packets, indexed by sequence number offset from the first.
final class TimestampCollector: @unchecked Sendable {
    // @unchecked: written by the receiver thread only, read after it is joined.
    var arrivals: [Int64]
    var received = 0

    init(capacity: Int) {
        arrivals = [Int64](repeating: 0, count: capacity)
    }

    func run(socket: UDPSocket, firstSequence: UInt16) {
        var buffer = [UInt8](repeating: 0, count: 2048)
        var lastSequence = firstSequence
        var index = 0
        while true {
            let got = try? buffer.withUnsafeMutableBytes { try socket.receive(into: $0) }
            guard let (count, stamp) = got ?? nil else { return }
            guard count >= 12 else { continue }
            let sequence = UInt16(buffer[2]) << 8 | UInt16(buffer[3])
            // Extend the 16-bit sequence number across wraps: step from the last one by the signed difference.
            index += Int(Int16(bitPattern: sequence &- lastSequence))
            lastSequence = sequence
            if index >= 0 && index < arrivals.count && arrivals[index] == 0 {
                arrivals[index] = stamp
                received += 1
            }
        }
    }
}

/// A loopback socket bound to `port` that takes kernel receive timestamps, for measuring what arrives.
func timestampedReceiver(port: Int, timeoutMilliseconds: Int) throws -> UDPSocket {
    let socket = try UDPSocket(family: .ipv4)
    try socket.bind(to: .loopback(.ipv4, port: port))
    try socket.enableReceiveTimestamps()
    socket.setBufferSize(receive: 8 << 20)
    socket.setReceiveTimeout(milliseconds: timeoutMilliseconds)
    return socket
}

/// A WAV of `seconds` of 48 kHz stereo 24-bit silence as a sparse file in /tmp: read like any WAV, costing no
/// disk space. The caller removes it.
func silentWAV(seconds: Int, label: String, channels: Int = 2) throws -> (path: String, format: PCMFormat, frames: Int)
{
    let format = PCMFormat(encoding: .signed24, channelCount: channels, sampleRate: 48_000)
    let frames = format.sampleRate * seconds
    let path = "/tmp/audiostreamer-bench-\(Console.processID)-\(label).wav"
    let header = WAVHeader.bytes(format: format, dataByteCount: frames * format.bytesPerFrame)
    try FileSystem.createSparseFile(path: path, header: header, size: header.count + frames * format.bytesPerFrame)
    return (path, format, frames)
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let position = Int((fraction * Double(sorted.count - 1)).rounded())
    return sorted[position]
}

/// A figure with `digits` decimals.
func fixed(_ value: Double, _ digits: Int = 1) -> String { DecimalText.fixed(value, digits: digits) }

/// "p50 x p99 y p99.9 z" of sorted figures.
func percentiles(_ sorted: [Double]) -> String {
    "p50 \(fixed(percentile(sorted, 0.5))) p99 \(fixed(percentile(sorted, 0.99))) p99.9 \(fixed(percentile(sorted, 0.999)))"
}

/// Send-time error of any RTP sender, from the receiving side alone: packet i's media time is its RTP timestamp
/// relative to the first; the ideal schedule is the best-fitting start (the one that makes the earliest packet
/// exactly on time), so a sender is judged by its jitter and drift, not by when it began.
func errorsAgainstBestStart(arrivals: [(timestamp: UInt32, arrival: Int64)], sampleRate: Int) -> [Double] {
    guard let first = arrivals.first else { return [] }
    let media = arrivals.map { entry -> (Int64, Int64) in
        let frames = Int(entry.timestamp &- first.timestamp)
        return (MediaTime.nanoseconds(frames: frames, sampleRate: sampleRate), entry.arrival)
    }
    let start = media.map { $0.1 - $0.0 }.min() ?? 0
    return media.map { Double($0.1 - $0.0 - start) / 1000 }
}

func report(label: String, errors: [Double], packets: Int, seconds: Double) {
    let sorted = errors.sorted()
    let tenth = max(1, errors.count / 10)
    let drift =
        percentile(Array(errors.suffix(tenth)).sorted(), 0.5) - percentile(Array(errors.prefix(tenth)).sorted(), 0.5)
    Console.output(
        """
        \(label): \(packets) packets over \(fixed(seconds)) s, error against the best-fitting start (us): \(percentiles(sorted)) max \(fixed(sorted.last ?? 0)); drift \(fixed(drift)) us

        """)
}

/// Figures a measuring thread writes and the caller reads once it has joined it.
final class Measurements: @unchecked Sendable {
    // @unchecked: one thread writes, and the reader waits for it to end.
    var values: [Double]

    init(count: Int) {
        values = [Double](repeating: 0, count: count)
    }
}

/// The path of another executable built beside this one.
func siblingExecutable(_ name: String) -> String {
    (CommandLine.arguments[0].split(separator: "/", omittingEmptySubsequences: false).dropLast() + [Substring(name)])
        .joined(separator: "/")
}
