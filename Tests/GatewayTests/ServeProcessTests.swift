import Foundation
import Storage
import Testing
import TestSupport

/// `orderbot` as a process: the way users and CI run it. Flags, signals, exit codes, logs.
@Suite(.serialized)
struct ServeProcessTests {
    private static func serve(_ directory: TemporaryDirectory, extra: [String] = [], environment: [String: String] = [:])
        throws -> ServerProcess
    {
        try ServerProcess(["serve", "--port", "0", "--db", directory.path("serve.sqlite")] + extra, environment: environment)
    }

    /// `serve` answers `/healthz`, and SIGTERM stops it with exit status 0.
    @Test func servesAndStopsOnSIGTERM() async throws {
        let directory = TemporaryDirectory()
        let (status, health, log) = try await blocking {
            let server = try Self.serve(directory)
            let port = try server.waitForPort()
            let health = try HTTPTestClient(port: port).get("/healthz")
            server.send(signal: SIGTERM)
            return (server.waitForExit(), health, server.standardError)
        }
        #expect(health.status == 200 && health.text == "ok")
        #expect(status == 0)
        // A clean stop closes the database: SQLite folds the WAL back into the file.
        #expect(!FileManager.default.fileExists(atPath: directory.path("serve.sqlite") + "-wal"))
        #expect(log.contains("level=info msg=\"shutdown requested\" signal=SIGTERM"))
        #expect(log.contains("msg=stopped"))
    }

    /// A short admin token works, with a warning at start that names its variable, never its value;
    /// a long one draws no warning.
    @Test func aShortTokenIsWarnedOf() async throws {
        let directory = TemporaryDirectory()
        let (short, long) = try await blocking { () -> (String, String) in
            func log(_ token: String) throws -> String {
                let server = try Self.serve(directory, environment: ["ORDERBOT_ADMIN_TOKEN": token])
                let port = try server.waitForPort()
                let status = try HTTPTestClient(port: port).get("/api/escalations", headers: ["Authorization": "Bearer \(token)"]).status
                server.send(signal: SIGTERM)
                _ = server.waitForExit()
                return "status=\(status) " + server.standardError
            }
            return (try log("secret-007"), try log("8e1f0c4b2a9d7e6f5a3c"))
        }
        #expect(short.hasPrefix("status=200 "))
        #expect(short.contains("level=warning msg=\"a secret is short enough to be guessed"))
        #expect(short.contains("variable=ORDERBOT_ADMIN_TOKEN length=10"))
        #expect(!short.contains("secret-007"))
        #expect(long.hasPrefix("status=200 "))
        #expect(!long.contains("short enough to be guessed"))
    }

    /// SIGINT (Ctrl-C) stops it the same way.
    @Test func stopsOnSIGINT() async throws {
        let directory = TemporaryDirectory()
        let status = try await blocking {
            let server = try Self.serve(directory)
            _ = try server.waitForPort()
            server.send(signal: SIGINT)
            return server.waitForExit()
        }
        #expect(status == 0)
    }

    /// A request still arriving when SIGTERM comes is finished and answered before the exit,
    /// and the exit status is 0.
    @Test func sigtermWithARequestInFlightFinishesIt() async throws {
        let directory = TemporaryDirectory()
        let (response, status) = try await blocking {
            let server = try Self.serve(directory)
            let port = try server.waitForPort()
            let connection = try RawConnection(port: port)
            // A request whose body is still on its way: in flight on the server.
            try connection.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9\r\n\r\nhalf")
            Thread.sleep(forTimeInterval: 0.3)
            server.send(signal: SIGTERM)
            Thread.sleep(forTimeInterval: 0.3)
            try connection.send(" done")
            let response = try connection.readResponse()
            return (response, server.waitForExit())
        }
        #expect(response.status == 200)
        #expect(response.text == "ok")
        #expect(response.headers["connection"] == "close")
        #expect(status == 0)
    }

