import NLU
import Wire

/// Training examples as JSON lines, the format `orderbot export-intents` prints and
/// `GET /api/analytics/examples` serves: `{"text":…,"intent":…,"language":"pl"|"en"}`.
package enum ExampleLines {
    /// One example's line, without the newline; with `fold`, the cross-validation fold it is in.
    package static func line(_ example: TrainingExample, fold: Int? = nil) -> String {
        "{\"text\":" + JSONText.quoted(example.text) + ",\"intent\":" + JSONText.quoted(example.intent.rawValue)
            + ",\"language\":" + JSONText.quoted(example.language.rawValue) + (fold.map { ",\"fold\":\($0)" } ?? "") + "}"
    }

    /// One example as a line of `Intents/<intent>/<language>.txt`: its text on one line, and
    /// never a `#` first (which would make it a comment there).
    package static func intentsFileLine(_ example: TrainingExample) -> String {
        let flat = example.text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        return flat.hasPrefix("#") ? String(flat.drop { $0 == "#" }).trimmingCharacters(in: .whitespaces) : flat
    }
}
