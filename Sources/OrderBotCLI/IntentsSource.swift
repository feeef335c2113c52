import Foundation
import NLU

/// Where the commands get the training data: `--intents DIR` or `ORDERBOT_INTENTS`, else the
/// copy of Intents/ compiled into the binary.
enum IntentsSource {
    static let help = """
          --intents DIR    ORDERBOT_INTENTS   read training data from DIR (laid out like Intents/)
                                              instead of the copy built into orderbot
        """

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
