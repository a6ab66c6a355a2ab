import Arguments
import Platform

/// audiostreamer-bench: how well audiostreamer keeps time, measured from the receiving side, next to the machine's
/// own floor measured in the same run.
///
/// By default it streams a WAV (48 kHz stereo 24-bit, L24) to a receiver on 127.0.0.1 that takes kernel receive
/// timestamps (SO_TIMESTAMPNS), and prints per packet time the send-time error against the ideal schedule
/// (p50/p99/p99.9/max) next to the machine's timer floor, the drift of that error over the run, late packets, CPU
/// of the pacing thread in % of one core, and peak RSS. It first reads a large sparse WAV through the same reader to
/// show that memory does not grow with the file. `--tracks`, `--send-cost` and `--listen` measure other things
/// (see README).
func main() -> Int32 {
    let options: BenchOptions
    do {
        options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
    } catch {
        Console.error("audiostreamer-bench: \(error)\n" + BenchOptions.usage)
        return 64
    }
    if options.help {
        Console.output(BenchOptions.usage)
        return 0
    }
    do {
        if let label = options.listenLabel {
            try listen(label: label, options: options)
        } else if options.soakMinutes > 0 {
            try measureSoak(minutes: options.soakMinutes, tracks: options.soakTracks, options: options)
        } else if !options.loadCounts.isEmpty {
            for count in options.loadCounts { try measureLoad(count, options: options) }
        } else if options.packetSizes {
            printPacketSizes()
        } else if !options.shortestPacketTimeCounts.isEmpty {
            for count in options.shortestPacketTimeCounts { try measureShortestPacketTime(count, options: options) }
        } else if !options.recorderTrackCounts.isEmpty || !options.analyzeCounts.isEmpty {
            for count in options.recorderTrackCounts { try measureRecorder(count, options: options) }
            for count in options.analyzeCounts { try measureAnalyzeLive(count, options: options) }
        } else if let shape = options.captureShape {
            try measureCaptureReading(streams: shape.streams, seconds: shape.seconds, options: options)
        } else if options.sendCostDatagrams > 0 {
            try measureSendCost(options.sendCostDatagrams, options: options)
        } else if !options.trackCounts.isEmpty {
            var results: [(count: Int, lastP99: Double, cpu: Double)] = []
            for count in options.trackCounts {
                let measured = try measureTracks(count, options: options)
                results.append((count, measured.lastP99, measured.cpu))
            }
            Console.output(tracksPerCore(results) + "\n")
            try measureFFmpeg(options.ffmpegProcesses, options: options)
        } else {
            // The large file first, so its peak RSS is not hidden by anything measured before it.
            try measureLargeFile(gigabytes: options.bigWAVGigabytes)
            try measureTimerFloor(seconds: options.seconds)
            for packetTime in options.packetTimes {
                try measure(packetTime: packetTime, options: options)
            }
        }
    } catch {
        Console.error("audiostreamer-bench: \(error)\n")
        return 74
    }
    return 0
}

Console.exit(main())
