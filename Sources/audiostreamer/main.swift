import Application
import Arguments

/// The composition root: parse, pick the surroundings, run one command, turn its outcome into words and an exit code.
func main() -> Int32 {
    // SIGINT, SIGTERM and SIGHUP (the terminal closed) end the run cleanly: the final SR and BYE, the summary, the
    // files finished. A second one, or SIGQUIT (Ctrl-\), ends it at once. Blocked here before any thread starts.
    let stop = StopSignal()
    do {
        try SignalWatcher.start { signal in
            if signal == .quit || stop.isStopped {
                Console.error("\naudiostreamer: \(signal): stopped at once, without the last reports\n")
                SignalWatcher.exitNow(signal.exitStatus)
            }
            stop.stop()
        }
    } catch {
        Console.error("audiostreamer: \(error)\n")
        return ExitCode.osError
    }
    let command: Command
    do {
        command = try Command.parse(Array(CommandLine.arguments.dropFirst()))
    } catch {
        Console.error("audiostreamer: \(error)\nTry 'audiostreamer --help'.\n")
        return ExitCode.usage
    }
    switch command {
    case .usage(let text):
        Console.output(text)
        return ExitCode.ok
    case .version:
        Console.output("audiostreamer \(Command.versionNumber)\n")
        return ExitCode.ok
    case .send(let arguments):
        return send(arguments, request: SendOptions.request(arguments, demo: false), stop: stop)
    case .demo(let arguments):
        return send(arguments, request: SendOptions.request(arguments, demo: true), stop: stop)
    case .record(let arguments):
        return record(arguments, stop: stop)
    case .analyze(let arguments):
        return analyze(arguments, stop: stop)
    }
}

/// Runs `analyze`: a line per stream; exit 0 when every stream meets the profile, 1 when one does not.
func analyze(_ arguments: AnalyzeArguments, stop: StopSignal) -> Int32 {
    let messages = AnalyzeMessages(
        arguments: arguments, terminal: Console.errorIsTerminal, rows: { Console.errorTerminalRows })
    do throws(AnalyzeFailure) {
        let streams = try AnalyzeProgram.run(
            AnalyzeOptions.request(arguments), environment: environment(),
            events: { event in
                if let lines = messages.redrawn(event) {
                    Console.redraw(lines)
                } else {
                    Console.error(messages.lines(event))
                }
            }, stop: stop)
        for stream in streams { Console.error("audiostreamer: \(messages.summary(stream))\n") }
        return streams.allSatisfy(\.verdict.meetsProfile) ? ExitCode.ok : 1
    } catch {
        let (line, code) = messages.failure(error)
        Console.error("audiostreamer: \(line)\n")
        return code
    }
}

/// Runs `record` and tells what happens.
func record(_ arguments: RecordArguments, stop: StopSignal) -> Int32 {
    let messages = RecordMessages(
        arguments: arguments, terminal: Console.errorIsTerminal, rows: { Console.errorTerminalRows })
    do throws(RecordFailure) {
        _ = try RecordProgram.run(
            RecordOptions.request(arguments), environment: environment(),
            events: { event in
                if let meters = messages.meters(event) {
                    Console.redraw(meters)
                } else {
                    Console.error(messages.lines(event))
                }
            },
            stop: stop)
        return ExitCode.ok
    } catch {
        let (line, code) = messages.failure(error)
        Console.error("audiostreamer: \(line)\n")
        return code
    }
}

/// What the commands take from their surroundings: the system's clocks and randomness, made here alone.
/// AUDIOSTREAMER_CLOCK_STATUS lets tests script the clock's synchronisation (see ScriptedClockSync). The CNAME's
/// user is $USER, else the account's name (getpwuid), as other RTP tools take it.
func environment() -> Environment {
    let clockSync: any ClockSyncReader =
        Console.environment("AUDIOSTREAMER_CLOCK_STATUS").map { ScriptedClockSync(script: $0) } ?? KernelClockSync()
    let user = Console.environment("USER").flatMap { $0.isEmpty ? nil : $0 } ?? UserAccount.name() ?? "audiostreamer"
    return Environment(
        clocks: SystemClocks(), random: { SystemRandomSource() }, clockSync: clockSync, userName: user,
        network: SystemNetwork())
}

/// Runs `send` (or `demo`) and tells what happens.
func send(_ arguments: SendArguments, request: SendRequest, stop: StopSignal) -> Int32 {
    let messages = SendMessages(arguments: arguments, terminal: Console.errorIsTerminal)
    do throws(SendFailure) {
        let outcomes = try SendProgram.run(
            request, environment: environment(),
            events: { Console.error(messages.lines($0)) }, stop: stop)
        return outcomes.contains { $0.readFailure != nil } ? ExitCode.ioError : ExitCode.ok
    } catch {
        let (line, code) = messages.failure(error)
        Console.error("audiostreamer: \(line)\n")
        return code
    }
}

Console.exit(main())
