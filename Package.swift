// swift-tools-version: 6.0
import PackageDescription

/// The modules, lowest first. Data flows one way: WAV -> PCM frames -> RTP packets -> scheduler -> socket.
/// No target uses unsafe flags, so other packages can depend on these libraries by version.
let libraries: [(name: String, dependencies: [Target.Dependency])] = [
    // Decimal numbers exact as written, and as text.
    ("Numbers", []),
    // Protocols and plain values the engines and the platform meet on: clocks, datagram sinks and sockets, byte
    // sources, addresses. No Glibc.
    ("Interfaces", []),
    // Sample formats, L16/L24, conversions.
    ("PCM", []),
    // Wire formats: pure, no clocks, no sockets.
    ("WAV", ["PCM", "Interfaces", "Numbers"]),
    ("RTP", ["PCM", "Numbers"]),
    ("SDP", []),
    ("JSON", []),
    // PTP management messages (IEEE 1588), what ptp4l answers on its local socket.
    ("PTP", []),
    // The RTCP participant (RFC 3550 section 6) that sender and recorder share: reports built and taken in.
    ("RTCP", ["Interfaces", "RTP"]),
    // Pure planning: a take and its inputs' formats -> one plan per track.
    ("Planning", ["Interfaces", "Numbers", "PCM", "RTP", "SDP", "JSON"]),
    // Capture files (pcap, pcapng) read packet by packet down to their UDP datagrams: pure, over any bytes.
    ("Capture", ["Interfaces"]),
    // Per-stream measures of RTP audio (loss, PIT, TS-DF, the RTP timestamp against arrival, levels, RTCP), the
    // verdicts against EBU LIST's profiles, and the report page: pure, fed by a capture or live sockets.
    ("Analysis", ["Interfaces", "Numbers", "PCM", "RTP", "SDP", "Planning"]),
    // Rings between one producer thread and one consumer, without locks.
    ("Rings", []),
    // The sending engines: packetizer, scheduler, read-ahead, RTCP; clocks and sockets come in as parameters.
    ("Sender", ["Interfaces", "Numbers", "PCM", "RTP", "RTCP", "JSON", "SDP"]),
    // The receiving engines: jitter buffer, timeline, track reception, the receive loop, RTCP receiver reports.
    ("Receiver", ["Interfaces", "PCM", "RTP", "RTCP", "SDP", "Rings"]),
    // The only module that imports Glibc: files, sockets, clocks, threads, signals.
    ("Platform", ["CPlatformShims", "Interfaces", "PTP"]),
    // Each command as one library call: inputs opened, plan made, platform and engines composed.
    (
        "Application",
        [
            "Interfaces", "Numbers", "PCM", "PTP", "WAV", "RTP", "RTCP", "SDP", "JSON", "Planning", "Sender",
            "Receiver", "Capture", "Analysis",
            "Rings",
            "Platform",
        ]
    ),
    // Command-line options declared once: parsing and help, no option of its own.
    ("Arguments", []),
]

let package = Package(
    name: "audiostreamer",
    products: [
        .executable(name: "audiostreamer", targets: ["audiostreamer"]),
        .executable(name: "audiostreamer-bench", targets: ["audiostreamer-bench"]),
    ] + libraries.map { .library(name: $0.name, targets: [$0.name]) },
    targets: [
        // Wrappers for the few libc calls Swift's Glibc module hides (variadic, macros or _GNU_SOURCE only).
        .target(name: "CPlatformShims"),
        .executableTarget(name: "audiostreamer", dependencies: ["Application", "Arguments"]),
        .executableTarget(
            name: "audiostreamer-bench",
            dependencies: [
                "Application", "Arguments", "Interfaces", "JSON", "Numbers", "PCM", "Platform", "RTP", "Sender",
                "Planning",
                "WAV",
            ]),
        // Helpers shared by the test targets (a seeded generator).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "NumbersTests", dependencies: ["Numbers", "Planning"]),
        .testTarget(name: "InterfacesTests", dependencies: ["Interfaces"]),
        .testTarget(name: "PCMTests", dependencies: ["PCM"]),
        .testTarget(name: "WAVTests", dependencies: ["WAV", "Interfaces", "TestSupport"]),
        .testTarget(name: "RTPTests", dependencies: ["RTP", "PCM", "TestSupport"]),
        .testTarget(name: "SDPTests", dependencies: ["SDP"]),
        .testTarget(name: "RTCPTests", dependencies: ["RTCP", "RTP", "Interfaces"]),
        .testTarget(name: "ApplicationTests", dependencies: ["Application", "WAV", "TestSupport"]),
        .testTarget(name: "PTPTests", dependencies: ["PTP", "TestSupport"]),
        .testTarget(name: "PlatformTests", dependencies: ["Platform", "Interfaces"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Interfaces"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "Planning", "PCM", "RTP", "SDP"]),
        .testTarget(
            name: "PlanningTests",
            dependencies: ["Planning", "Interfaces", "Numbers", "PCM", "RTP", "SDP", "TestSupport"]),
        .testTarget(
            name: "SenderTests",
            dependencies: [
                "Sender", "Interfaces", "PCM", "WAV", "RTP", "RTCP", "Platform", "Application", "TestSupport",
            ]),
        .testTarget(
            name: "ReceiverTests",
            dependencies: ["Receiver", "Interfaces", "PCM", "RTP", "RTCP", "TestSupport"]),
        .testTarget(
            name: "CommandLineTests",
            dependencies: ["audiostreamer", "Application", "Planning", "Arguments", "Interfaces", "Numbers", "Sender"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Interfaces", "PCM", "WAV", "RTP", "Platform", "TestSupport"]),
    ]
        + libraries.map {
            // Double's rounding calls the C maths library; a package that links none of Glibc's users needs it named.
            .target(
                name: $0.name, dependencies: $0.dependencies,
                linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))])
        },
    swiftLanguageModes: [.v6]
)
