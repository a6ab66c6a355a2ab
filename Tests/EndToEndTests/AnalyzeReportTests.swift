import Foundation
import Testing

extension EndToEnd {
    /// The report page of `analyze --report`, opened by a browser: Debian's headless Chromium screenshots it, ffmpeg
    /// turns the screenshot into pixels, and the pixels show the plots drawn.
    @Suite(.serialized)
    struct AnalyzeReportTests {
        static let width = 1100
        static let height = 2400

        /// The demo sent to loopback `port` for `seconds`, its first packet 1 s after its SDP is written in
        /// `folder`/sdp.
        static func demo(port: Int, seconds: Int, folder: ScratchFolder) throws -> Subprocess {
            let sender = try Subprocess(
                BuiltProduct.audiostreamer,
                [
                    "demo", "--ip", "127.0.0.1", "--port", String(port), "--duration", String(seconds), "--start-at",
                    "+1", "--no-realtime", "--sdp-dir", folder.path("sdp"),
                ], in: folder.url, label: "sender")
            #expect(waitForFile(folder.path("sdp/demo.sdp")), "\(sender.standardError)")
            return sender
        }

        @Test(
            "the report opens in headless Chromium with its plots drawn, and references nothing outside itself",
            ExternalTool.chromium.trait, ExternalTool.ffmpeg.trait)
        func drawnInChromium() throws {
            let chromium = try ExternalTool.chromium.require()
            let ffmpeg = try ExternalTool.ffmpeg.require()
            let folder = try ScratchFolder("analyze-report")
            let sender = try Self.demo(port: 31_520, seconds: 3, folder: folder)
            let analyze = try Subprocess.run(
                BuiltProduct.audiostreamer,
                ["analyze", "--duration", "4.5", "--report", folder.path("report.html"), folder.path("sdp/demo.sdp")],
                in: folder.url, label: "analyze", timeout: 30)
            #expect(analyze.status == 0 || analyze.status == 1, "\(analyze.error)")
            #expect(sender.wait(seconds: 20) == 0, "\(sender.standardError)")
            let page = try String(contentsOfFile: folder.path("report.html"), encoding: .utf8)

            // Self-contained: no address, script, style sheet, font or image of any kind from elsewhere.
            for outside in ["http:", "https:", "//", "src=", "url(", "<script", "<link", "@import", "<img", "<iframe"] {
                #expect(!page.contains(outside), "the page holds \(outside)")
            }
            let links = page.components(separatedBy: "href=\"").dropFirst().map { $0.prefix(1) }
            #expect(links.allSatisfy { $0 == "#" }, "a link leads out of the page")
            #expect(page.components(separatedBy: "<svg").count - 1 == 5, "five charts for one stream")

            let screenshot = folder.path("report.png")
            let shot = try Subprocess.run(
                chromium,
                [
                    "--no-sandbox", "--headless", "--disable-gpu", "--hide-scrollbars",
                    "--window-size=\(Self.width),\(Self.height)", "--screenshot=\(screenshot)",
                    "file://" + folder.path("report.html"),
                ], in: folder.url, label: "chromium", timeout: 60)
            #expect(shot.status == 0, "\(shot.error)")
            let raw = folder.path("report.rgb")
            let convert = try Subprocess.run(
                ffmpeg,
                ["-hide_banner", "-loglevel", "error", "-i", screenshot, "-f", "rawvideo", "-pix_fmt", "rgb24", raw],
                in: folder.url, label: "ffmpeg", timeout: 60)
            #expect(convert.status == 0, "\(convert.error)")
            let pixels = [UInt8](try Data(contentsOf: URL(fileURLWithPath: raw)))
            try #require(pixels.count == Self.width * Self.height * 3, "a \(pixels.count)-byte screenshot")

            // Not a blank page; and the charts' own colours there in quantity: the blue of the PIT histogram and
            // the level lines, the orange of the TS-DF bars, the green of the narrow badge and rule.
            func count(_ red: Int, _ green: Int, _ blue: Int) -> Int {
                stride(from: 0, to: pixels.count, by: 3).filter {
                    abs(Int(pixels[$0]) - red) < 24 && abs(Int(pixels[$0 + 1]) - green) < 24
                        && abs(Int(pixels[$0 + 2]) - blue) < 24
                }.count
            }
            let inked = stride(from: 0, to: pixels.count, by: 3).filter {
                pixels[$0] < 200 || pixels[$0 + 1] < 200 || pixels[$0 + 2] < 200
            }.count
            #expect(inked > Self.width * Self.height / 50, "\(inked) pixels drawn: a blank page")
            let blue = count(0x1F, 0x6F, 0xB4)
            let orange = count(0xD9, 0x71, 0x1C)
            #expect(blue > 2000, "\(blue) pixels of the histogram's blue")
            #expect(orange > 1000, "\(orange) pixels of the TS-DF bars' orange")
        }

        @Test(
            "record --report: the take's page gives each track's placement and recording beside its arrival's analysis")
        func recordReport() throws {
            let folder = try ScratchFolder("record-report")
            let sender = try Self.demo(port: 31_540, seconds: 2, folder: folder)
            let record = try Subprocess.run(
                BuiltProduct.audiostreamer,
                [
                    "record", "-o", folder.path("take"), "--idle", "2", "--report", folder.path("take.html"),
                    folder.path("sdp/demo.sdp"),
                ], in: folder.url, label: "record", timeout: 30)
            #expect(record.status == 0, "\(record.error)")
            #expect(sender.wait(seconds: 20) == 0, "\(sender.standardError)")
            let page = try String(contentsOfFile: folder.path("take.html"), encoding: .utf8)
            for fact in [
                "<th>placed by</th><td style=\"text-align:left\">sender reports</td>",
                "<th>written</th><td style=\"text-align:left\">96000 frames (2.000 s), 0 of them lost",
                "<th>packets</th><td style=\"text-align:left\">2000 (0 lost",
                "<th>offset</th><td style=\"text-align:left\">0 frames",
            ] {
                #expect(page.contains(fact), "the page lacks \(fact)")
            }
            #expect(page.components(separatedBy: "<svg").count - 1 == 5, "five charts for one track")
        }
    }
}
