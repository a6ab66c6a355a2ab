import Platform
import Testing

@Suite struct ConsoleBlockTests {
    @Test("a block drawn in place: back over the last one's lines, each cleared; a shorter one clears what is left")
    func blockText() {
        #expect(Console.blockText(["a", "b"], replacing: 0) == "\r\u{1B}[Ka\n\r\u{1B}[Kb\n")
        #expect(Console.blockText(["a", "b"], replacing: 2) == "\u{1B}[2A\r\u{1B}[Ka\n\r\u{1B}[Kb\n")
        #expect(Console.blockText(["a"], replacing: 3) == "\u{1B}[3A\r\u{1B}[Ka\n\r\u{1B}[K\n\r\u{1B}[K\n\u{1B}[2A")
    }
}
