import Commerce
import Foundation
import NLU
import TestSupport
import Testing

/// The misses of the shop owner's view against a live gateway: customers write through Messenger,
/// the owner reads the groups and accepts one over HTTP, and the classifier the conversations use
/// learns it.
@Suite struct MissesAPITests {
    /// Three ways to ask for a parcel that the built-in classifier puts out of scope.
    static let misses = ["kiedy dotrze mój pakunek", "kiedy dotrze moj pakunek?", "kiedy wreszcie dotrze mój pakunek"]
    /// One more like them, for after the teaching.
    static let next = "kiedy w końcu dotrze mój pakunek"

    /// The three misses, each from another customer; the listed group that holds them.
    private static func sendMisses(_ fixture: MissesFixture) async throws -> [String: Any] {
        for (index, text) in misses.enumerated() { try await fixture.message(from: "psid-miss-\(index)", text) }
        let groups = try await fixture.groups()
        return try #require(groups.first { ($0["examples"] as? [[String: Any]])?.contains { $0["text"] as? String == misses[0] } == true })
    }

    private static func accept(_ fixture: MissesFixture, _ group: String, as intent: String) async throws -> (Int, [String: Any]?) {
        let response = try await fixture.post("/api/analytics/misunderstood/\(group)/accept", json: #"{"intent":"\#(intent)"}"#)
        return (response.status, response.json)
    }

    /// The issue's acceptance: a misunderstood message, grouped with two similar ones, accepted
    /// as `order_status` → the next similar message is classified as `order_status`, no restart.
    @Test func acceptedGroupTeachesTheRunningClassifier() async throws {
        let fixture = try await MissesFixture()
        let group = try await Self.sendMisses(fixture)
        let before = fixture.gateway.engine.understanding.understand(Self.next).intent
        let id = try #require(group["id"] as? String)
        let (status, answer) = try await Self.accept(fixture, id, as: "order_status")
        try await fixture.message(from: "psid-next", Self.next)
        let after = try await fixture.storedIntent(of: Self.next)
        let groupsAfter = try await fixture.groups()
        let stored = try await fixture.count("SELECT count(*) FROM intent_labels WHERE agent = 'shop owner' AND intent = 'order_status'")
        await fixture.stop()

        for text in Self.misses { #expect(group["examples"].debugDescription.contains(text)) }
        #expect(group["count"] as? Int == 3)
        #expect(group["classified_as"] as? [String: Int] == ["out_of_scope": 3])
        #expect(group["languages"] as? [String] == ["pl"])
        #expect(group["labelled_as"] as? [String: Int] == [:])
        #expect(group["accepted_as"] is NSNull)
        #expect(before != .orderStatus)
        #expect(status == 200)
        #expect(answer?["added"] as? Int == 3)
        #expect(answer?["messages"] as? Int == 3)
        #expect(stored == 3)
        #expect(after == "order_status")
        #expect(!groupsAfter.contains { $0["id"] as? String == id })
    }

    /// Accepted labels are intent labels, which the gateway trains on at start, and the export
    /// gives them as `orderbot export-intents` lines.
    @Test func acceptedExamplesSurviveARestartAndExport() async throws {
        let first = try await MissesFixture()
        let group = try #require(try await Self.sendMisses(first)["id"] as? String)
        _ = try await Self.accept(first, group, as: "order_status")
        let export = try await first.get("/api/analytics/examples?intent=order_status")
        let otherIntent = try await first.get("/api/analytics/examples?intent=complaint")
        let file = try await first.get("/api/analytics/examples?intent=order_status&language=pl")
        let badLanguage = try await first.get("/api/analytics/examples?intent=order_status&language=de")
        await first.stop()

        let restarted = try await MissesFixture(restarting: first)
        let understood = restarted.gateway.engine.understanding.understand(Self.next).intent
        await restarted.stop()

        #expect(understood == .orderStatus)
        #expect(export.status == 200)
        #expect(export.headers["content-type"] == "application/x-ndjson; charset=utf-8")
        let lines = export.text.split(separator: "\n").map(String.init)
        #expect(lines == Self.misses.map { #"{"text":"\#($0)","intent":"order_status","language":"pl"}"# })
        #expect(otherIntent.status == 200 && otherIntent.body.isEmpty)
        // One intent in one language: lines to append to Intents/order_status/pl.txt as they are.
        #expect(file.headers["content-type"] == "text/plain; charset=utf-8")
        #expect(file.headers["content-disposition"] == #"attachment; filename="order_status-pl.txt""#)
        #expect(file.text.split(separator: "\n").map(String.init) == ["# accepted by the shop owner in the dashboard (GET /admin)"] + Self.misses)
        #expect(badLanguage.status == 400)
    }

    /// Accepting a group again as the same intent adds nothing; as another intent it is refused.
    @Test func repeatedAcceptAddsNothing() async throws {
        let fixture = try await MissesFixture()
        let group = try #require(try await Self.sendMisses(fixture)["id"] as? String)
        let first = try await Self.accept(fixture, group, as: "order_status")
        let again = try await Self.accept(fixture, group, as: "order_status")
        let other = try await Self.accept(fixture, group, as: "complaint")
        let labels = try await fixture.count("SELECT count(*) FROM intent_labels")
        let taught = fixture.gateway.engine.understanding.examples.filter { Self.misses.contains($0.text) }.count
        await fixture.stop()

        #expect(first.0 == 200 && first.1?["added"] as? Int == 3)
        #expect(again.0 == 200 && again.1?["added"] as? Int == 0 && again.1?["messages"] as? Int == 3)
        #expect(other.0 == 409 && (other.1?["error"] as? [String: Any])?["code"] as? String == "accepted_as_another")
        #expect(labels == 3)
        #expect(taught == 3)
    }

    /// `from` and `to` are whole days in Poland: 22:30 UTC is the next day in summer, 23:30 UTC
    /// in winter, and 22:30 UTC in winter is still the same day.
    @Test func periodIsDaysInPoland() async throws {
        let fixture = try await MissesFixture()
        let times = ["2026-07-01T22:30:00.000Z", "2026-07-01T21:30:00.000Z", "2026-01-01T23:30:00.000Z", "2026-01-01T22:30:00.000Z"]
        let ids = try await fixture.seedMisses(Array(zip(Self.misses + [Self.next], times)))
        var found: [String: [Int]] = [:]
        for query in ["?from=2026-07-02&to=2026-07-02", "?from=2026-01-02&to=2026-01-02", "?from=2026-01-01&to=2026-07-01", "?to=2026-01-01", ""] {
            let groups = try await fixture.groups(query)
            found[query] = (groups.first?["examples"] as? [[String: Any]])?.compactMap { $0["message_id"] as? Int } ?? []
            #expect(groups.count <= 1)
            #expect(groups.first?["count"] as? Int ?? 0 == found[query]?.count)
        }
        await fixture.stop()

        let id = ids.map(Int.init)
        #expect(found["?from=2026-07-02&to=2026-07-02"] == [id[0]])
        #expect(found["?from=2026-01-02&to=2026-01-02"] == [id[2]])
        #expect(Set(found["?from=2026-01-01&to=2026-07-01"] ?? []) == [id[1], id[2], id[3]])
        #expect(found["?to=2026-01-01"] == [id[3]])
        #expect(Set(found[""] ?? []) == Set(id))
    }

    /// A message an agent corrected stays in its group with the agent's intent beside what the
    /// classifier said of the others; accepting the group labels it too, as the owner's.
    @Test func agentsLabelsAreShown() async throws {
        let fixture = try await MissesFixture()
        let ids = try await fixture.seedMisses([(Self.misses[0], "2026-03-02T10:00:00.000Z"), (Self.misses[2], "2026-03-02T11:00:00.000Z")])
        try await fixture.label(ids[1], as: "order_status", by: "ania")
        let group = try #require(try await fixture.groups().first)
        let (status, answer) = try await Self.accept(fixture, try #require(group["id"] as? String), as: "order_status")
        await fixture.stop()

        #expect(group["count"] as? Int == 2)
        #expect(group["labelled_as"] as? [String: Int] == ["order_status": 1])
        #expect(group["classified_as"] as? [String: Int] == ["out_of_scope": 1])
        #expect(status == 200 && answer?["added"] as? Int == 2)
    }

    /// The served OpenAPI document describes the three routes.
    @Test func documentedInOpenAPI() async throws {
        let fixture = try await MissesFixture()
        let document = try await fixture.get("/api/openapi.json").json
        await fixture.stop()

        let paths = try #require(document?["paths"] as? [String: [String: Any]])
        #expect(paths["/api/analytics/misunderstood"]?["get"] != nil)
        #expect(paths["/api/analytics/misunderstood/{group}/accept"]?["post"] != nil)
        #expect(paths["/api/analytics/examples"]?["get"] != nil)
    }

    /// Only the admin token reads or teaches: an agent gets 403, no token or a wrong one 401,
    /// and nothing is labelled.
    @Test func adminOnly() async throws {
        let fixture = try await MissesFixture()
        let group = try #require(try await Self.sendMisses(fixture)["id"] as? String)
        let agent = try await fixture.agentToken()
        var statuses: [String: [Int?]] = [:]
        for token in [agent, nil, "wrong-token"] {
            let list = try await fixture.get("/api/analytics/misunderstood", token: token).status
            let accept = try await fixture.post(
                "/api/analytics/misunderstood/\(group)/accept", json: #"{"intent":"order_status"}"#, token: token).status
            let export = try await fixture.get("/api/analytics/examples", token: token).status
            statuses[token ?? "none", default: []] += [list, accept, export]
        }
        let labels = try await fixture.count("SELECT count(*) FROM intent_labels")
        await fixture.stop()

        #expect(statuses[agent] == [403, 403, 403])
        #expect(statuses["none"] == [401, 401, 401])
        #expect(statuses["wrong-token"] == [401, 401, 401])
        #expect(labels == 0)
    }

    /// Bad input is a clear 4xx that changes nothing: an unknown intent, an unknown group, a body
    /// that is not JSON, a malformed date or limit, an unknown parameter.
    @Test func badInputChangesNothing() async throws {
        let fixture = try await MissesFixture()
        let group = try #require(try await Self.sendMisses(fixture)["id"] as? String)
        let path = "/api/analytics/misunderstood/\(group)/accept"
        let unknownIntent = try await fixture.post(path, json: #"{"intent":"where_is_it"}"#)
        let noIntent = try await fixture.post(path, json: #"{}"#)
        let extraField = try await fixture.post(path, json: #"{"intent":"order_status","agent":"x"}"#)
        let notJSON = try await fixture.post(path, json: "intent=order_status", contentType: "application/x-www-form-urlencoded")
        let unknownGroup = try await fixture.post("/api/analytics/misunderstood/0123456789abcdef/accept", json: #"{"intent":"order_status"}"#)
        let badDate = try await fixture.get("/api/analytics/misunderstood?from=2026-02-30")
        let signedDate = try await fixture.get("/api/analytics/misunderstood?to=%2B202-01-01")
        let reversed = try await fixture.get("/api/analytics/misunderstood?from=2026-03-02&to=2026-03-01")
        let badLimit = try await fixture.get("/api/analytics/misunderstood?limit=0")
        let unknownParameter = try await fixture.get("/api/analytics/misunderstood?form=2026-03-01")
        let badExportIntent = try await fixture.get("/api/analytics/examples?intent=nothing")
        let labels = try await fixture.count("SELECT count(*) FROM intent_labels")
        let understood = fixture.gateway.engine.understanding.understand(Self.next).intent
        await fixture.stop()

        #expect(unknownIntent.status == 400 && unknownIntent.text.contains("order_status"))
        #expect(noIntent.status == 400)
        #expect(extraField.status == 400)
        #expect(notJSON.status == 415)
        #expect(unknownGroup.status == 404)
        for response in [badDate, signedDate, reversed, badLimit, unknownParameter, badExportIntent] { #expect(response.status == 400) }
        #expect(labels == 0)
        #expect(understood != .orderStatus)
    }
}
