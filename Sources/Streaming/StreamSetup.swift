import PCM
import Platform
import RTP
import SDP
import WAV

/// How to send: everything the command line can say about a stream.
public struct StreamOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 5004
    public var packetTime = PacketTime(milliseconds: ExactDecimal(numerator: 1))
    /// The flag the packet time came from, for messages (`--ptime` or `--delay_ms`).
    public var packetTimeFlag = "--ptime"
    public var encoding: AudioPayloadEncoding?
    public var payloadType: UInt8?
    public var ssrc: UInt32?
    public var initialSequenceNumber: UInt16?
    public var initialTimestamp: UInt32?
    public var mtu = 1500
    public var fragmentation = FragmentationPolicy.fit
    public var sdpDirectory = "sdp"
    /// Media seconds to send, as frames are counted: nil sends the whole source (forever when looping).
    public var durationSeconds: ExactDecimal?
    public var loops = false
    /// Where RTCP goes: nil is the RTP port + 1.
    public var rtcpPort: Int?
    /// RTCP on the RTP port (RFC 5761).
    public var rtcpMultiplexed = false
    /// The CNAME of every track of this process; nil makes one from the user and the local address.
    public var canonicalName: String?
    /// The local port RTP leaves from (RTCP from the next one); nil lets the system choose.
    public var sourcePort: Int?
    /// How the first RTP timestamp is chosen when `initialTimestamp` is nil.
    public var timestampOrigin = TimestampOrigin.wallClock
    /// What `a=ts-refclk` says about the clock the media clock follows (RFC 7273), e.g. `ntp=pool.example` or `local`.
    public var referenceClock = "local"

    public init() {}

    /// The port RTCP goes to.
    public var effectiveRTCPPort: Int { rtcpMultiplexed ? port : rtcpPort ?? port + 1 }
}

/// A track ready to stream: its packetizer and socket set up, its SDP written.
public struct PreparedTrack {
    public var track: Track
    public var announcement: StreamAnnouncement
    public var sdpPath: String
    public var sizing: PacketSizing
    public var destination: SocketAddress
    public var rtcp: RTCPSession

    /// Writes this stream's SDP file, atomically.
    public func writeSDP() throws(SetupError) {
        try StreamSetup.writeSDP(announcement.sessionDescription, to: sdpPath)
    }
}

/// Why a stream could not be set up, sorted by what the user must fix (and which exit code says it).
public enum SetupError: Error, CustomStringConvertible {
    /// A flag's value cannot work for this input.
    case configuration(StreamConfigurationError)
    /// The input file is missing or unreadable.
    case inputUnreadable(path: String, reason: String)
    /// The input file is not a WAV that can be streamed.
    case inputInvalid(path: String, reason: String)
    /// The destination host does not resolve.
    case unknownHost(ResolutionError)
    /// A socket could not be opened or connected.
    case network(SystemError)
    /// The SDP file could not be written.
    case sdpNotWritten(path: String, reason: String)

    public var description: String {
        switch self {
        case .configuration(let error): "\(error)"
        case .inputUnreadable(let path, let reason), .inputInvalid(let path, let reason): "\(path): \(reason)"
        case .unknownHost(let error): "--ip: \(error)"
        case .network(let error): "network: \(error)"
        case .sdpNotWritten(let path, let reason): "\(path): cannot write SDP: \(reason)"
        }
    }
}

/// Opens inputs, plans packets, opens sockets and writes SDP files: everything before the first packet.
public enum StreamSetup {
    /// Opens a WAV file and walks its chunks; `warn` hears about a data chunk longer than the file.
    public static func openWAV(path: String, warn: (String) -> Void) throws(SetupError) -> WAVFrameReader {
        let file: ReadOnlyFile
        do {
            file = try ReadOnlyFile(path: path)
        } catch {
            throw .inputUnreadable(path: path, reason: "\(error)")
        }
        return try openWAV(source: file, named: path, warn: warn)
    }

