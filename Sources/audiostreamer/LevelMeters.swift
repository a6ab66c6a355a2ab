import Application
import Synchronization

/// `record --verbose` on a terminal: a meter per track, redrawn in place every half second: the RMS as a bar, the
/// peak as a mark on it, both in dBFS as AES17 reads them, CLIP where a sample reached full scale, and the packets
/// lost since the last redraw. More tracks than the terminal has rows: a page at a time, turning every 2 s.
final class LevelMeters: Sendable {
    private struct State {
        /// Lines the last drawing left on the screen, to go back over; 0 when something else was printed since.
        var drawn = 0
        var redraws = 0
        var lost: [String: Int] = [:]
    }

    private let state = Mutex(State())
    static let barCells = 30
    /// The bar's range: -60 dBFS at its left, 0 at its right.
    static let floor = -60.0

    /// Something else was printed below the meters: the next drawing starts under it.
    func interrupted() {
        state.withLock { $0.drawn = 0 }
    }

    /// The meters of `tracks`, going back over the last drawing; `rows` is the terminal's height.
    func draw(_ tracks: [RecordTrackProgress], rows: Int) -> String {
        state.withLock { state in
            let perPage = max(1, rows - 2)
            let pages = (tracks.count + perPage - 1) / perPage
            let page = pages > 1 ? (state.redraws / 4) % pages : 0
            state.redraws += 1
            let shown = tracks[(page * perPage)..<min(tracks.count, (page + 1) * perPage)]
            var lines: [String] = []
            if pages > 1 {
                lines.append("tracks \(page * perPage + 1)-\(page * perPage + shown.count) of \(tracks.count)")
            }
            for track in shown {
                let lost = track.lost - (state.lost[track.name] ?? track.lost)
                state.lost[track.name] = track.lost
                lines.append(Self.meter(track, lostSince: max(0, lost)))
            }
            var out = state.drawn > 0 ? "\u{1B}[\(state.drawn)A" : ""
            out += lines.map { "\r\u{1B}[K" + $0 + "\n" }.joined()
            // A shorter page than the last: the lines below it cleared.
            if state.drawn > lines.count {
                out += String(repeating: "\r\u{1B}[K\n", count: state.drawn - lines.count)
                out += "\u{1B}[\(state.drawn - lines.count)A"
            }
            state.drawn = lines.count
            return out
        }
    }

    /// One meter: name, bar, peak and RMS, CLIP, loss.
    static func meter(_ track: RecordTrackProgress, lostSince: Int) -> String {
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
        if lostSince > 0 { line += " lost \(lostSince)" }
        return line
    }
}
