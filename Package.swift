// swift-tools-version:6.1
import PackageDescription

// One package, one job per module (docs/architecture.md):
//   SandboxCore     pure domain: records, USCC, field typing, verification. Foundation only.
//   SandboxPolicy   the sandbox policy, pure: conditions, the pack compiler, the pass, the draw.
//   SandboxFormats  streaming readers: CSV / JSON Lines, gzip, GB18030. No domain knowledge.
//   SandboxStorage  thin SQLite layer shared by the agent and (later) the regulator.
//   SandboxWire     what crosses the link, one type per message for both sides: JSON values,
//                   directives, registry entries.
//   SandboxAgent    the agent runtime: config, inbox, pipeline, state, outbox, commands.
//   SandboxGenerate test data: realistic exports and a whole city, for `generate`, benchmarks, the demo.
/// Release builds of the modules a first policy pass and an ingest run through check exclusive
/// access statically only: the dynamic checks (`swift_beginAccess` on every access to a class's
/// stored property) were 2–3 % of the renderer's and the writer's instructions (issue 16, session
/// 40). Debug builds, which the tests run, keep them.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "credit-sandbox",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sandbox-agent", targets: ["sandbox-agent"]),
        .executable(name: "sandbox-regulator", targets: ["sandbox-regulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // Without its default ConfigurationSupport trait: we read our own TOML, and swift-configuration
        // would be built on every CI run for nothing (docs/architecture.md, "Build time").
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: ["FullFoundation"]),
        // Already built for Hummingbird; named here because the agent's parts run as its services.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        // The regulator's store for scale (issue 15): PostgreSQL's wire protocol, no ORM on top.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        // Already built for Hummingbird and PostgresNIO; named for the store's thread pool and locks.
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
    ],
    targets: [
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // Zstandard for what the agent stores compressed (policy items, audit and queue chunks):
        // libzstd1 is in every Debian base system (apt and systemd use it); -dev adds the header.
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        // Linux system calls Swift's Glibc module leaves out (sync_file_range): a header, no library.
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),

        .target(name: "SandboxCore", swiftSettings: hotPath),
        // The sandbox policy (docs/policy.md), pure like the core it reads: the condition language,
        // the rule pack compiler, the pass and the inspection draw.
        .target(name: "SandboxPolicy", dependencies: ["SandboxCore"], swiftSettings: hotPath),
        .target(name: "SandboxFormats", dependencies: ["CZlib", "SandboxCore"], swiftSettings: hotPath),
        .target(name: "SandboxStorage", dependencies: ["CSQLite", "CLinux"], swiftSettings: hotPath),
        // The link's contract: the regulator encodes and the agent decodes the same types.
        .target(name: "SandboxWire", dependencies: ["SandboxCore"]),
        // Running as a service, for both binaries: systemd's notify protocol, blocking parts as
        // swift-service-lifecycle services on threads of their own, the signals the group handles.
        .target(name: "SandboxService", dependencies: [
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        // The rule pack at the edges: TOML text → the core's pack document, Ed25519 signatures.
        // Shared by the agent and the regulator so both refuse a pack for the same reasons.
        .target(name: "SandboxPack", dependencies: [
            "SandboxCore", "SandboxPolicy",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .target(name: "SandboxAgent", dependencies: [
            "SandboxCore", "SandboxPolicy", "SandboxFormats", "SandboxStorage", "SandboxPack", "SandboxService", "SandboxWire",
            "CCurl", "CZstd", "CLinux",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ], swiftSettings: hotPath),
        // Test data for `sandbox-agent generate`, the benchmarks, the demo and the city simulation:
        // above the agent (it draws the agent's progress line), used by the command only, so the
        // running service cannot reach it.
        .target(name: "SandboxGenerate", dependencies: ["SandboxCore", "SandboxFormats", "SandboxAgent"]),
        .executableTarget(name: "sandbox-agent", dependencies: [
            "SandboxAgent", "SandboxGenerate", "SandboxService",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "SandboxRegulator", dependencies: [
            "SandboxCore", "SandboxPolicy", "SandboxFormats", "SandboxStorage", "SandboxPack", "SandboxService",
            "SandboxWire",
            // zlib's crc32 for the console's XLSX files (a ZIP of XML); already linked for gzip.
            "CZlib",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Crypto", package: "swift-crypto"),
            // scrypt for staff passwords (PasswordHash); part of swift-crypto, already fetched.
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ]),
        .executableTarget(name: "sandbox-regulator", dependencies: [
            "SandboxRegulator", "SandboxPack", "SandboxService",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Helpers the suites shared by copying: temporary folders, valid USCCs, reading gzipped JSON
        // Lines back, running a command to completion, a free loopback port, a test PKI, the fuzz
        // corpus.
        .target(name: "TestSupport", dependencies: ["SandboxCore", "SandboxFormats", "CLinux"], path: "Tests/TestSupport"),
        .testTarget(name: "SandboxCoreTests", dependencies: ["SandboxCore", "TestSupport"]),
        .testTarget(name: "SandboxFormatsTests", dependencies: ["SandboxFormats", "CZlib", "TestSupport"]),
        .testTarget(name: "SandboxStorageTests", dependencies: ["SandboxStorage", "TestSupport"]),
        .testTarget(name: "SandboxServiceTests", dependencies: [
            "SandboxService",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .testTarget(name: "SandboxPolicyTests", dependencies: ["SandboxPolicy", "SandboxPack", "TestSupport"]),
        .testTarget(name: "SandboxWireTests", dependencies: ["SandboxWire", "SandboxCore"]),
        .testTarget(name: "SandboxPackTests", dependencies: ["SandboxPack", "TestSupport"]),
        .testTarget(name: "SandboxAgentTests", dependencies: ["SandboxAgent", "SandboxGenerate", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SandboxGenerateTests", dependencies: ["SandboxGenerate", "SandboxAgent", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["SandboxCore", "SandboxAgent", "SandboxService", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "SandboxRegulatorTests", dependencies: [
            "SandboxRegulator", "SandboxPack", "SandboxWire", "TestSupport",
            // Requests go to the router in process through a small client of our own
            // (RouterTesting/): HummingbirdTesting would build AsyncHTTPClient and HTTP/2 on every CI run.
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
    ]
)