    /// Walks the chunks of WAV bytes from any source.
    public static func openWAV(source: any ByteSource, named path: String, warn: (String) -> Void) throws(SetupError)
        -> WAVFrameReader
    {
        let layout: WAVLayout
        do {
            layout = try WAVLayout(reading: source)
        } catch {
            throw .inputInvalid(path: path, reason: error.description)
        }
        if layout.isTruncated {
            warn(
                "warning: \(path): data chunk claims \(layout.declaredDataByteCount) bytes, the file holds \(layout.dataByteCount); streaming what is there"
            )
        }
        if let file = source as? ReadOnlyFile { file.adviseSequential() }
        return WAVFrameReader(source: source, layout: layout)
    }

    /// Plans, connects and describes one track whose first frame is due at `start` (wall clock, Unix ns).
    /// Writes nothing: once every track is prepared, `writeSDP` writes the files.
    public static func prepare(
        name: String, source: any FrameSource, options: StreamOptions, sessionID: UInt64, startWallNanoseconds: Int64,
        random: inout some RandomNumberGenerator, warn: (String) -> Void
    ) throws(SetupError) -> PreparedTrack {
        let format = source.format
        let encoding = options.encoding ?? (format.encoding.naturalNetworkWidth == .bits16 ? .l16 : .l24)
        let destination: SocketAddress
        do {
            destination = try SocketAddress.resolve(host: options.host, port: options.port)
        } catch let error as ResolutionError {
            throw .unknownHost(error)
        } catch {
            throw .unknownHost(ResolutionError(host: options.host, reason: "\(error)"))
        }
        let sizing: PacketSizing
        do {
            sizing = try PacketSizing(
                packetTime: options.packetTime, sampleRate: format.sampleRate,
                bytesPerFrame: format.channelCount * encoding.bytesPerSample, mtu: options.mtu,
                ipOverhead: destination.family == .ipv6 ? PacketSizing.ipv6Overhead : PacketSizing.ipv4Overhead,
                policy: options.fragmentation)
        } catch {
            throw .configuration(error)
        }
        if sizing.wasReduced {
            let bytesPerFrame = format.channelCount * encoding.bytesPerSample
            warn(
                "warning: \(options.packetTimeFlag) \(options.packetTime) needs \(sizing.requestedFrames * bytesPerFrame) bytes per packet, more than the \(sizing.payloadLimit) that --mtu \(options.mtu) allows; sending \(PacketTime.millisecondsText(frames: sizing.framesPerPacket, sampleRate: format.sampleRate)) ms packets (\(sizing.framesPerPacket) frames, \(sizing.payloadBytes) bytes) instead"
            )
        }
        let payloadType =
            options.payloadType
            ?? RTPPayloadType.staticType(
                encoding: encoding, sampleRate: format.sampleRate, channelCount: format.channelCount)
            ?? RTPPayloadType.firstDynamic
        guard
            RTPPayloadType.allows(
                payloadType, encoding: encoding, sampleRate: format.sampleRate, channelCount: format.channelCount)
        else {
            throw .configuration(
                .payloadTypeNotAllowed(
                    payloadType: Int(payloadType), encoding: encoding.name, sampleRate: format.sampleRate,
                    channels: format.channelCount))
        }
        let socket: UDPSocket
        let rtcpSocket: UDPSocket
        let origin: SocketAddress
        do {
            socket = try UDPSocket(family: destination.family)
            socket.setBufferSize(send: 1 << 20)
            if let sourcePort = options.sourcePort {
                try socket.bind(to: SocketAddress.wildcard(destination.family, port: sourcePort))
            }
            try socket.connect(to: destination)
            origin = try socket.localAddress()
            if options.rtcpMultiplexed {
                rtcpSocket = socket
            } else {
                // Bound to a port of its own so receivers' reports come back to it.
                rtcpSocket = try UDPSocket(family: destination.family)
                try rtcpSocket.bind(
                    to: SocketAddress.wildcard(destination.family, port: options.sourcePort.map { $0 + 1 } ?? 0))
            }
        } catch let error as SystemError {
            throw .network(error)
        } catch {
            throw .network(SystemError("socket", errno: 0))
        }
        if options.port % 2 == 1 {
            warn("warning: --port \(options.port) is odd; receivers expect RTP on an even port and RTCP on the next")
        }
        let packetizer = Packetizer(
            source: format.encoding, encoding: encoding, channelCount: format.channelCount,
            framesPerPacket: sizing.framesPerPacket, payloadType: payloadType,
            ssrc: options.ssrc ?? UInt32.random(in: .min ... .max, using: &random),
            initialSequenceNumber: options.initialSequenceNumber ?? UInt16.random(in: .min ... .max, using: &random),
            initialTimestamp: options.initialTimestamp
                ?? (options.timestampOrigin == .wallClock
                    ? MediaClock.rtpTimestamp(unixNanoseconds: startWallNanoseconds, sampleRate: format.sampleRate)
                    : UInt32.random(in: .min ... .max, using: &random)))
        let frameLimit = options.durationSeconds.map { $0.scaled(by: format.sampleRate) }
        let track = Track(
            name: name, source: source, packetizer: packetizer, sink: socket, frameLimit: frameLimit,
            loops: options.loops)
        let announcement = StreamAnnouncement(
            name: name, destinationHost: destination.host, port: options.port, payloadType: payloadType,
            encoding: encoding, sampleRate: format.sampleRate, channelCount: format.channelCount,
            framesPerPacket: sizing.framesPerPacket, originHost: origin.host, sessionID: sessionID,
            rtcpPort: options.effectiveRTCPPort, rtcpMultiplexed: options.rtcpMultiplexed,
            referenceClock: options.referenceClock,
            mediaClockOffset: packetizer.initialTimestamp
                &- MediaClock.rtpTimestamp(unixNanoseconds: startWallNanoseconds, sampleRate: format.sampleRate))
        let user = Console.environment("USER").flatMap { $0.isEmpty ? nil : $0 } ?? "audiostreamer"
        let rtcp = RTCPSession(
            track: track, socket: rtcpSocket, destination: destination.withPort(options.effectiveRTCPPort),
            canonicalName: options.canonicalName ?? "\(user)@\(origin.host)", isMultiplexed: options.rtcpMultiplexed)
        let path = options.sdpDirectory + "/" + name + ".sdp"
        return PreparedTrack(
            track: track, announcement: announcement, sdpPath: path, sizing: sizing, destination: destination,
            rtcp: rtcp)
    }

