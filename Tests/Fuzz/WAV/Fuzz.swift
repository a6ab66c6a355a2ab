import Interfaces
import PCM
import WAV

/// libFuzzer's entry for the WAV module: the chunk walker, the frame reader over what it found, and both writers'
/// headers read back.
///
/// Checked for any bytes: `WAVLayout(parsing:)` gives a layout or a `WAVError`; a layout lies inside the file and
/// counts whole frames; `WAVFrameReader` hands out exactly those bytes, in whole frames; the header `WAVHeader` and
/// the recorder's `WAVFileLayout` write for the parsed format and length parse back to that format and length.
/// Built and run by `.ci/fuzz`, not by SwiftPM.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWAV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let layout: WAVLayout
    do {
        layout = try WAVLayout(parsing: bytes)
    } catch {
        return 0
    }
    checkBounds(layout, fileSize: bytes.count)
    checkFrameReader(layout, bytes: bytes)
    checkHeaderRoundTrip(layout)
    checkRecorderHeaderRoundTrip(layout)
    return 0
}

/// The layout names bytes the file holds, whole frames of a format with at least one byte a frame.
private func checkBounds(_ layout: WAVLayout, fileSize: Int) {
    let bytesPerFrame = layout.format.bytesPerFrame
    precondition(bytesPerFrame > 0, "layout: a frame of no bytes")
    precondition(layout.dataOffset >= 12 && layout.dataOffset <= fileSize, "layout: data offset outside the file")
    precondition(
        layout.dataOffset + layout.heldDataByteCount <= fileSize, "layout: held data runs past the end of the file")
    precondition(layout.dataByteCount % bytesPerFrame == 0, "layout: data byte count not whole frames")
    let leftOut = layout.heldDataByteCount - layout.dataByteCount
    precondition(leftOut >= 0 && leftOut < bytesPerFrame, "layout: more than a partial frame left out")
    precondition(layout.heldDataByteCount <= layout.declaredDataByteCount, "layout: holds more than it declares")
}

/// The frame reader hands out the data chunk's whole frames, byte for byte, then nothing.
private func checkFrameReader(_ layout: WAVLayout, bytes: [UInt8]) {
    let bytesPerFrame = layout.format.bytesPerFrame
    // Packet sizes and read-ahead from the input itself, so the fuzzer steers refills and growth too.
    let framesPerCall = 1 + Int(bytes[bytes.count - 1] % 7)
    let readAhead = 1 + Int(bytes[bytes.count / 2]) * 3
    let reader = WAVFrameReader(source: MemoryByteSource(bytes), layout: layout, readAheadBytes: readAhead)
    precondition(reader.frameCount == layout.frameCount, "reader: frame count differs from the layout's")
    for pass in 0..<2 {
        var position = 0
        while true {
            let frames: UnsafeRawBufferPointer
            do {
                frames = try reader.nextFrames(framesPerCall)
            } catch {
                preconditionFailure("reader: a read from memory failed: \(error)")
            }
            if frames.isEmpty { break }
            precondition(frames.count % bytesPerFrame == 0, "reader: a partial frame handed out")
            precondition(frames.count <= framesPerCall * bytesPerFrame, "reader: more frames than asked for")
            precondition(position + frames.count <= layout.dataByteCount, "reader: past the end of the data")
            let start = layout.dataOffset + position
            precondition(
                frames.elementsEqual(bytes[start..<start + frames.count]), "reader: bytes differ from the file's")
            position += frames.count
        }
        precondition(position == layout.dataByteCount, "reader: stopped before the end of the data (pass \(pass))")
        reader.rewind()
    }
}

/// `WAVHeader` for the parsed format and length, with that many bytes after it, parses back to both.
private func checkHeaderRoundTrip(_ layout: WAVLayout) {
    let header = WAVHeader.bytes(format: layout.format, dataByteCount: layout.dataByteCount)
    let again = parseBack(header, layout, writer: "WAVHeader")
    precondition(!again.isTruncated, "WAVHeader round trip: truncated")
}

/// The recorder's header (JUNK or ds64, fmt, bext, data) for the parsed format and length parses back to both.
private func checkRecorderHeaderRoundTrip(_ layout: WAVLayout) {
    let broadcast = BroadcastExtension(
        description: "fuzz", originator: "audiostreamer", originatorReference: "", originationDate: "2026-01-01",
        originationTime: "00-00-00", timeReference: 0, codingHistory: "")
    let fileLayout = WAVFileLayout(format: layout.format, broadcast: broadcast)
    let header = fileLayout.header(dataBytes: Int64(layout.dataByteCount))
    precondition(Int64(header.count) == fileLayout.dataOffset, "WAVFileLayout: header size is not the data offset")
    _ = parseBack(header, layout, writer: "WAVFileLayout")
}

/// `header` a writer made for `layout`, with that many bytes of data after it, parsed again: the same format, the
/// data right after the header, the same length.
private func parseBack(_ header: [UInt8], _ layout: WAVLayout, writer: String) -> WAVLayout {
    let file = header + [UInt8](repeating: 0, count: layout.dataByteCount)
    let again: WAVLayout
    do {
        again = try WAVLayout(parsing: file)
    } catch {
        preconditionFailure("\(writer) round trip: \(layout.format) does not parse back: \(error)")
    }
    precondition(again.format == layout.format, "\(writer) round trip: another format")
    precondition(again.dataOffset == header.count, "\(writer) round trip: data not after the header")
    precondition(again.dataByteCount == layout.dataByteCount, "\(writer) round trip: another length")
    return again
}
