import Foundation
import Gateway
import NLU
import Wire

/// `orderbot classify`: one utterance a line on stdin, one JSON object a line on stdout.
enum ClassifyCommand {
    static let description = CommandDescription(
        name: "classify", summary: "classify utterances from stdin, one JSON line each", help: help, run: run)

    static let help = """
        Usage: orderbot classify [--intents DIR] [--threshold P]

        Reads utterances from standard input, one a line, and writes for each, in order and as
        soon as it is read, one JSON object a line:
          {"text":…,"intent":…,"confidence":0.0-1.0,"language":"pl"|"en",
           "entities":[{"type":…,"value":…,"start":…,"end":…}]}
        Entity offsets count Unicode scalars of the text. Bytes that are not UTF-8 are read as
        U+FFFD; an empty line is out_of_scope.

        Options:
        \(IntentsSource.help)
        """

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["intents", "threshold"], flags: ["help"])
        if parsed.has("help") {
            print(help)
            return 0
        }
        guard parsed.positionals.isEmpty else { throw UsageError("classify reads standard input and takes no arguments") }
        let settings = Settings(arguments: parsed, environment: environment)
        let understanding = LanguageUnderstanding(
            corpus: try IntentsSource.corpus(settings), configuration: try IntentsSource.configuration(settings))
        let output = StandardOutput()
        while let line = readLine(strippingNewline: true) {
            output.writeLine(json(understanding.understand(line)))
        }
        return 0
    }

    static func json(_ result: Understanding) -> String {
        var line = "{\"text\":" + JSONText.quoted(result.text)
        line += ",\"intent\":" + JSONText.quoted(result.intent.rawValue)
        line += ",\"confidence\":" + JSONText.number(result.confidence)
        line += ",\"language\":" + JSONText.quoted(result.language.rawValue)
        line += ",\"entities\":["
        line += result.entities.map { entity in
            "{\"type\":" + JSONText.quoted(entity.kind.rawValue) + ",\"value\":" + JSONText.quoted(entity.value)
                + ",\"start\":\(entity.start),\"end\":\(entity.end)}"
        }.joined(separator: ",")
        return line + "]}"
    }
}

/// Writes whole lines to standard output and flushes each, so a reader on a pipe sees every
/// answer as soon as it is ready.
struct StandardOutput {
    func writeLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
