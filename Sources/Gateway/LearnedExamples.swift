import Commerce
import Foundation
import NLU
import Storage

/// What agents taught the classifier (their intent labels), as training examples, so a restart
/// keeps every correction.
public enum LearnedExamples {
    /// The example `label` teaches; nil when its intent or language is not one this classifier
    /// knows (a label written by another version).
    public static func example(_ label: IntentLabel) -> TrainingExample? {
        guard let intent = Intent(rawValue: label.intent), let language = Language(rawValue: label.language) else {
            return nil
        }
        return TrainingExample(text: label.text, intent: intent, language: language)
    }

    /// Every label in the database at `path`, oldest first, as examples; none when the file does
    /// not exist or predates the labels. The file is opened read-only: nothing is created or
    /// migrated.
    public static func load(databaseAt path: String) throws -> [TrainingExample] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let database = try Database(path: path, readOnly: true)
        return try IntentLabels().all(in: database).compactMap(example)
    }
}
