import Commerce
import Foundation
import Gateway
import Replay
import Storage
import Telemetry
import TestSupport
import Testing
import WebServer

/// `GET /api/analytics/summary` on a database full of conversations (every transcript of
/// Transcripts/ replayed into one), checked against what this test counts itself from the read
/// API's raw data: every conversation's transcript, every customer's orders, the escalations.
@Suite(.serialized)
struct AnalyticsSummaryTests {
    static let token = "analytics-admin-token-0123"

    /// What the raw API says, counted here.
    struct Counted {
        var conversations = 0
        var customers = Set<Int64>()
        var handedOver = 0
        var misunderstood = 0
        var byIntent: [String: Int] = [:]
        var byChannel: [String: (conversations: Int, customers: Set<Int64>, handedOver: Int, misunderstood: Int, orders: Int)] = [:]
        var orders = 0
        var cancelled = 0
        var valueMinor = 0
    }

    @Test func theSummaryOfEveryReplayedTranscriptMatchesTheRawData() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("all.sqlite")
        let files = try TranscriptFiles.find([TranscriptTests.directory])
        let results = try await blocking { try TranscriptRunner(understanding: EngineFixture.understanding).run(files: files, intoDatabaseAt: path) }
        #expect(results.count == files.count && files.count > 50)
        let gateway = try RunningGateway(try Gateway(
            configuration: GatewayConfiguration(
                server: ServerConfiguration(port: 0), database: DatabaseConfiguration(path: path), adminToken: Self.token),
            logger: Logger(level: .error, sink: MemoryLogSink()), understanding: EngineFixture.understanding))
        let client = HTTPTestClient(port: gateway.port)
        let get = { @Sendable (path: String) throws -> RawHTTPResponse in
            try client.get(path, headers: ["Authorization": "Bearer \(Self.token)"])
        }
        let (answer, counted) = try await blocking { () throws -> (RawHTTPResponse, Counted) in
            (try get("/api/analytics/summary?from=2020-01-01&to=2029-12-31"), try Self.count(get))
        }
        let summary = answer.json ?? [:]
        let refused = try await blocking { try client.get("/api/analytics/summary", headers: [:]).status }
        let badDay = try await blocking { try get("/api/analytics/summary?from=2026-02-30").status }
        let unknown = try await blocking { try get("/api/analytics/summary?since=2026-01-01").status }
        await gateway.stop()

