import Foundation
import NLU

/// Where the commands get the training data: `--intents DIR` or `ORDERBOT_INTENTS`, else the
/// copy of Intents/ compiled into the binary.
enum IntentsSource {
    static let help = """
          --intents DIR    ORDERBOT_INTENTS   read training data from DIR (laid out like Intents/)
                                              instead of the copy built into orderbot
          --threshold P    ORDERBOT_INTENT_THRESHOLD
                                              below this probability the answer is out_of_scope
                                              (0 to 1, default 0.35)
        """

    /// The understanding settings from `--threshold` / `ORDERBOT_INTENT_THRESHOLD`.
    static func configuration(_ settings: Settings) throws(UsageError) -> UnderstandingConfiguration {
        var configuration = UnderstandingConfiguration()
        if let text = settings.string(flag: "threshold", variable: "ORDERBOT_INTENT_THRESHOLD") {
            guard let value = Double(text), (0...1).contains(value) else {
                throw UsageError("--threshold / ORDERBOT_INTENT_THRESHOLD must be a number from 0 to 1 (got \"\(text)\")")
            }
            configuration.outOfScopeThreshold = value
        }
        return configuration
    }

    static func corpus(_ settings: Settings) throws -> IntentCorpus {
        if let directory = settings.string(flag: "intents", variable: "ORDERBOT_INTENTS") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw UsageError("--intents / ORDERBOT_INTENTS: \(directory) is not a directory")
            }
            return try IntentCorpus.load(directory: URL(fileURLWithPath: directory))
        }
        return try IntentCorpus.embedded()
    }
}
