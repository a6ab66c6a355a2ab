/// What a block redrawn in place shows when it has more lines than the terminal has rows: a page at a time, turning
/// every 2 s, under a line naming the page ("tracks 23-44 of 128").
enum TerminalPage {
    /// The lines of `lines` shown `elapsedSeconds` in, on a terminal of `rows` rows; `noun` names what a line is.
    static func shown(_ lines: [String], elapsedSeconds: Double, rows: Int, noun: String) -> [String] {
        let perPage = max(1, rows - 2)
        let pages = (lines.count + perPage - 1) / perPage
        guard pages > 1 else { return lines }
        let page = Int(max(0, elapsedSeconds) / 2) % pages
        let range = (page * perPage)..<min(lines.count, (page + 1) * perPage)
        return ["\(noun) \(range.lowerBound + 1)-\(range.upperBound) of \(lines.count)"] + lines[range]
    }
}
