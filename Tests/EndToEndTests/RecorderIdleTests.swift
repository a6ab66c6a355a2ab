import Foundation
import Testing

extension EndToEnd {
    /// A recorder nobody sends to ends by itself and leaves nothing behind.
    @Suite(.serialized)
    struct RecorderIdleTests {
        @Test("record --idle 2 with nobody sending: ends within seconds, exit 69 naming the port, nothing left")
        func nobodySends() throws {
            let folder = try ScratchFolder("record-idle")
            let program = BuiltProduct.audiostreamer
            let began = Date()
            let result = try Subprocess.run(
                program,
                ["record", "--port", "47300", "--idle", "2", "-o", folder.path("new/take")], in: folder.url,
                label: "recorder", timeout: 20)
            let seconds = Date().timeIntervalSince(began)
            #expect(result.status == 69, "exit \(result.status): \(result.error)")
            #expect(seconds >= 2 && seconds < 10, "ended after \(seconds) s")
            let lines = result.error.split(separator: "\n").filter { $0.hasPrefix("audiostreamer: ") }
            #expect(lines == ["audiostreamer: nothing was received on port 47300; no file is left"], "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: folder.path("new")), "the folders it made are left")
        }
    }
}
