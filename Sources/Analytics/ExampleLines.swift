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
}
