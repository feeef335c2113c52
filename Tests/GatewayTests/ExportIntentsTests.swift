import Commerce
import Foundation
import Gateway
import NLU
import Storage
import TestSupport
import Testing

/// A database at `path` in which agent anna labelled customer messages: `labels` pairs a
/// message's text with the intent she gave it (in a Polish web chat).
private func labelledDatabase(_ path: String, _ labels: [(text: String, intent: String)]) throws {
    let pool = try DatabasePool(DatabaseConfiguration(path: path, readerCount: 1), migrator: Schema.migrator())
    defer { pool.close() }
    try pool.write { db in
        let customer = try Customers().resolve(Identity(.web, "session-1"), in: db)
        let conversation = try Conversations().open(customer: customer, channel: .web, externalID: "session-1", in: db)
        for (text, intent) in labels {
            let message = try Conversations().append(
                .fromCustomer(text, intent: "out_of_scope", confidence: 0.2), to: conversation.id, in: db)
            _ = try IntentLabels().record(messageID: message.id, intent: intent, agent: "anna", in: db)
        }
    }
}

/// `orderbot export-intents` with the examples agents taught.
@Suite(.serialized)
struct ExportIntentsTests {
    private static func lines(_ output: String) -> [[String: String]] {
        output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
    }

    /// The learned examples follow the corpus, oldest first; a label whose intent this classifier
    /// does not know is left out.
    @Test func learnedExamplesFollowTheCorpus() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("learned.sqlite")
        let (corpusOnly, withLabels, fromEnvironment) = try await blocking {
            try labelledDatabase(database, [
                ("kwazimodo plumbus zyzzyva", "invoice"), ("to jest test", "no_such_intent"), ("a gdzie faktura", "invoice"),
            ])
            return (try ServerProcess.run(["export-intents", "--db", directory.path("absent.sqlite")]),
             try ServerProcess.run(["export-intents", "--db", database]),
             try ServerProcess.run(["export-intents"], environment: ["ORDERBOT_DB": database]))
        }
        #expect(corpusOnly.status == 0 && withLabels.status == 0, "\(withLabels.error)")
        let corpus = Self.lines(corpusOnly.output)
        let exported = Self.lines(withLabels.output)
        #expect(corpus.count == (try IntentCorpus.embedded().examples.count))
        #expect(exported.count == corpus.count + 2)
        #expect(Array(exported.prefix(corpus.count)) == corpus)
        #expect(exported.suffix(2) == [
            ["text": "kwazimodo plumbus zyzzyva", "intent": "invoice", "language": "pl"],
            ["text": "a gdzie faktura", "intent": "invoice", "language": "pl"],
        ])
        #expect(Self.lines(fromEnvironment.output) == exported)
        #expect(!FileManager.default.fileExists(atPath: directory.path("absent.sqlite")))
    }

    /// A database from before the labels is read as it is: no examples, no migration.
    @Test func olderDatabaseIsOnlyRead() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("v4.sqlite")
        try Migrator(Array(Schema.migrations.prefix(4))).migrate(try Database(path: path))
        #expect(try LearnedExamples.load(databaseAt: path).isEmpty)
        #expect(try Database(path: path, readOnly: true).schemaVersion() == 4)
    }
}

/// `serve` trains on what agents taught before it started.
@Suite(.serialized)
struct ServeLearningTests {
    /// A message an agent labelled is understood as labelled after a restart: the voice turn
    /// with that text is stored with the taught intent.
    @Test func serveTrainsOnStoredLabels() async throws {
        let directory = TemporaryDirectory()
        let database = directory.path("serve.sqlite")
        let (status, log) = try await blocking { () -> (Int, String) in
            try labelledDatabase(database, [("kwazimodo plumbus zyzzyva", "invoice")])
            let server = try ServerProcess(
                ["serve", "--port", "0", "--db", database], environment: ["ORDERBOT_VOICE_TOKEN": "voice-secret"])
            defer {
                server.send(signal: SIGTERM)
                _ = server.waitForExit()
            }
            let body = #"""
                {"call_id":"call-learned","from":"+48601234567","seq":1,"is_final":true,"language":"pl-PL",
                 "alternatives":[{"transcript":"kwazimodo plumbus zyzzyva","confidence":0.9}]}
                """#
            let response = try HTTPTestClient(port: try server.waitForPort()).post(
                "/webhooks/voice", body: Array(body.utf8),
                headers: ["Authorization": "Bearer voice-secret", "Content-Type": "application/json"])
            return (response.status, server.standardError)
        }
        #expect(status == 200)
        #expect(log.contains("training with the agents' intent labels") && log.contains("examples=1"))
        let intents = try await blocking {
            try Database(path: database, readOnly: true).query(
                "SELECT m.intent FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'voice'"
                + " AND m.author = 'customer'") { $0.optionalString(0) }
        }
        #expect(intents == ["invoice"])
    }

    /// Labels become training examples when the classifier knows their intent and language.
    @Test func labelsBecomeExamples() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("learned.sqlite")
        try labelledDatabase(path, [("kwazimodo plumbus zyzzyva", "invoice"), ("xyz", "made_up")])
        let learned = try LearnedExamples.load(databaseAt: path)
        #expect(learned == [TrainingExample(text: "kwazimodo plumbus zyzzyva", intent: .invoice, language: .polish)])
        let understanding = LanguageUnderstanding(corpus: try IntentCorpus.embedded(), learned: learned)
        #expect(understanding.understand("Kwazimodo, plumbus zyzzyva!").intent == .invoice)
        #expect(try LearnedExamples.load(databaseAt: directory.path("absent.sqlite")).isEmpty)
    }
}