        #expect(counted.conversations > 50, "the replay filled the database")
        #expect(summary["conversations"] as? Int == counted.conversations)
        #expect(summary["customers"] as? Int == counted.customers.count)
        #expect(summary["handed_over"] as? Int == counted.handedOver)
        #expect(summary["contained"] as? Int == counted.conversations - counted.handedOver)
        #expect(summary["misunderstood_messages"] as? Int == counted.misunderstood)
        #expect(summary["by_intent"] as? [String: Int] == counted.byIntent)
        let orders = summary["orders"] as? [String: Any]
        #expect(orders?["count"] as? Int == counted.orders)
        #expect(orders?["cancelled"] as? Int == counted.cancelled)
        #expect(orders?["value"] as? String == String(format: "%d.%02d", counted.valueMinor / 100, counted.valueMinor % 100))
        let channels = summary["by_channel"] as? [String: [String: Any]] ?? [:]
        for (channel, expected) in counted.byChannel {
            let got = channels[channel] ?? [:]
            #expect(got["conversations"] as? Int == expected.conversations, "\(channel)")
            #expect(got["customers"] as? Int == expected.customers.count, "\(channel)")
            #expect(got["handed_over"] as? Int == expected.handedOver, "\(channel)")
            #expect(got["misunderstood_messages"] as? Int == expected.misunderstood, "\(channel)")
            #expect((got["orders"] as? [String: Any])?["count"] as? Int == expected.orders, "\(channel)")
        }
        let days = summary["by_day"] as? [[String: Any]] ?? []
        #expect(days.reduce(0) { $0 + ($1["conversations"] as? Int ?? 0) } == counted.conversations)
        #expect(days.reduce(0) { $0 + ($1["orders"] as? Int ?? 0) } == counted.orders)
        let funnel = (summary["funnel"] as? [String: Int]) ?? [:]
        let steps = ["started", "product_chosen", "delivery", "payment", "placed"].map { funnel[$0] ?? -1 }
        #expect(steps.allSatisfy { $0 >= 0 } && steps == steps.sorted(by: >), "each step reached by no more than the one before: \(steps)")
        #expect(steps[4] > 0 && steps[4] <= counted.byChannel.values.reduce(0) { $0 + $1.orders })
        #expect(refused == 401 && badDay == 400 && unknown == 400)
    }

    /// Walks the read API: conversations by id until the ids run out, the escalation queue, and
    /// every customer's orders (an order counted once, however many records lead to it).
    private static func count(_ get: (String) throws -> RawHTTPResponse) throws -> Counted {
        var counted = Counted()
        let escalated = Set(((try get("/api/escalations").json?["escalations"] as? [[String: Any]]) ?? []).compactMap {
            ($0["conversation_id"] as? NSNumber)?.int64Value
        })
        var channelOf: [Int64: String] = [:]
        var misses = 0
        var id: Int64 = 1
        while misses < 5 {
            let response = try get("/api/conversations/\(id)/messages")
            defer { id += 1 }
            guard response.status == 200, let json = response.json, let conversation = json["conversation"] as? [String: Any],
                  let channel = conversation["channel"] as? String, let customer = (conversation["customer_id"] as? NSNumber)?.int64Value
            else {
                misses += 1
                continue
            }
            misses = 0
            channelOf[id] = channel
            counted.conversations += 1
            counted.customers.insert(customer)
            var entry = counted.byChannel[channel] ?? (0, [], 0, 0, 0)
            entry.conversations += 1
            entry.customers.insert(customer)
            if escalated.contains(id) {
                counted.handedOver += 1
                entry.handedOver += 1
            }
            for message in json["messages"] as? [[String: Any]] ?? [] {
                guard message["direction"] as? String == "in", message["author"] as? String == "customer" else { continue }
                let intent = message["intent"] as? String
                counted.byIntent[intent ?? "unknown", default: 0] += 1
                let confidence = message["confidence"] as? Double
                if intent == nil || intent == "out_of_scope" || (confidence ?? 0) < 0.5 {
                    counted.misunderstood += 1
                    entry.misunderstood += 1
                }
            }
            counted.byChannel[channel] = entry
        }
        var seen = Set<String>()
        misses = 0
        var customer: Int64 = 1
        while misses < 5 {
            let response = try get("/api/orders?customer_id=\(customer)")
            customer += 1
            guard response.status == 200, let orders = response.json?["orders"] as? [[String: Any]] else {
                misses += 1
                continue
            }
            misses = 0
            for order in orders {
                guard let number = order["number"] as? String, seen.insert(number).inserted else { continue }
                counted.orders += 1
                if order["status"] as? String == "cancelled" { counted.cancelled += 1 }
                let amount = (order["total"] as? [String: Any])?["amount"] as? String ?? "0"
                counted.valueMinor += Int(amount.replacingOccurrences(of: ".", with: "")) ?? 0
                if let conversation = (order["conversation_id"] as? NSNumber)?.int64Value, let channel = channelOf[conversation] {
                    counted.byChannel[channel]?.orders += 1
                }
            }
        }
        return counted
    }
}

/// The ops side of the owner's misses: every message the classifier could not place is counted
/// by channel on /metrics as it happens.
struct MisunderstoodMetricTests {
    @Test func aMessageTheBotCannotPlaceIsCounted() async throws {
        let fixture = try await TrustFixture()
        try await fixture.messenger("psid-lost", "kwiatki na balkonie rosną szybko w maju", at: 1_718_090_000_000)
        try await fixture.messenger("psid-lost", "chcę zamówić buty Sprint Lite", at: 1_718_090_000_010)
        let intents = try await fixture.query(
            "SELECT group_concat(intent || ':' || confidence, ' ') FROM messages WHERE direction = 'in'") { $0.string(0) } ?? ""
        let metrics = fixture.gateway.metrics.render()
        await fixture.stop()
        #expect(metrics.contains(#"orderbot_misunderstood_messages_total{channel="messenger"} 1"#), "\(intents)")
    }
}
