// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "audiostreamer",
    products: [
        .executable(name: "audiostreamer", targets: ["audiostreamer"]),
        .executable(name: "audiostreamer-bench", targets: ["audiostreamer-bench"]),
        .library(name: "Streaming", targets: ["Streaming"]),
    ],
    targets: [
        // Wrappers for the few libc calls Swift's Glibc module hides (variadic or _GNU_SOURCE only).
        .target(name: "CPlatformShims"),
        // The only module that imports Glibc: files, sockets, clocks, threads.
        .target(name: "Platform", dependencies: ["CPlatformShims"]),
        // Wire formats: pure, no clocks, no sockets.
        // Sample formats and their lossless or rounded conversion to network-order L16/L24.
        .target(name: "PCM"),
        .target(name: "WAV", dependencies: ["PCM"]),
        .target(name: "RTP"),
        .target(name: "SDP"),
        // Frames -> packets -> schedule -> sink.
        .target(name: "Streaming", dependencies: ["PCM", "WAV", "RTP", "SDP", "Platform"]),
        .executableTarget(name: "audiostreamer", dependencies: ["Streaming"]),
        .executableTarget(name: "audiostreamer-bench", dependencies: ["Streaming"]),
        .testTarget(name: "PCMTests", dependencies: ["PCM"]),
        .testTarget(name: "WAVTests", dependencies: ["WAV"]),
        .testTarget(name: "RTPTests", dependencies: ["RTP"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP"]),
        .testTarget(name: "StreamingTests", dependencies: ["PCM", "WAV", "RTP", "Platform", "Streaming"]),
        .testTarget(name: "EndToEndTests", dependencies: ["PCM", "WAV", "RTP", "Platform", "Streaming", "audiostreamer"]),
    ],
    swiftLanguageModes: [.v6]
)
