import Foundation
import Testing
import TestSupport

/// `orderbot classify`, `eval-intents` and `export-intents` as processes, as CONTRACT.md
/// describes them.
@Suite(.serialized)
struct NLUCommandTests {
    private static func objects(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// One JSON object a line, in input order, with intent, confidence, language and entities.
    @Test func classifyPrintsOneObjectPerLineInOrder() async throws {
        let input = "dzień dobry\ngdzie jest moja paczka 482173\nwhat's the weather\nchce zamowic 2 pary adidasow 42\n"
        let result = try await blocking { try ServerProcess.run(["classify"], input: Data(input.utf8)) }
        let objects = Self.objects(result.output)
        #expect(result.status == 0)
        #expect(objects.map { $0["text"] as? String } == input.split(separator: "\n").map(String.init))
        #expect(objects.map { $0["intent"] as? String } == ["greet", "order_status", "out_of_scope", "order_product"])
        for object in objects {
            let confidence = try #require(object["confidence"] as? Double)
            #expect((0...1).contains(confidence))
            #expect(["pl", "en"].contains(object["language"] as? String))
        }
        let entities = try #require(objects[3]["entities"] as? [[String: Any]])
        #expect(entities.map { "\($0["type"]!)=\($0["value"]!)@\($0["start"]!)-\($0["end"]!)" }
            == ["quantity=2@13-19", "size=42@29-31"])
    }

    /// Invalid UTF-8, an empty line, emoji only and a 10,000-character line all get an answer;
    /// nothing crashes and every line is answered.
    @Test func oddInputIsAnsweredLineByLine() async throws {
        var input = Data("👍🙂\n\n".utf8)
        input.append(contentsOf: [0x7a, 0xff, 0xfe, 0x63, 0x0a])
        input.append(Data((String(repeating: "buty ", count: 2_000) + "\n").utf8))
        let bytes = input
        let result = try await blocking { try ServerProcess.run(["classify"], input: bytes) }
        let objects = Self.objects(result.output)
        #expect(result.status == 0)
        #expect(objects.count == 4)
        #expect(objects[0]["intent"] as? String == "affirm")
        #expect(objects[1]["intent"] as? String == "out_of_scope")
        #expect((objects[2]["text"] as? String)?.contains("\u{FFFD}") == true)
        #expect((objects[3]["text"] as? String)?.count == 10_000)
    }

    /// 10,000 lines stream through without memory growing with them.
    @Test func classifyKeepsMemoryFlat() async throws {
        @Sendable func peakKilobytes(lines: Int) throws -> (Int, Int) {
            let text = (0..<lines).map { "poproszę \($0 % 7 + 1) pary butów rozmiar 4\($0 % 8)" }.joined(separator: "\n") + "\n"
            let process = try ServerProcess(["classify"], input: Data(text.utf8))
            var peak = 0
            while process.process.isRunning {
                if let status = try? String(contentsOfFile: "/proc/\(process.process.processIdentifier)/status", encoding: .utf8),
                   let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                   let value = Int(line.split(separator: " ").dropFirst().first ?? "") {
                    peak = max(peak, value)
                }
                Thread.sleep(forTimeInterval: 0.01)
            }
            _ = process.waitForExit()
            return (peak, process.standardOutput.split(separator: "\n").count)
        }
        let (small, smallLines) = try await blocking { try peakKilobytes(lines: 1_000) }
        let (large, largeLines) = try await blocking { try peakKilobytes(lines: 10_000) }
        #expect(smallLines == 1_000 && largeLines == 10_000)
        #expect(large < small + 8_192, "peak RSS \(small) kB for 1,000 lines, \(large) kB for 10,000")
    }

    /// Cross-validation prints accuracy, macro-F1, the per-intent table and the confusion matrix.
    @Test func evalIntentsReportsTheContractsNumbers() async throws {
        let result = try await blocking { try ServerProcess.run(["eval-intents", "--folds", "3"], timeout: 120) }
        #expect(result.status == 0)
        #expect(result.output.contains("3-fold cross-validation over"))
        #expect(result.output.contains("macro-F1"))
        #expect(result.output.contains("confusion matrix"))
        #expect(result.output.contains("out_of_scope"))
        #expect(result.output.contains("reliability (confidence bin"))
        #expect(result.output.contains("temperature"))
    }

    /// Held-out files given as arguments are each reported; the folds of export-intents are the
    /// ones eval-intents uses (each example once, in every fold some).
    @Test func heldOutFilesAndFolds() async throws {
        let directory = TemporaryDirectory()
        let file = directory.url.appendingPathComponent("mine.tsv")
        try "text\tintent\tlanguage\nchcę zamówić buty\torder_product\tpl\nustaw budzik na szóstą\tout_of_scope\tpl\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try await blocking { try ServerProcess.run(["eval-intents", "--folds", "2", file.path], timeout: 120) }
        #expect(result.status == 0)
        #expect(result.output.contains("held-out file \(file.path)\nexamples 2   accuracy 1.000"))
        let exported = try await blocking { try ServerProcess.run(["export-intents", "--folds", "4"]) }
        let folds = Self.objects(exported.output).compactMap { $0["fold"] as? Int }
        #expect(folds.count > 1_000 && Set(folds) == [0, 1, 2, 3])
    }

    /// Every training example as a JSON line with text, intent and language.
    @Test func exportIntentsPrintsEveryExample() async throws {
        let result = try await blocking { try ServerProcess.run(["export-intents"]) }
        let objects = Self.objects(result.output)
        #expect(result.status == 0)
        #expect(objects.count > 1_000)
        #expect(objects.allSatisfy { $0["text"] is String && $0["intent"] is String && $0["language"] is String })
    }

    /// The out_of_scope threshold is set from the command line; a value out of range is refused.
    @Test func thresholdIsConfigurable() async throws {
        let input = Data("chcę zamówić buty\n".utf8)
        let strict = try await blocking { try ServerProcess.run(["classify", "--threshold", "1"], input: input) }
        #expect(Self.objects(strict.output).first?["intent"] as? String == "out_of_scope")
        let bad = try await blocking {
            try ServerProcess.run(["classify"], environment: ["ORDERBOT_INTENT_THRESHOLD": "2"], input: input)
        }
        #expect(bad.status == 64)
        #expect(bad.error.contains("ORDERBOT_INTENT_THRESHOLD"))
    }

    /// A training folder given with --intents is used instead of the built-in one, and a wrong
    /// one is refused clearly.
    @Test func intentsFolderOverride() async throws {
        let directory = TemporaryDirectory()
        for intent in ["greet", "goodbye", "thanks", "affirm", "deny", "order_product", "product_info", "order_status",
                       "cancel_order", "change_order", "return_request", "complaint", "delivery_info", "payment_info",
                       "store_info", "human_agent", "invoice", "account", "out_of_scope"] {
            let folder = directory.url.appendingPathComponent(intent)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try "example for \(intent)\n".write(to: folder.appendingPathComponent("pl.txt"), atomically: true, encoding: .utf8)
        }
        let exported = try await blocking { try ServerProcess.run(["export-intents", "--intents", directory.url.path]) }
        #expect(Self.objects(exported.output).count == 19)
        let missing = try await blocking { try ServerProcess.run(["classify", "--intents", "/nonexistent"]) }
        #expect(missing.status == 64)
        #expect(missing.error.contains("is not a directory"))
    }
}
