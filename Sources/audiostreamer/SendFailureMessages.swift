import Application

/// How `send` words its failures: one line and a sysexits code each.
extension SendMessages {
    /// The line for a failure, and the exit code that goes with it.
    func failure(_ failure: SendFailure) -> (line: String, code: Int32) {
        switch failure {
        case .takeFileUnreadable(let path, let reason):
            ("\(Printable.text(path)): cannot read the session file (\(Printable.text(reason)))", ExitCode.noInput)
        case .takeFile(let path, let error): ("\(Printable.text(path)): \(Self.takeFile(error))", ExitCode.dataError)
        case .plan(let error, let takeFile): plan(error, takeFile: takeFile)
        case .inputUnreadable(let path, let reason):
            ("\(Printable.text(path)): \(Printable.text(reason))", ExitCode.noInput)
        case .inputInvalid(let path, let error): ("\(Printable.text(path)): \(error)", ExitCode.dataError)
        case .folderWithoutWAV(let path): ("\(Printable.text(path)): no .wav files in the folder", ExitCode.dataError)
        case .unknownHost(let error, let second): ("\(second ? "--redundant-ip" : "--ip"): \(error)", ExitCode.noHost)
        case .clockNotSynchronized:
            (
                "--require-sync: the system clock is not synchronised (adjtimex); start chrony or ptp4l and wait for it to lock",
                ExitCode.unavailable
            )
        case .network(let error): ("network: \(error)", ExitCode.osError)
        case .unreachable(let host, let address, let error, let second):
            (
                "\(second ? "--redundant-ip" : "--ip") \(host): \(error)\(address.isMulticast ? "; name the interface multicast leaves by with \(second ? "--redundant-interface" : "--interface")" : "")",
                ExitCode.osError
            )
        case .sdpNotWritten(let path, let reason):
            ("\(Printable.text(path)): cannot write SDP: \(Printable.text(reason))", ExitCode.cannotCreate)
        case .statisticsUnwritable(let path, let reason):
            ("--stats \(Printable.text(path)): cannot be written: \(Printable.text(reason))", ExitCode.cannotCreate)
        case .thread(let error): ("\(error)", ExitCode.osError)
        case .noInterface(let name, let second):
            (
                "\(second ? "--redundant-interface" : "--interface") \(Printable.text(name)): no interface has this name or address",
                ExitCode.usage
            )
        case .sapAddress(let text):
            ("--sap-address \(Printable.text(text)): expected a multicast address", ExitCode.usage)
        }
    }

    /// Where an MTU came from: the route's, when it is below the one --mtu gives (1500 unless given).
    func mtuSpelling(_ mtu: Int) -> String {
        mtu < arguments.take.mtu ? "the path's MTU \(mtu)" : "--mtu \(mtu)"
    }