    /// Writes an SDP file atomically, creating its folder.
    public static func writeSDP(_ description: SessionDescription, to path: String) throws(SetupError) {
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        do {
            if !folder.isEmpty { try FileSystem.createDirectory(folder) }
            try FileSystem.writeAtomically(Array(description.rendered().utf8), to: path)
        } catch {
            throw .sdpNotWritten(path: path, reason: "\(error)")
        }
    }

    /// The WAV files of a folder, sorted by name; `note` hears about everything else it skips.
    public static func wavFiles(inDirectory path: String, note: (String) -> Void) throws(SetupError) -> [String] {
        let names: [String]
        do {
            names = try FileSystem.contents(ofDirectory: path).sorted()
        } catch {
            throw .inputUnreadable(path: path, reason: "\(error)")
        }
        var files: [String] = []
        for name in names {
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            if name.lowercased().hasSuffix(".wav") && !FileSystem.isDirectory(full) {
                files.append(full)
            } else {
                note("note: \(full) skipped: not a .wav file")
            }
        }
        guard !files.isEmpty else { throw .inputInvalid(path: path, reason: "no .wav files in the folder") }
        return files
    }

    /// The track name of a WAV path: its file name without folder and `.wav`.
    public static func trackName(forPath path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        if name.lowercased().hasSuffix(".wav") { name.removeLast(4) }
        return name.isEmpty ? "track" : name
    }
}
