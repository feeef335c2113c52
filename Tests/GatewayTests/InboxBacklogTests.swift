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

    /// While every write fails (here another connection holds the write lock; a full disk does
    /// the same), the worker does not retry in a loop: after an event's five attempts and a
    /// failed attempt to set it aside, it waits longer and longer between rounds. Once writes
    /// work again the event is handled.
    @Test func aWorkerWhoseWritesAllFailBacksOff() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("stalled.sqlite")
        let first = try await MessengerFixture(database: path)
        await first.stop()
        let entry = MessengerEvent(
            kind: .message, psid: "stalled-1", timestamp: 1_718_010_700_000, mid: "m_stalled_1", text: "gdzie jest moja paczka"
        ).inboxEntry
        let lock = try Database(path: path)
        _ = try lock.inTransaction { try Inbox().accept([entry], channel: .messenger, in: lock) }

        let fixture = try await MessengerFixture(
            database: path, busyTimeoutMilliseconds: 50, beforeStart: { try lock.execute("BEGIN IMMEDIATE") })
        try await Task.sleep(for: .seconds(12))
        let attemptsWhileLocked = fixture.logs.lines.filter { $0.contains("msg=\"a messenger event failed\"") }.count
        try lock.execute("COMMIT")
        let database = fixture.gateway.database
        let status = try await blocking { () -> String in
            let deadline = Date().addingTimeInterval(45)  // past the longest pause the worker may be in (16 s after 12 s of failures)
            while Date() < deadline {
                let status = try database.read { db in
                    try db.queryFirst("SELECT status FROM inbox WHERE dedup_key = 'mid:m_stalled_1'") { $0.string(0) }
                }
                if let status, status != "pending" { return status }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return "still pending"
        }
        await fixture.stop()
        // 12 s: five attempts 0.2–0.8 s apart (each write taking ~0.3 s to give up), then rounds
        // 0.25, 0.5, 1 and 2 s apart: about 9, fewer on a busy machine. Retrying at once, the
        // rounds after the fifth came every ~0.1 s: 100 in the same time.
        #expect(attemptsWhileLocked >= 3)
        #expect(attemptsWhileLocked <= 12)
        // Handled once writes work: answered, or (when the lock went just as the worker set it
        // aside after its five attempts) marked failed; either way no longer waiting.
        #expect(["done", "failed"].contains(status))
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