    /// A port that is already taken is a clear error and exit status 1.
    @Test func portInUseFailsClearly() async throws {
        let directory = TemporaryDirectory()
        let (status, log) = try await blocking { () -> (Int32?, String) in
            let first = try Self.serve(directory)
            let port = try first.waitForPort()
            defer {
                first.send(signal: SIGTERM)
                _ = first.waitForExit()
            }
            let second = try ServerProcess(["serve", "--port", String(port), "--db", directory.path("other.sqlite")])
            return (second.waitForExit(), second.standardError)
        }
        #expect(status == 1)
        #expect(log.contains("cannot listen on 127.0.0.1"))
    }

    /// A database from a newer OrderBot is refused before anything listens.
    @Test func newerDatabaseIsRefused() async throws {
        let directory = TemporaryDirectory()
        let path = directory.path("future.sqlite")
        try Database(path: path).setSchemaVersion(999)
        let result = try await blocking { try ServerProcess.run(["serve", "--port", "0", "--db", path]) }
        #expect(result.status == 1)
        #expect(result.error.contains("schema version 999"))
        #expect(!result.error.contains("msg=listening"))
    }

    /// ORDERBOT_SHOP_FACTS: a file laid out like the demo facts is used; an unreadable or
    /// invalid one stops the start with the reason (exit 64), before the port opens.
    @Test func shopFactsFile() async throws {
        let directory = TemporaryDirectory()
        let good = directory.path("facts.json")
        let invalid = directory.path("invalid.json")
        let facts = """
            {"name": "Test", "currency": "PLN",
             "contact": {"email": "a@b.pl", "phone": "+48 1", "hours_pl": "x", "hours_en": "x", "postal_address": "x"},
             "stores": [], "delivery": [{"method": "courier", "name_pl": "K", "name_en": "C", "price": "9.99", "days": "1"}],
             "countries": ["PL"], "international_delivery_price": "39.00", "payment_methods": ["blik"],
             "cash_on_delivery_fee": "5.00", "returns": {"days": 30, "free_via_parcel_locker": false, "refund_days": 14},
             "complaints": {"answer_days": 14}, "order_line_quantity_limit": 5}
            """
        try Data(facts.utf8).write(to: URL(fileURLWithPath: good))
        try Data(facts.replacingOccurrences(of: "\"courier\"", with: "\"drone\"").utf8).write(to: URL(fileURLWithPath: invalid))
        let (started, refused, missing) = try await blocking {
            let server = try Self.serve(directory, environment: ["ORDERBOT_SHOP_FACTS": good])
            let port = try server.waitForPort()
            let health = try HTTPTestClient(port: port).get("/healthz")
            server.send(signal: SIGTERM)
            _ = server.waitForExit()
            return (
                health.status,
                try ServerProcess.run(["serve", "--port", "0", "--db", directory.path("b.sqlite")], environment: ["ORDERBOT_SHOP_FACTS": invalid]),
                try ServerProcess.run(["serve", "--port", "0", "--db", directory.path("c.sqlite")], environment: ["ORDERBOT_SHOP_FACTS": directory.path("none.json")]))
        }
        #expect(started == 200)
        #expect(refused.status == 64)
        #expect(refused.error.contains("delivery method drone is not courier, parcel_locker or store_pickup"))
        #expect(missing.status == 64)
        #expect(missing.error.contains("cannot read shop facts from \(directory.path("none.json"))"))
        #expect(!refused.error.contains("msg=listening") && !missing.error.contains("msg=listening"))
    }

    /// Usage mistakes exit 64 with a pointer to help; help exits 0.
    @Test func usageErrorsAndHelp() async throws {
        let results = try await blocking {
            [
                try ServerProcess.run(["--help"]),
                try ServerProcess.run(["serve", "--help"]),
                try ServerProcess.run(["frobnicate"]),
                try ServerProcess.run(["serve", "--port", "http"]),
                try ServerProcess.run(["serve"], environment: ["ORDERBOT_LOG": "chatty"]),
            ]
        }
        #expect(results[0].status == 0 && results[0].output.contains("Usage: orderbot <command>"))
        #expect(results[1].status == 0 && results[1].output.contains("Usage: orderbot serve"))
        #expect(results[2].status == 64 && results[2].error.contains("unknown command \"frobnicate\""))
        #expect(results[3].status == 64 && results[3].error.contains("--port / ORDERBOT_PORT"))
        #expect(results[4].status == 64 && results[4].error.contains("ORDERBOT_LOG"))
    }
}
