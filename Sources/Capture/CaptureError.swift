/// Why a capture cannot be read on: each names the record (counted from 1, the file's header blocks included) where
/// reading stopped, so the user can look at it in Wireshark.
public enum CaptureError: Error, Sendable, Hashable {
    /// The first bytes are neither a pcap nor a pcapng header: the four bytes found, as a big-endian number.
    case notACapture(magic: UInt32)
    /// The input ended inside a record: how many bytes it needed and how many there were.
    case truncated(record: Int, needed: Int, available: Int)
    /// A record's length field cannot be right (a pcapng block shorter than its own header, not a multiple of four,
    /// its two length fields different, or a packet longer than any capture holds).
    case badLength(record: Int, length: Int)
    /// A pcapng packet names an interface the section did not describe.
    case unknownInterface(record: Int, interface: Int)
    /// A pcap or pcapng version this reader does not know.
    case unsupportedVersion(major: Int, minor: Int)
    /// Reading the input failed (a file or a pipe): the reason, as the platform put it.
    case readFailed(String)
}
