// swift-tools-version: 6.1
import PackageDescription

/// Upcoming features every target builds with, so that imports and existentials read the same everywhere.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "crm",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "crm", targets: ["crm"]),
        .library(name: "QRCode", targets: ["QRCode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
    ],
    targets: [
        // QR encoder (ISO/IEC 18004) and its renderers. No dependency.
        .target(name: "QRCode", swiftSettings: swiftSettings),

        // Domain, ports and use cases. Knows nothing of SQL, terminals or HTTP.
        .target(
            name: "CRMCore",
            dependencies: [
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Reading files that people bring (a campaign's recipients CSV) into CRMCore's import rules.
        .target(
            name: "CRMImport",
            dependencies: ["CRMCore", .product(name: "CSV", package: "CSV.swift")],
            swiftSettings: swiftSettings
        ),

        // Provider adapters: webhook parsers (and, later, the HTTP clients).
        .target(
            name: "CRMProviders",
            dependencies: [
                "CRMCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // The one Store adapter, over SQLKit, for SQLite and PostgreSQL; migrations embedded from db/.
        .target(
            name: "CRMStore",
            dependencies: [
                "CRMCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["EmbedMigrations"]
        ),

        // A provider simulator (Evolution API subset) for tests and `crm demo`. It writes the providers'
        // wire format itself, never through CRMProviders, so that a parser's mistake is not mirrored.
        .target(
            name: "CRMSimulator",
            dependencies: [
                "QRCode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),

        // GNU readline for `crm console` (line editing, history, completion): a system library.
        .systemLibrary(name: "CReadline", path: "Sources/CReadline", providers: [.apt(["libreadline-dev"]), .brew(["readline"])]),

        // The webhook listener (and, later, the HTTP API): Hummingbird over CRMCore's use cases.
        .target(
            name: "CRMServer",
            dependencies: [
                "CRMCore", "CRMProviders", "QRCode",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The executable: commands and terminal output.
        .executableTarget(
            name: "crm",
            dependencies: [
                "CRMCore", "CRMStore", "CRMProviders", "CRMServer", "CRMSimulator", "CRMImport", "QRCode", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),

        // Build-time: turns db/{sqlite,postgres}/*.sql into Swift source, so the schema ships inside the binary.
        .executableTarget(name: "EmbedMigrationsTool", path: "Plugins/EmbedMigrationsTool"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["EmbedMigrationsTool"]),

        // Benchmarks (run by scripts/, never by the test suite).
        .executableTarget(name: "QRBenchmark", dependencies: ["QRCode"], path: "Benchmarks/QRBenchmark"),
        .executableTarget(
            name: "CSVImportBenchmark", dependencies: ["CRMImport", "CRMCore", .product(name: "CSV", package: "CSV.swift")], path: "Benchmarks/CSVImportBenchmark",
            swiftSettings: swiftSettings
        ),

        // Helpers shared by the test targets: fresh SQLite files and PostgreSQL databases, running the binary.
        .target(
            name: "CRMTestSupport",
            dependencies: ["CRMStore", "CRMCore", .product(name: "SQLKit", package: "sql-kit")],
            path: "Tests/CRMTestSupport",
            swiftSettings: swiftSettings
        ),

        .testTarget(name: "QRCodeTests", dependencies: ["QRCode", "CRMTestSupport"]),
        .testTarget(name: "CRMCoreTests", dependencies: ["CRMCore", .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        .testTarget(name: "CRMImportTests", dependencies: ["CRMImport", "CRMCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CRMServerTests",
            dependencies: [
                "CRMServer", "CRMCore", "CRMProviders", "CRMStore", "CRMTestSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CRMProvidersTests",
            dependencies: [
                "CRMProviders", "CRMCore", "CRMSimulator", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CRMSimulatorTests",
            dependencies: [
                "CRMSimulator", "CRMProviders", "CRMCore", "CRMTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CRMStoreTests",
            dependencies: [
                "CRMStore", "CRMCore", "CRMTestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // End-to-end: runs the built `crm` binary as a user would.
        .testTarget(
            name: "CLITests",
            dependencies: [
                "crm", "CRMTestSupport", "CRMStore", "CRMCore", "CRMProviders", "CRMSimulator", "QRCode",
                .product(name: "SQLKit", package: "sql-kit"), .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
