import Testing

/// Every end-to-end suite, run one after the other: they stream in real time and start real receivers, and on a
/// 2-core machine two of them at once would measure each other's load instead of audiostreamer.
@Suite(.serialized)
enum EndToEnd {}