    func plan(_ error: PlanError, takeFile: String?) -> (line: String, code: Int32) {
        let file = takeFile ?? "the take"
        let packetTime = arguments.packetTimeSpelling
        switch error {
        case .packetTimeBelowOneFrame(let time, let rate):
            return ("\(packetTime) \(time) ms is less than one frame at \(rate) Hz", ExitCode.usage)
        case .packetExceedsMTU(let time, let bytes, let mtu, let limit):
            return (
                "\(packetTime) \(time) ms needs \(bytes) bytes of payload per packet, more than the \(limit) that \(mtuSpelling(mtu)) allows (--strict)",
                ExitCode.usage
            )
        case .packetLargerThanUDP(let bytes, let limit):
            return (
                "packet payload of \(bytes) bytes exceeds the UDP limit of \(limit) even with --allow-fragmentation",
                ExitCode.usage
            )
        case .frameExceedsMTU(let bytesPerFrame, let mtu, let limit):
            return (
                "one frame is \(bytesPerFrame) bytes, more than the \(limit) bytes of payload \(mtuSpelling(mtu)) allows; use --allow-fragmentation",
                ExitCode.usage
            )
        case .payloadTypeNotAllowed(let payloadType, let encoding, let rate, let channels):
            return (
                "--payload-type \(payloadType) cannot carry \(encoding.name) \(rate) Hz \(channels) ch: use 96-127 (10/11 are only for L16 44100 Hz stereo/mono)",
                ExitCode.usage
            )
        case .portOutOfRange(let role, let base, let slot):
            let flag =
                switch role {
                case .destination: takeFile == nil ? "--port" : "\(Printable.text(file)): port"
                case .rtcpDestination: "--rtcp-port"
                case .source: "--source-port"
                }
            return ("\(flag) \(base) leaves no room for track \(slot + 1)", ExitCode.usage)
        case .startNotInFuture:
            let start = arguments.startText.map { "--start-at \($0)" } ?? "\(Printable.text(file)): start_at"
            return ("\(start) is not in the future (allow 50 ms to set up)", ExitCode.usage)
        case .duplicateTrackName(let name):
            return ("two tracks are named '\(Printable.text(name))'; their SDP files would collide", ExitCode.usage)
        case .noTrackForNode(let node):
            return ("\(Printable.text(file)): no track for node '\(Printable.text(node))'", ExitCode.dataError)
        case .declaredFormatMismatch(let track, let declared, let actual, let path):
            let shown = DeclaredFormat(
                encoding: declared.encoding ?? actual.encoding, sampleRate: declared.sampleRate ?? actual.sampleRate,
                channelCount: declared.channelCount ?? actual.channelCount)
            return (
                "\(Printable.text(file)): track '\(Printable.text(track))' declares \(shown), but \(Printable.text(path)) is \(actual)",
                ExitCode.dataError
            )
        case .remoteTrackUndeclared(let track, let node):
            return (
                "\(Printable.text(file)): track '\(Printable.text(track))' of node '\(Printable.text(node))' needs encoding (L16/L24), sample_rate and channels",
                ExitCode.dataError
            )
        case .aes67(let problem, let track):
            let reason =
                switch problem {
                case .notMulticast(let address): "sends to \(address), not to a multicast group"
                case .sampleRate(let rate): "is \(rate) Hz, and AES67 streams are 48 kHz"
                case .channels(let count): "has \(count) channels, more than the 8 an AES67 stream carries"
                case .packetTime(let frames):
                    "would send packets of \(frames) frames (\(DecimalText.fixed(Double(frames) / 48, digits: 3)) ms); AES67 receivers take 1 ms, some 0.125, 0.25, 0.333 or 4 ms"
                }
            return ("--aes67: track '\(Printable.text(track))' \(Printable.text(reason))", ExitCode.usage)
        case .sharedSSRC(let count):
            return (
                "--ssrc names one SSRC, and \(count) tracks cannot share it: give each track its own in a take file (\"ssrc\"), or leave them random",
                ExitCode.usage
            )
        case .overridesTakeFile(let setting):
            return (overrides(setting, file: Printable.text(file)), ExitCode.usage)
        case .bundleTooNarrow(let track, let channels, let maximum):
            return (
                "--bundle \(maximum): '\(Printable.text(track))' has \(channels) channels, more than a stream of the bundle carries (a file is never split)",
                ExitCode.usage
            )
        case .bundleMixesFormats(let track, let format, let bundleTrack, let bundleFormat):
            return (
                "--bundle: '\(Printable.text(track))' is \(format.sampleRate) Hz \(format.encoding), '\(Printable.text(bundleTrack))' of the same stream is \(bundleFormat.sampleRate) Hz \(bundleFormat.encoding): the files of one stream share rate and width",
                ExitCode.dataError
            )
        case .st2110(let level, let track, let rate, let channels):
            let takes = level.modes.map { "\($0.maximumChannels) at \($0.sampleRate) Hz \($0.packetTime) ms" }
            return (
                "--st2110-level \(level): '\(Printable.text(track))' is \(channels) channels at \(rate) Hz; the level takes streams of up to \(takes.joined(separator: ", ")) (no resampling)",
                ExitCode.usage
            )
        case .st2110DoesNotFit(let level, let track, let packetTime, let mtu):
            return (
                "--st2110-level \(level): '\(Printable.text(track))' does not fit \(mtuSpelling(mtu)) at \(packetTime) ms, the packet time the level gives it; bundle fewer channels (--bundle) or raise --mtu",
                ExitCode.usage
            )
        case .inputsMissing, .unresolvedHost, .unusableStream, .noStreams, .portInUseTwice, .conflictingDescriptions:
            // Planning a send never gives these.
            return ("internal error: \(error)", ExitCode.software)
        }
    }

