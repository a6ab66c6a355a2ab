import Foundation
import PCM
import Testing

extension EndToEnd {
    /// PipeWire's RTP receiver (Debian's pipewire 0.3.65, module-rtp-source with its built-in SAP listener) in a test
    /// host of its own, audiostreamer announcing two tracks with SAP from another: PipeWire makes a session per
    /// announced stream, each under its own `o=`, and frees each at its deletion, which leaves after the stream's
    /// last packet has played out of PipeWire's buffer.
    @Suite(.serialized)
    struct PipeWireTests {
        static let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)

        /// The least PipeWire needs to run as a daemon with the RTP receiver: no session manager, no D-Bus.
        static func configuration(interface: String) -> String {
            """
            context.properties = {
                core.daemon = true
                core.name = pipewire-0
                support.dbus = false
            }
            context.spa-libs = {
                audio.convert.* = audioconvert/libspa-audioconvert
                support.* = support/libspa-support
            }
            context.modules = [
                { name = libpipewire-module-protocol-native }
                { name = libpipewire-module-access }
                { name = libpipewire-module-client-node }
                { name = libpipewire-module-adapter }
                { name = libpipewire-module-rtp-source
                    args = {
                        sap.ip = 239.255.255.255
                        sap.port = 9875
                        local.ifname = \(interface)
                        sess.latency.msec = 100
                    }
                }
            ]

            """
        }

        @Test(
            "PipeWire discovers two announced tracks as two sessions (two o=), and frees each only after its last packet",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"),
            ExternalTool.pipewire.trait, ExternalTool.tshark.trait)
        func discoveredAndFreedAfterTheLastPacket() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let pipewire = try ExternalTool.pipewire.require()
            let folder = try ScratchFolder("pipewire")
            let network = try TestNetwork(prefix: "aspw", hosts: ["rx", "tx"])
            let (txLink, rxLink) = try network.link(1, "10.234.1.1", 0, "10.234.1.2", id: 45)
            try network.must(0, [network.ip, "route", "add", "224.0.0.0/4", "dev", rxLink], folder: folder)
            try network.must(1, [network.ip, "route", "add", "224.0.0.0/4", "dev", txLink], folder: folder)
            try Self.configuration(interface: rxLink)
                .write(toFile: folder.path("pipewire.conf"), atomically: true, encoding: .utf8)
            let runtime = folder.path("run")
            try FileManager.default.createDirectory(
                atPath: runtime, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            for (name, seed) in [("left", UInt64(210)), ("right", 211)] {
                try TestWAV(format: Self.stereo24, seconds: 2, seed: seed).write(to: folder.path("\(name).wav"))
            }
            _ = BuiltProduct.audiostreamer
            let capture = try Capture(network, host: 0, interface: rxLink, filter: "udp", folder: folder, label: "pw")
            let daemon = try network.start(
                0,
                [
                    "/usr/bin/env", "XDG_RUNTIME_DIR=\(runtime)", "PIPEWIRE_DEBUG=3,mod.rtp-source:4", pipewire, "-c",
                    folder.path("pipewire.conf"),
                ], folder: folder, label: "pipewire")
            defer { daemon.interrupt() }
            #expect(
                network.waitForUDPListener(in: 0, port: 9875, folder: folder),
                "PipeWire never listened for SAP: \(daemon.standardError)")
            let sender = try network.exec(
                1,
                [
                    BuiltProduct.audiostreamer, "--ip", "239.69.5.1", "--interface", txLink, "--port", "5004", "--sap",
                    "--start-at", "+1", "--sdp-dir", folder.path("sdp"), folder.path("left.wav"),
                    folder.path("right.wav"),
                ], folder: folder, label: "sender")
            #expect(sender.status == 0, "\(sender.error)")
            Thread.sleep(forTimeInterval: 0.5)
            daemon.interrupt()
            capture.stop()
            let log = daemon.standardError

            let sap = try capture.fields("sap", ["frame.time_epoch", "sap.flags.t", "sdp.owner", "sdp.media.port"])
            let announced = sap.filter { $0[1] == "0" || $0[1] == "False" }
            let deleted = sap.filter { $0[1] == "1" || $0[1] == "True" }
            // Each track announced under an o= of its own.
            var owners: [String: String] = [:]
            for packet in announced { owners[packet[3]] = packet[2] }
            #expect(owners.keys.sorted() == ["5004", "5006"], "announcements: \(announced)")
            #expect(Set(owners.values).count == 2, "o= lines: \(owners)")
            for (port, owner) in owners.sorted(by: { $0.key < $1.key }) {
                // PipeWire made a session for it from the SDP, and freed it at the deletion; it names a session by
                // its o= without the user name.
                let session = owner.split(separator: " ").dropFirst().joined(separator: " ")
                #expect(log.contains("new session - \(session) "), "port \(port): no session for \(owner):\n\(log)")
                #expect(log.contains("free session - \(session) "), "port \(port): \(owner) never freed:\n\(log)")
                let last = try capture.fields(
                    "rtp && udp.dstport == \(port)", ["frame.time_epoch"], decode: ["udp.port==\(port),rtp"]
                ).compactMap { $0.first.flatMap(Double.init) }.max()
                let deletion = deleted.filter { $0[2] == owner }.compactMap { Double($0[0]) }.min()
                let gap = try #require(deletion, "no deletion of \(owner)") - (try #require(last, "no RTP on \(port)"))
                print("PipeWire: port \(port), the deletion left \(Int(gap * 1000)) ms after the last RTP packet")
                #expect(gap >= 0.2, "port \(port): the deletion left \(gap) s after the last packet")
            }
            // Audio reached both sessions: PipeWire filled its buffer for each.
            #expect(log.components(separatedBy: "buffering done").count - 1 >= 2, "\(log)")
        }
    }
}
