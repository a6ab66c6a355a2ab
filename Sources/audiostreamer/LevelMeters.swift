import Application

/// `record --verbose` on a terminal: a meter per track, drawn in place every half second (`Console.redraw`): the
/// RMS as a bar, the peak as a mark on it, both in dBFS as AES17 reads them, CLIP where a sample reached full
/// scale, and the packets lost since the last drawing. More tracks than the terminal has rows: a page at a time,
/// turning every 2 s.
enum LevelMeters {
    static let barCells = 30
    /// The bar's range: -60 dBFS at its left, 0 at its right.
    static let floor = -60.0

    /// The lines of one drawing of `tracks`, `elapsedSeconds` into the take, on a terminal of `rows` rows.
    static func lines(_ tracks: [RecordTrackProgress], elapsedSeconds: Double, rows: Int) -> [String] {
        TerminalPage.shown(tracks.map(meter), elapsedSeconds: elapsedSeconds, rows: rows, noun: "tracks")
    }

    /// One meter: name, bar, peak and RMS, CLIP, loss.
    static func meter(_ track: RecordTrackProgress) -> String {
        let peak = Decibels.fullScale(track.peak)
        // AES17: the RMS against full scale plus 3.01 dB, so that a full-scale sine reads 0 dBFS.
        let rms = track.meanSquare.flatMap { Decibels.fullScale(($0 * 2).squareRoot()) }
        func cell(_ level: Double?) -> Int {
            guard let level else { return 0 }
            return Int((min(0, max(floor, level)) - floor) / -floor * Double(barCells))
        }
        var bar = [Character](repeating: "-", count: barCells)
        for index in 0..<cell(rms) { bar[index] = "#" }
        let mark = cell(peak)
        if peak != nil { bar[min(barCells - 1, max(0, mark - 1))] = "|" }
        var name = Printable.text(track.name)
        if name.count > 16 { name = String(name.prefix(15)) + "~" }
        name += String(repeating: " ", count: max(0, 16 - name.count))
        func decibels(_ value: Double?) -> String {
            let text = value.map { DecimalText.fixed($0, digits: 1) } ?? "-inf"
            return String(repeating: " ", count: max(0, 6 - text.count)) + text
        }
        var line = "\(name) [\(String(bar))] peak \(decibels(peak)) rms \(decibels(rms)) dBFS"
        if track.peak >= 1 { line += " CLIP" }
        if track.lostSinceLast > 0 { line += " lost \(track.lostSinceLast)" }
        return line
    }
}
