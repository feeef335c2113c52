import Commerce
import Foundation
@testable import Messenger
import Storage
import Testing
import TestSupport

/// Back-pressure as `/metrics` shows it: acknowledged events the turns have not taken yet are
/// counted (all of them, not the first batch) and the oldest one's wait is the lag.
struct InboxBacklogTests {
    /// 300 events acknowledged an hour ago by an earlier process, and another connection holding
    /// the database's write lock from before the workers start, so that no turn can be written: the
    /// gateway shows a depth of 300 and a lag of an hour; once the lock goes, every event is handled
    /// and both fall to 0.
    @Test func depthAndLagWhileTurnsCannotBeWritten() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("backlog.sqlite")
        let first = try await MessengerFixture(database: path)
        await first.stop()

        let hourAgo = Date().addingTimeInterval(-3_600)
        let entries = (0..<300).map { index in
            MessengerEvent(
                kind: .message, psid: "backlog-\(index % 30)", timestamp: 1_718_010_600_000 + Int64(index),
                mid: "m_backlog_\(index)", text: "gdzie jest moja paczka"
            ).inboxEntry
        }
        let lock = try Database(path: path)
        _ = try lock.inTransaction { try Inbox(now: { hourAgo }).accept(entries, channel: .messenger, in: lock) }

        let fixture = try await MessengerFixture(database: path, beforeStart: { try lock.execute("BEGIN IMMEDIATE") })
        let waiting = try await metrics(of: fixture, until: { $0.depth > 0 })
        try lock.execute("COMMIT")
        #expect(waiting.depth == 300)
        #expect(waiting.lag >= 3_600)

        let drained = try await metrics(of: fixture, until: { $0.depth == 0 && $0.lag == 0 })
        let client = fixture.client
        let text = try await blocking { try client.get("/metrics").text }
        await fixture.stop()
        #expect(drained.depth == 0)
        // Every turn was a queued write; the writer committed them in groups.
        let commits = Self.value("orderbot_database_group_commits_total", in: text)
        let writes = Self.value("orderbot_database_group_writes_total", in: text)
        #expect(commits >= 1)
        #expect(writes >= 300)
        #expect(writes >= commits)
        let handled = try Database(path: path).queryFirst(
            "SELECT count(*) FROM inbox WHERE dedup_key LIKE 'mid:m_backlog_%' AND status = 'done'") { $0.int(0) }
        #expect(handled == 300)
    }

    /// The inbox gauges of `/metrics`, read until `condition` holds (or 60 s have passed).
    private func metrics(
        of fixture: MessengerFixture, until condition: @escaping @Sendable ((depth: Double, lag: Double)) -> Bool
    ) async throws -> (depth: Double, lag: Double) {
        let client = fixture.client
        return try await blocking {
            let deadline = Date().addingTimeInterval(60)
            while true {
                let text = try client.get("/metrics").text
                let gauges = (depth: Self.sample("orderbot_inbox_depth", in: text), lag: Self.sample("orderbot_inbox_oldest_age_seconds", in: text))
                if condition(gauges) || Date() > deadline { return gauges }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// The value of an unlabelled sample in Prometheus text (-1 when absent).
    private static func value(_ name: String, in text: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.dropFirst(name.count + 1)) } ?? -1
    }

    /// The Messenger sample of a gauge in Prometheus text (-1 when absent).
    private static func sample(_ name: String, in text: String) -> Double {
        let prefix = name + #"{channel="messenger"} "#
        return text.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.dropFirst(prefix.count)) } ?? -1
    }
}
