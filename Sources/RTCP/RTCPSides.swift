import Interfaces
import RTP

/// What a participant reports as a sender (RFC 3550 section 6.4.1): its stream's sender report at an instant.
public protocol RTCPSending {
    /// The sender report of `ssrc` for the instant `now`, for a stream whose first frame was due at `start`; nil
    /// for a participant that sends no media.
    func senderReport(ssrc: UInt32, at now: ClockPair, start: ClockPair) -> RTCPSenderReport?
}

/// What a participant reports as a receiver (section 6.4.2): a report block about each source it hears.
public protocol RTCPReceiving {
    /// The report blocks about the sources heard, at `now` (wall clock, Unix nanoseconds).
    func reportBlocks(now: Int64) -> [RTCPReportBlock]
}

/// The side of a participant that receives no media: its reports carry no block.
public struct NotReceiving: RTCPReceiving, Sendable {
    public init() {}
    public func reportBlocks(now: Int64) -> [RTCPReportBlock] { [] }
}

/// The side of a participant that sends no media: its reports are receiver reports.
public struct NotSending: RTCPSending, Sendable {
    public init() {}
    public func senderReport(ssrc: UInt32, at now: ClockPair, start: ClockPair) -> RTCPSenderReport? { nil }
}
