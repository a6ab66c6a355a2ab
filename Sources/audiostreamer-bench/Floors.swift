import Platform
import Synchronization

/// The machine's own steadiness: the same plain arithmetic (no system call, no memory traffic), `microseconds`
/// long when the CPU is all ours, done at every 1 ms deadline. How much longer it sometimes takes is how much
/// the (virtual) CPU slows down under the host's load: no sender can burst faster than that.
func measureCPUFloor(microseconds: Double, seconds: Int) throws -> String {
    let count = seconds * 1000
    let durations = Measurements(count: count)
    let thread = try OSThread {
        try? ThreadTuning.setTimerSlack(nanoseconds: 1)
        let clock = MonotonicClock()
        // Calibrate as the measure itself runs, one wake-up every 1 ms: the median of 200 runs of 100 000 steps,
        // so the machine's slow spells do not skew it.
        var samples: [Int64] = []
        let calibration = clock.now() + 1_000_000
        for index in 0..<200 {
            clock.sleep(until: calibration + Int64(index) * 1_000_000)
            let before = clock.now()
            blackHole(arithmetic(steps: 100_000, seed: UInt32(truncatingIfNeeded: before)))
            samples.append(clock.now() - before)
        }
        let median = Double(samples.sorted()[samples.count / 2])
        let steps = max(1, Int(microseconds * 1000 / median * 100_000))
        let start = clock.now() + 1_000_000
        for index in 0..<count {
            clock.sleep(until: start + Int64(index) * 1_000_000)
            let before = clock.now()
            blackHole(arithmetic(steps: steps, seed: UInt32(truncatingIfNeeded: index)))
            durations.values[index] = Double(clock.now() - before) / 1000
        }
    }
    thread.join()
    let sorted = durations.values.sorted()
    let median = percentile(sorted, 0.5)
    let slowed = Double(sorted.filter { $0 >= 3 * median }.count) / Double(count) * 100
    return
        "the same CPU time of plain arithmetic every 1 ms takes p50 \(fixed(median)) p99 \(fixed(percentile(sorted, 0.99))) p99.9 \(fixed(percentile(sorted, 0.999))) us; \(fixed(slowed))% of them 3 times as long or more"
}

/// A linear congruential walk: work the optimiser cannot remove or shorten.
@inline(never)
func arithmetic(steps: Int, seed: UInt32) -> UInt32 {
    var value = seed
    for _ in 0..<steps { value = value &* 1_664_525 &+ 1_013_904_223 }
    return value
}

@inline(never)
func blackHole(_ value: UInt32) {
    if value == 0x5EED_F00D { Console.output("") }
}

/// The machine's own floor: how late a bare absolute sleep wakes (timer slack 1 ns), sending nothing.
func measureTimerFloor(seconds: Int) throws {
    let sorted = try timerLateness(seconds: seconds, periodNanoseconds: 1_000_000).sorted()
    Console.output(
        "timer floor (bare clock_nanosleep, 1 ms, \(seconds) s): wake-up lateness \(percentiles(sorted)) max \(fixed(sorted.last ?? 0)) us\n\n"
    )
}

/// How late, in microseconds, each of `seconds` of bare absolute sleeps one `periodNanoseconds` apart woke, on a
/// thread of its own with timer slack 1 ns, sending nothing.
func timerLateness(seconds: Int, periodNanoseconds: Int64) throws -> [Double] {
    let count = Int(Int64(seconds) * 1_000_000_000 / periodNanoseconds)
    let lateness = Mutex([Double]())
    let thread = try OSThread {
        try? ThreadTuning.setTimerSlack(nanoseconds: 1)
        let clock = MonotonicClock()
        var measured = [Double](repeating: 0, count: count)
        let start = clock.now() + 1_000_000
        for index in 0..<count {
            let deadline = start + Int64(index) * periodNanoseconds
            clock.sleep(until: deadline)
            measured[index] = Double(clock.now() - deadline) / 1000
        }
        lateness.withLock { $0 = measured }
    }
    thread.join()
    return lateness.withLock { $0 }
}
