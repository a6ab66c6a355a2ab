import Foundation
import Testing

/// Programs run inside the test hosts a `TestNetwork` makes, and what they saw.
extension TestNetwork {
    /// Runs `command` inside host `index` to its end (at most `timeout` seconds).
    @discardableResult
    func exec(_ index: Int, _ command: [String], folder: ScratchFolder, label: String, timeout: Double = 30) throws
        -> (status: Int32, output: String, error: String)
    {
        let (program, arguments) = inside(index, command)
        return try Subprocess.run(program, arguments, in: folder.url, label: label, timeout: timeout)
    }

    /// Runs `command` inside host `index` and requires it to succeed.
    func must(_ index: Int, _ command: [String], folder: ScratchFolder) throws {
        let result = try exec(index, command, folder: folder, label: "setup")
        try #require(result.status == 0, "\(command.joined(separator: " ")): \(result.error)")
    }

    /// Loads an nftables ruleset (its text) into host `index`; nftables missing is a recorded failure.
    func loadRules(_ rules: String, in index: Int, folder: ScratchFolder) throws {
        let path = folder.path("rules-\(index).nft")
        try rules.write(toFile: path, atomically: true, encoding: .utf8)
        try must(index, [try ExternalTool.nft.require(), "-f", path], folder: folder)
    }

    /// The packets the named counter of table `table` (family ip) in host `index` counted.
    func counted(_ counter: String, table: String, in index: Int, folder: ScratchFolder) throws -> Int {
        let listing = try exec(
            index, [try ExternalTool.nft.require(), "list", "counter", "ip", table, counter], folder: folder,
            label: "nft-\(counter)")
        let words = listing.output.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        return try #require(
            words.firstIndex(of: "packets").flatMap { Int(words[$0 + 1]) }, "no counter in \(listing.output)")
    }

    /// Starts `command` inside host `index`.
    func start(_ index: Int, _ command: [String], folder: ScratchFolder, label: String) throws -> Subprocess {
        let (program, arguments) = inside(index, command)
        return try Subprocess(program, arguments, in: folder.url, label: label)
    }

    /// Waits until `sockets` sockets inside host `index` are bound to UDP `port` (its own /proc/net/udp and udp6).
    func waitForUDPListener(
        in index: Int, port: Int, folder: ScratchFolder, sockets: Int = 1, seconds: Double = 10
    ) -> Bool {
        let suffix = String(format: ":%04X", port)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let tables = try? exec(
                index, ["/bin/cat", "/proc/net/udp", "/proc/net/udp6"], folder: folder, label: "udp")
            let bound = (tables?.output ?? "").split(separator: "\n").count { line in
                let fields = line.split(separator: " ")
                return fields.count > 1 && fields[1].hasSuffix(suffix)
            }
            if bound >= sockets { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}

/// tshark capturing on one interface of a test host, into a file read after it stops.
final class Capture {
    let path: String
    let tshark: String
    let folder: ScratchFolder
    private let process: Subprocess

    /// `pcap`: written as libpcap's format (`-F pcap`) instead of tshark's pcapng.
    init(
        _ network: TestNetwork, host: Int, interface: String, filter: String, folder: ScratchFolder, label: String,
        pcap: Bool = false
    ) throws {
        tshark = try ExternalTool.tshark.require()
        self.folder = folder
        path = folder.path(pcap ? "\(label).pcap" : "\(label).pcapng")
        process = try network.start(
            host, [tshark, "-i", interface, "-f", filter] + (pcap ? ["-F", "pcap"] : []) + ["-w", path],
            folder: folder, label: label)
        let began = Date()
        while !process.standardError.contains("Capturing on") && Date().timeIntervalSince(began) < 20 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        try #require(process.standardError.contains("Capturing on"), "tshark did not start: \(process.standardError)")
        // dumpcap says so as it opens the interface; give it a moment to be reading.
        Thread.sleep(forTimeInterval: 0.3)
    }

    /// Stops the capture after the last packets had time to come in.
    func stop() {
        Thread.sleep(forTimeInterval: 0.3)
        process.interrupt()
    }

    /// The `fields` of every captured packet `display` selects, one array per packet; `decode` are tshark's
    /// decode-as rules (`udp.port==5004,rtp`).
    func fields(_ display: String, _ fields: [String], decode: [String] = []) throws -> [[String]] {
        let result = try Subprocess.run(
            tshark,
            ["-r", path] + decode.flatMap { ["-d", $0] } + ["-Y", display, "-T", "fields"]
                + fields.flatMap { ["-e", $0] }, in: folder.url, label: "tshark-read", timeout: 120)
        try #require(result.status == 0, "tshark -r: \(result.error)")
        return result.output.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        }
    }

    /// How many captured packets `display` selects.
    func count(_ display: String, decode: [String] = []) throws -> Int {
        try fields(display, ["frame.number"], decode: decode).count
    }
}

/// Two byte arrays equal, or the first place they differ.
func expectSame(_ received: [UInt8], _ expected: [UInt8], _ label: String) {
    #expect(received.count == expected.count, "\(label): \(received.count) bytes, expected \(expected.count)")
    if let first = zip(received, expected).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
        Issue.record("\(label): first differing byte at \(first.offset)")
    }
}

/// Waits until `path` exists (a sender writes its SDP files as it starts).
func waitForFile(_ path: String, seconds: Double = 10) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !FileManager.default.fileExists(atPath: path) && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.02)
    }
    return FileManager.default.fileExists(atPath: path)
}

/// A ptp4l configuration for a test host, on software timestamps and fast intervals, in `domain`, answering on
/// `socket`: a grandmaster of `identity` (`001dc1.fffe.0000a1`), or with nil one that only follows. Written to
/// `<name>.cfg` in the folder; returns its path.
func writePTPConfiguration(
    _ name: String, domain: Int, socket: String, grandmaster identity: String?, folder: ScratchFolder
) throws -> String {
    let common = [
        "[global]", "domainNumber \(domain)", "time_stamping software", "free_running 1", "logAnnounceInterval -2",
        "logSyncInterval -3", "announceReceiptTimeout 3", "utc_offset 37",
    ]
    let role = identity.map { ["priority1 10", "clockClass 6", "clockIdentity \($0)"] } ?? ["slaveOnly 1"]
    let path = folder.path("\(name).cfg")
    try (common + role + ["uds_address \(socket)", ""]).joined(separator: "\n")
        .write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
