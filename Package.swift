// swift-tools-version:6.0
import PackageDescription

/// OrderBot: a conversational ordering gateway. No Swift package dependencies: Foundation and the
/// system C libraries libwebsockets, SQLite and libcrypto, each behind a `systemLibrary` target.
let package = Package(
    name: "OrderBot",
    products: [
        .executable(name: "orderbot", targets: ["orderbot"]),
    ],
    targets: [
        // C libraries: only the module named beside each one imports it.
        .systemLibrary(
            name: "CLibWebSockets", pkgConfig: "libwebsockets",
            providers: [.apt(["libwebsockets-dev"])]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),

        // Infrastructure.
        .target(name: "Telemetry"),
        .target(name: "Cryptography", dependencies: ["CCrypto"]),
        .target(name: "Storage", dependencies: ["CSQLite"]),
        .target(name: "WebServer", dependencies: ["CLibWebSockets", "Telemetry"]),

        // Domain values shared by the understanding, the commerce domain and the dialogue.
        .target(name: "ShopValues"),

        // Understanding: the training data of Intents/ is compiled in by the EmbedIntents plugin.
        .executableTarget(name: "FilesEmbedder"),
        .plugin(
            name: "EmbedIntents", capability: .buildTool(), dependencies: ["FilesEmbedder"],
            path: "Sources/EmbedIntentsPlugin"),
        .target(
            name: "NLU",
            // Optimised in debug builds too: training and cross-validation in the test suite
            // would otherwise take minutes instead of seconds.
            dependencies: ["ShopValues"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))],
            plugins: ["EmbedIntents"]),

        // The system of record: customers, catalog, orders, conversations, escalations, shop facts.
        .target(
            name: "Commerce", dependencies: ["Storage", "ShopValues", "Cryptography"],
            resources: [.embedInCode("Resources/demo-catalog.csv"), .embedInCode("Resources/shop-facts.json")]),

        // The gateway wires the layers together; the CLI parses commands and runs them.
        .target(name: "Dialogue", dependencies: ["NLU", "Commerce", "ShopValues"]),
        // The web pages (chat, agent console) in Site/ are compiled in by the EmbedSite plugin.
        .plugin(
            name: "EmbedSite", capability: .buildTool(), dependencies: ["FilesEmbedder"], path: "Sources/EmbedSitePlugin"),
        .target(
            name: "Gateway", dependencies: ["Commerce", "Dialogue", "NLU", "ShopValues", "WebServer", "Storage", "Telemetry", "Cryptography"],
            exclude: ["Site"],
            resources: [.embedInCode("Resources/openapi.json")],
            plugins: ["EmbedSite"]),
        .target(name: "OrderBotCLI", dependencies: ["Gateway", "Commerce", "Dialogue", "NLU", "Storage", "Telemetry"]),
        .executableTarget(name: "orderbot", dependencies: ["OrderBotCLI"]),

        // Benchmarks (built with everything, run by hand: see Benchmarks/README.md).
        .executableTarget(name: "nlu-benchmark", dependencies: ["NLU"], path: "Benchmarks/NLUBenchmark"),
        .executableTarget(
            name: "engine-benchmark", dependencies: ["Gateway", "Commerce", "NLU", "Storage", "Dialogue"],
            path: "Benchmarks/EngineBenchmark"),

        // Tests.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"]),
        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"]),
        .testTarget(name: "NLUTests", dependencies: ["NLU", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "WebServerTests", dependencies: ["WebServer", "Telemetry", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ShopValuesTests", dependencies: ["ShopValues"]),
        .testTarget(name: "DialogueTests", dependencies: ["Dialogue", "NLU", "Commerce", "ShopValues", "Storage", "TestSupport"]),
        .testTarget(name: "CommerceTests", dependencies: ["Commerce", "ShopValues", "Storage", "Cryptography", "TestSupport"]),
        .testTarget(
            name: "GatewayTests",
            dependencies: ["Gateway", "Commerce", "Dialogue", "NLU", "ShopValues", "OrderBotCLI", "Storage", "Telemetry", "TestSupport", "orderbot"],
            resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