    static func takeFile(_ error: TakeFileError) -> String {
        switch error {
        case .notJSON(let error): "not a JSON session description (\(error))"
        case .noTracks: "no tracks"
        case .missing(let path): "missing \"\(Printable.text(path))\""
        case .wrongType(let path, let expected, let found):
            "\(Printable.text(path)): expected \(expectedName(expected)), found \(found)"
        case .invalid(let path, .startTime(let text)):
            "\(Printable.text(path)) '\(Printable.text(text))' is not an ISO 8601 UTC time or +SECONDS"
        case .invalid(let path, .packetTime(let text)):
            "\(Printable.text(path)) \(Printable.text(text)): expected milliseconds from 0.125 to 1000"
        case .invalid(let path, .encoding(let text)):
            "\(Printable.text(path)) '\(Printable.text(text))': expected L16 or L24"
        case .invalid(let path, .rtcp(let text)):
            "\(Printable.text(path)) '\(Printable.text(text))': expected \"next-port\", \"mux\" or a port"
        case .invalid(let path, .timestamps(let text)):
            "\(Printable.text(path)) '\(Printable.text(text))': expected \"wallclock\" or \"ptp\" (a random origin no other PC could know)"
        case .invalid(let path, .outOfRange(let text, let range)):
            "\(Printable.text(path)) \(Printable.text(text)): expected a whole number from \(range.lowerBound) to \(range.upperBound)"
        }
    }

    /// Why an option cannot go with a take file, naming the file's key to use instead where it has one.
    func overrides(_ setting: TakeSetting, file: String) -> String {
        let (flag, key): (String, String?) =
            switch setting {
            case .destination: ("--ip", "destination")
            case .port: ("--port", "port")
            case .packetTime: (arguments.packetTimeSpelling, "ptime")
            case .encoding: ("--format", "each track's \"encoding\"")
            case .payloadType: ("--payload-type", "payload_type")
            case .ssrc: ("--ssrc", "each track's \"ssrc\"")
            case .timestamp: ("--timestamp", nil)
            case .timestampOrigin: ("--timestamps", "timestamps")
            case .mtu: ("--mtu", "mtu")
            case .fragmentation: ("--allow-fragmentation", nil)
            case .rtcp: (arguments.take.rtcp == .multiplexed ? "--rtcp-mux" : "--rtcp-port", "rtcp")
            case .dscp: ("--dscp", "dscp")
            case .ttl: ("--ttl", "ttl")
            case .bundle: ("--bundle", "bundle")
            }
        if setting == .timestampOrigin && arguments.take.timestampOrigin == .random {
            return "--timestamps random cannot go with \(file): a recorder reading it could not know a random origin"
        }
        guard let key else {
            return "\(flag) cannot go with \(file): every node and recorder derives that from the file alone"
        }
        let named = key.hasPrefix("each") ? key : "\"\(key)\""
        return
            "\(flag) would send other than \(file) tells every node and recorder to expect: set \(named) in the file instead"
    }

    static func expectedName(_ kind: TakeFileError.ExpectedKind) -> String {
        switch kind {
        case .string: "a string"
        case .number: "a number"
        case .wholeNumber: "a whole number"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
