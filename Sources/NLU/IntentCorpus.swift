import Foundation

/// The training data of Intents/: one folder per intent with `pl.txt` and `en.txt` (one example
/// a line, `#` comments), plus word lists under `entities/`.
public struct IntentCorpus: Sendable {
    /// Every example, in file order.
    public let examples: [TrainingExample]
    /// The word lists of `entities/`, by file name without `.txt` (`color`, `delivery_method`, …).
    public let lexicons: [String: Lexicon]

    /// Why the corpus could not be read.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case unknownIntent(folder: String)
        case unknownLanguage(file: String)
        case unreadable(file: String)
        case badLexiconLine(file: String, line: Int)
        case missingIntents([Intent])

        public var description: String {
            switch self {
            case .unknownIntent(let folder):
                "Intents/\(folder) is not an intent; the folders are named \(Intent.allCases.map(\.rawValue).joined(separator: ", "))"
            case .unknownLanguage(let file):
                "Intents/\(file): example files are named pl.txt or en.txt"
            case .unreadable(let file):
                "cannot read \(file) as UTF-8 text"
            case .badLexiconLine(let file, let line):
                "Intents/\(file) line \(line): expected `canonical: word, word, …`"
            case .missingIntents(let intents):
                "no examples for \(intents.map(\.rawValue).joined(separator: ", "))"
            }
        }
    }

    /// The corpus compiled into the binary from Intents/.
    public static func embedded() throws(Failure) -> IntentCorpus {
        try IntentCorpus(files: EmbeddedIntents.files)
    }

    /// The corpus in a directory laid out like Intents/ (to try edits without rebuilding).
    public static func load(directory: URL) throws(Failure) -> IntentCorpus {
        let paths = (FileManager.default.subpaths(atPath: directory.path) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
        var files: [(path: String, contents: String)] = []
        for path in paths {
            let url = directory.appendingPathComponent(path)
            guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8)
            else { throw .unreadable(file: url.path) }
            files.append((path, text))
        }
        return try IntentCorpus(files: files)
    }

    /// A corpus from `files` (path below Intents/ and contents).
    public init(files: [(path: String, contents: String)]) throws(Failure) {
        var examples: [TrainingExample] = []
        var lexicons: [String: Lexicon] = [:]
        for (path, contents) in files {
            let parts = path.split(separator: "/").map(String.init)
            guard parts.count == 2 else { continue }
            if parts[0] == "entities" {
                let name = String(parts[1].dropLast(4))
                lexicons[name] = try Lexicon(contents: contents, file: path)
                continue
            }
            guard let intent = Intent(rawValue: parts[0]) else { throw .unknownIntent(folder: parts[0]) }
            guard let language = Language(rawValue: String(parts[1].dropLast(4))) else { throw .unknownLanguage(file: path) }
            for line in Self.exampleLines(contents) {
                examples.append(TrainingExample(text: line, intent: intent, language: language))
            }
        }
        let missing = Intent.allCases.filter { intent in !examples.contains { $0.intent == intent } }
        guard missing.isEmpty else { throw .missingIntents(missing) }
        self.examples = examples
        self.lexicons = lexicons
    }

    /// The non-blank, non-comment lines of an examples file, trimmed.
    static func exampleLines(_ contents: String) -> [String] {
        contents.split(whereSeparator: \.isNewline).compactMap { raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            return line.isEmpty || line.hasPrefix("#") ? nil : line
        }
    }
}

/// A word list from Intents/entities: canonical values and the words (or word beginnings, with
/// a trailing `*`) that mean them. Matched after lowercasing and diacritics folding.
public struct Lexicon: Sendable {
    /// One way to say a value: words in order; a word ending in `*` matches any word it begins.
    public struct Phrase: Sendable, Hashable {
        public let value: String
        public let words: [String]
    }

    public let phrases: [Phrase]

    init(contents: String, file: String) throws(IntentCorpus.Failure) {
        var phrases: [Phrase] = []
        for (number, raw) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let colon = line.firstIndex(of: ":") else { throw .badLexiconLine(file: file, line: number + 1) }
            let value = line[..<colon].trimmingCharacters(in: .whitespaces)
            let synonyms = line[line.index(after: colon)...].split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            guard !value.isEmpty, !synonyms.isEmpty else { throw .badLexiconLine(file: file, line: number + 1) }
            for synonym in synonyms {
                let words = TextFolding.fold(synonym).split(separator: " ").map(String.init)
                phrases.append(Phrase(value: value, words: words))
            }
        }
        self.init(phrases: phrases)
    }

    /// A lexicon built in code (for tests and callers with their own lists).
    public init(phrases: [Phrase]) {
        self.phrases = phrases
    }
}
