import Foundation
import PCM
import Testing

extension EndToEnd {
    /// Flows as Dante and many AES67 devices send them: each to the same port in a group of its own.
    @Suite(.serialized)
    struct GroupFlowsTests {
        static let stereo24 = PCMFormat(encoding: .signed24, channelCount: 2, sampleRate: 48_000)

        /// Two devices (test hosts) each send one flow to port 29500, in 239.69.1.1 and 239.69.2.1; one recorder
        /// on a third host records both from their SDP files, each bit-exact.
        @Test(
            "two flows to one port in two groups, from two hosts, recorded together: both bit-exact",
            .enabled(if: TestNetwork.available || ExternalTool.required, "needs root and iproute2 for test hosts"))
        func twoGroupsOnePort() throws {
            try #require(TestNetwork.available, "network namespaces need root and iproute2")
            let folder = try ScratchFolder("group-flows")
            let network = try TestNetwork(prefix: "asgrp", hosts: ["rx", "d1", "d2"])
            let (d1Link, rx1Link) = try network.link(1, "10.230.1.1", 0, "10.230.1.2", id: 40)
            let (d2Link, rx2Link) = try network.link(2, "10.230.2.1", 0, "10.230.2.2", id: 41)
            // The recorder joins each group on the interface its route names.
            try network.must(0, [network.ip, "route", "add", "239.69.1.0/24", "dev", rx1Link], folder: folder)
            try network.must(0, [network.ip, "route", "add", "239.69.2.0/24", "dev", rx2Link], folder: folder)
            let sources = [
                ("stage left", TestWAV(format: Self.stereo24, seconds: 2, seed: 170)),
                ("stage right", TestWAV(format: Self.stereo24, seconds: 2, seed: 171)),
            ]
            for (name, source) in sources { try source.write(to: folder.path("\(name).wav")) }
            _ = BuiltProduct.audiostreamer
            // One start for both devices, whole seconds, 3 to 4 s from now: the two files line up to the sample.
            let start = ISO8601DateFormatter().string(from: Date().addingTimeInterval(4))
            let senders = try [(1, "239.69.1.1", d1Link), (2, "239.69.2.1", d2Link)].map { host, group, link in
                try network.start(
                    host,
                    [
                        BuiltProduct.audiostreamer, "--no-realtime", "--ip", group, "--interface", link, "--port",
                        "29500",
                        "--start-at", start, "--sdp-dir", folder.path("sdp\(host)"),
                        folder.path("\(sources[host - 1].0).wav"),
                    ], folder: folder, label: "d\(host)")
            }
            let sdps = [folder.path("sdp1/stage left.sdp"), folder.path("sdp2/stage right.sdp")]
            for sdp in sdps { #expect(waitForFile(sdp), "\(sdp) never came") }
            let recorder = try network.start(
                0,
                [BuiltProduct.audiostreamer, "record", "-o", folder.path("take"), "--idle", "8"] + sdps,
                folder: folder, label: "recorder")
            for sender in senders { #expect(sender.wait(seconds: 15) == 0, "\(sender.standardError)") }
            #expect(recorder.wait(seconds: 10) == 0, "\(recorder.standardError)")
            for (name, source) in sources {
                let file = try RecordedFile(folder.path("take/\(name).wav"))
                #expect(file.samples.count == source.samples.count, "\(name): \(file.frames) frames")
                #expect(file.samples == source.samples, "\(name) differs from its source")
            }
        }
    }
}
