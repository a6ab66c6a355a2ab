import Foundation
import PCM
import Planning
import SDP
import Testing

@testable import Analysis

@Suite struct ReportPageTests {
    @Test("many channels are drawn as a heat map of at most 240 columns, however many windows there are")
    func heatMapBounded() {
        var levels = ChannelLevels(channelCount: 16, encoding: .l16, windowFrames: 1)
        let frame = [UInt8](repeating: 0x10, count: 32)
        for _ in 0..<3000 { frame.withUnsafeBytes { levels.take(payload: $0) } }
        levels.finish()
        #expect(levels.windowCount > 240)
        let drawn = ReportPage.levels(levels, sampleRate: 48_000)
        let cells = drawn.components(separatedBy: "<rect").count - 1
        // The frame, and a cell per channel per column: 1500 windows in groups of 7, 215 columns.
        #expect(levels.windowCount == 1500)
        #expect(cells == 1 + 16 * 215, "\(cells) rectangles")
    }

    @Test("the page escapes what the network named a stream, and holds a chart per measure")
    func escapesNames() {
        let description = StreamDescription(
            name: "<script>x</script>", destination: ConnectionAddress(family: .ipv4, address: "127.0.0.1"),
            port: 5004, payloadType: 96, encoding: .l24, sampleRate: 48_000, channelCount: 2, framesPerPacket: 48,
            rtcpPort: 5005)
        let analyzer = StreamAnalyzer(description)
        analyzer.finish()
        let page = ReportPage.render(
            title: "t", subtitle: "s", profile: .wide,
            streams: [
                ReportPage.Stream(
                    name: description.name, analyzer: analyzer,
                    verdict: StreamVerdict.judge(analyzer, profile: .wide))
            ])
        #expect(!page.contains("<script>") && page.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(page.components(separatedBy: "<svg").count - 1 == 5)
    }
}
