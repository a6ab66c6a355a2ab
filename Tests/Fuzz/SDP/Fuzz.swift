import Planning
import SDP

/// libFuzzer's entry for session descriptions (RFC 8866): `SDPDocument(parsing:)` from bytes and from text, the
/// renderer, and the recorder's reading of the streams a description holds.
///
/// Checked for any bytes: the bytes entry gives a document or an `SDPError`, and agrees with the text entry; the
/// document's line numbers match its media sections and attributes; the description rendered parses again, and that
/// second parse rendered is the same text and parses to the same description (the renderer normalises: control
/// characters become spaces, an empty `s=` becomes `-`, numbers lose a `+`, lines go in the grammar's order; so
/// the second parse is compared with the third, not the first); `StreamDescription.streams(in:)` gives streams or a
/// `PlanError`, and each stream's own description renders and parses. Built and run by `.ci/fuzz`, not by SwiftPM.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSDP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let first: SDPDocument
    do {
        first = try SDPDocument(parsing: bytes)
    } catch {
        return 0
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
        preconditionFailure("SDP: bytes that are not UTF-8 parsed")
    }
    precondition((try? SDPDocument(parsing: text)) == first, "SDP: the bytes and text entries disagree")
    checkLines(first)

    let rendered = first.description.rendered()
    let second = parse(rendered, "the first parse rendered")
    let renderedAgain = second.description.rendered()
    let third = parse(renderedAgain, "the second parse rendered")
    precondition(second.description == third.description, "SDP round trip: the second and third parses differ")
    precondition(renderedAgain == rendered, "SDP round trip: rendering is not stable")

    checkStreams(first)
    return 0
}

/// A document the renderer wrote, which must parse.
private func parse(_ text: String, _ what: String) -> SDPDocument {
    do {
        return try SDPDocument(parsing: text)
    } catch {
        preconditionFailure("SDP round trip: \(what) does not parse: \(error)")
    }
}

/// One `m=` line number per media section, one attribute line number per attribute.
private func checkLines(_ document: SDPDocument) {
    let media = document.description.media
    precondition(document.mediaLines.count == media.count, "SDP: media line numbers and sections disagree")
    precondition(document.mediaAttributeLines.count == media.count, "SDP: attribute line lists and sections disagree")
    for (section, lines) in zip(media, document.mediaAttributeLines) {
        precondition(section.attributes.count == lines.count, "SDP: attribute line numbers and attributes disagree")
    }
}

/// The streams the recorder would receive; each one's description, alone and all together, renders and parses.
private func checkStreams(_ document: SDPDocument) {
    let streams: [StreamDescription]
    do {
        streams = try StreamDescription.streams(in: document)
    } catch {
        return
    }
    let origin = document.description.origin
    for stream in streams {
        _ = parse(stream.sessionDescription(origin: origin).rendered(), "a stream's description")
    }
    let all = StreamDescription.sessionDescription(
        for: streams, name: document.description.sessionName, origin: origin)
    _ = parse(all.rendered(), "the streams' description")
}
