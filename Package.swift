// swift-tools-version: 6.0
import PackageDescription

/// The packet path is real-time even in a debug build: `swift test` runs end-to-end tests against the debug
/// executable, and unoptimised sample conversion and pacing would measure the optimiser's absence, not the design.
let realTime: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "audiostreamer",
    products: [
        .executable(name: "audiostreamer", targets: ["audiostreamer"]),
        .executable(name: "audiostreamer-bench", targets: ["audiostreamer-bench"]),
        .library(name: "Streaming", targets: ["Streaming"]),
    ],
    targets: [
        // Wrappers for the few libc calls Swift's Glibc module hides (variadic, macros or _GNU_SOURCE only).
        .target(name: "CPlatformShims"),
        // The only module that imports Glibc: files, sockets, clocks, threads.
        .target(name: "Platform", dependencies: ["CPlatformShims"], swiftSettings: realTime),
        // Sample formats and their lossless or rounded conversion to network-order L16/L24.
        .target(name: "PCM", swiftSettings: realTime),
        // Wire formats: pure, no clocks, no sockets.
        .target(name: "WAV", dependencies: ["PCM"], swiftSettings: realTime),
        .target(name: "RTP", swiftSettings: realTime),
        .target(name: "SDP"),
        // Frames -> packets -> schedule -> sink.
        .target(name: "Streaming", dependencies: ["PCM", "WAV", "RTP", "SDP", "Platform"], swiftSettings: realTime),
        .executableTarget(name: "audiostreamer", dependencies: ["Streaming", "RTP", "Platform", "WAV"]),
        .executableTarget(name: "audiostreamer-bench", dependencies: ["Streaming"]),
        // Helpers shared by the test targets (a seeded generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "PCMTests", dependencies: ["PCM"]),
        .testTarget(name: "WAVTests", dependencies: ["WAV"]),
        .testTarget(name: "RTPTests", dependencies: ["RTP", "TestSupport"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP"]),
        .testTarget(
            name: "StreamingTests", dependencies: ["PCM", "WAV", "RTP", "Platform", "Streaming", "TestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["PCM", "WAV", "RTP", "Platform", "Streaming", "TestSupport", "audiostreamer"]),
    ],
    swiftLanguageModes: [.v6]
)
