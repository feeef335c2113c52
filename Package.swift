// swift-tools-version:6.0
import PackageDescription

/// OrderBot: a conversational ordering gateway. No Swift package dependencies: Foundation and the
/// system C libraries libwebsockets, SQLite and libcrypto, each behind a `systemLibrary` target.
///
/// The targets read from the bottom up: infrastructure, the shop's values and understanding, the
/// system of record, the dialogue, the engine that runs turns, the channels and the handoff that
/// carry them, and the gateway that wires everything (docs/ARCHITECTURE.md).
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
        // Token buckets by client address, customer or session: what a stranger may do how often.
        .target(name: "RateLimits", dependencies: ["Telemetry"]),
        .target(name: "WebServer", dependencies: ["CLibWebSockets", "Telemetry", "RateLimits"]),
        // Long-running services, their group, wake-ups and backoff.
        .target(name: "Lifecycle", dependencies: ["Telemetry"]),
        // The gateway's wire formats: JSON written by hand, WebSocket request frames, bearer tokens.
        .target(name: "Wire", dependencies: ["WebServer", "Cryptography", "RateLimits"]),

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

        // The system of record: customers, catalog, orders, conversations, escalations, shop facts,
        // and the messaging tables (inbox, outbox, agents, labels, notifications).
        .target(
            name: "Commerce", dependencies: ["Storage", "ShopValues", "Cryptography"],
            resources: [.embedInCode("Resources/demo-catalog.csv"), .embedInCode("Resources/shop-facts.json")]),

        // What the bot says and does next.
        .target(name: "Dialogue", dependencies: ["NLU", "Commerce", "ShopValues"]),

        // The engine: a message of any channel through understanding, one dialogue step and one
        // group commit; and the seam every channel implements.
        .target(
            name: "Engine",
            dependencies: [
                "Commerce", "Dialogue", "NLU", "ShopValues", "Storage", "Telemetry", "Wire", "WebServer", "Lifecycle", "RateLimits",
            ]),

        // The channels.
        .target(
            name: "Messenger",
            dependencies: [
                "Engine", "Commerce", "Dialogue", "Storage", "Telemetry", "WebServer", "Cryptography", "Wire", "Lifecycle", "RateLimits",
            ]),
        .target(
            name: "Voice",
            dependencies: [
                "Engine", "Commerce", "Dialogue", "NLU", "ShopValues", "Storage", "Telemetry", "WebServer", "Cryptography", "Wire",
                "RateLimits",
            ]),
        .target(
            name: "WebChat",
            dependencies: [
                "Engine", "Commerce", "NLU", "Storage", "Telemetry", "WebServer", "Cryptography", "Wire", "Lifecycle", "RateLimits",
            ]),

        // The read API (customers, orders, conversations) and its OpenAPI description.
        .target(
            name: "ReadAPI", dependencies: ["Commerce", "ShopValues", "Storage", "WebServer", "Wire"],
            resources: [.embedInCode("Resources/openapi.json")]),
        // Agents, the queue and the hand-over between the bot and people.
        .target(
            name: "Handoff",
            dependencies: [
                "Engine", "ReadAPI", "Commerce", "Dialogue", "NLU", "Storage", "Telemetry", "WebServer", "Wire", "Lifecycle",
                "RateLimits",
            ]),
        // Signed JSON POSTs to the shop's own systems (its notifier, its ERP).
        .target(name: "SignedPost", dependencies: ["Cryptography"]),
        // Order events out to the shop's ERP (the order webhook).
        .target(
            name: "OrderWebhook",
            dependencies: ["Commerce", "ReadAPI", "SignedPost", "Lifecycle", "Storage", "Telemetry"]),
        // The shop owner's view: what the bot did, and its misses turned into training.
        .target(
            name: "Analytics",
            dependencies: ["Commerce", "NLU", "ReadAPI", "Storage", "Telemetry", "WebServer", "Wire"]),
        // The shop's payment provider: its signed callbacks in, and unpaid orders reminded and released.
        .target(
            name: "Payments",
            dependencies: ["Commerce", "Cryptography", "Lifecycle", "RateLimits", "ShopValues", "Storage", "Telemetry", "WebServer", "Wire"]),
        // One-time codes and other notifications out to the shop's notifier.
        .target(name: "Notifier", dependencies: ["Commerce", "Storage", "Telemetry", "Lifecycle", "SignedPost"]),
        // The web pages (chat, agent console) in Site/ are compiled in by the EmbedSite plugin.
        .plugin(
            name: "EmbedSite", capability: .buildTool(), dependencies: ["FilesEmbedder"], path: "Sources/EmbedSitePlugin"),
        .target(name: "WebSite", dependencies: ["WebServer"], exclude: ["Site"], plugins: ["EmbedSite"]),
        // The golden-conversation runner behind `orderbot replay` (Transcripts/).
        .target(name: "Replay", dependencies: ["Engine", "Voice", "Messenger", "WebChat", "Commerce", "Dialogue", "NLU", "ShopValues", "Storage"]),

        // The composition root: builds the parts, wires them and runs them as one group.
        .target(
            name: "Gateway",
            dependencies: [
                "Engine", "Messenger", "Voice", "WebChat", "Handoff", "ReadAPI", "Notifier", "OrderWebhook", "Payments", "Analytics",
                "WebSite", "Lifecycle", "Commerce", "Dialogue", "NLU", "Storage", "Telemetry", "WebServer", "RateLimits", "Wire",
            ]),
        // The CLI parses commands and runs them.
        .target(
            name: "OrderBotCLI",
            dependencies: [
                "Gateway", "Engine", "Replay", "Messenger", "Voice", "WebSite", "Notifier", "OrderWebhook", "Payments", "Analytics", "Wire", "Commerce",
                "Dialogue",
                "NLU", "Storage", "Telemetry", "WebServer", "RateLimits",
            ]),
        .executableTarget(name: "orderbot", dependencies: ["OrderBotCLI"]),

        // Benchmarks (built with everything, run by hand: see Benchmarks/README.md).
        .executableTarget(name: "nlu-benchmark", dependencies: ["NLU"], path: "Benchmarks/NLUBenchmark"),
        .executableTarget(
            name: "engine-benchmark", dependencies: ["Engine", "Messenger", "Commerce", "NLU", "Storage", "Dialogue"],
            path: "Benchmarks/EngineBenchmark"),

        // Tests.
        .target(name: "TestSupport", dependencies: ["Lifecycle", "Storage"], path: "Tests/TestSupport"),
        .testTarget(name: "TelemetryTests", dependencies: ["Telemetry"]),
        .testTarget(name: "LifecycleTests", dependencies: ["Lifecycle", "Telemetry"]),
        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography"], resources: [.copy("Fixtures")]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "TestSupport"]),
        .testTarget(name: "NLUTests", dependencies: ["NLU", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "WebServerTests", dependencies: ["WebServer", "Telemetry", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ShopValuesTests", dependencies: ["ShopValues"]),
        .testTarget(name: "RateLimitsTests", dependencies: ["RateLimits", "Telemetry"]),
        .testTarget(name: "DialogueTests", dependencies: ["Dialogue", "NLU", "Commerce", "ShopValues", "Storage", "TestSupport"]),
        .testTarget(name: "CommerceTests", dependencies: ["Commerce", "ShopValues", "Storage", "Cryptography", "TestSupport"]),
        .testTarget(
            name: "GatewayTests",
            dependencies: [
                "Gateway", "Engine", "Messenger", "Voice", "WebChat", "Handoff", "ReadAPI", "Notifier", "OrderWebhook", "Payments", "Analytics",
                "WebSite", "Replay", "Lifecycle", "Wire", "Commerce", "Dialogue", "NLU", "ShopValues", "OrderBotCLI", "Storage", "Telemetry",
                "WebServer", "TestSupport", "orderbot", "RateLimits",
            ],
            resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzzing (Tests/Fuzz/run.sh): one libFuzzer binary for every parser. Declared only when the
// script asks: its `main` calls libFuzzer's driver, which only `-sanitize=fuzzer` links in.
if Context.environment["ORDERBOT_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "orderbot-fuzz",
            dependencies: ["Messenger", "Voice", "Commerce", "NLU", "WebChat", "Handoff", "Gateway", "Storage", "Telemetry", "WebServer", "RateLimits"],
            path: "Tests/Fuzz/Targets"))
}
