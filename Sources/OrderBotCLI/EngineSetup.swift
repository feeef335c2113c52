import Commerce
import Dialogue
import Engine
import Foundation
import Gateway
import NLU
import Storage

/// Opens the database and builds the conversation engine, as `chat` and `replay` need it.
enum EngineSetup {
    static let help = """
          --db PATH        ORDERBOT_DB      SQLite database file              (default ./orderbot.sqlite)
                           ORDERBOT_ORDER_STALE_MINUTES
                                            minutes after which a half-finished order is dropped
                                            (default 30)
          ORDERBOT_SHOP_FACTS               JSON file of the shop's facts (default: the demo shop)
        """

    /// The dialogue settings from the environment.
    static func dialogueSettings(_ settings: Settings) throws(UsageError) -> DialogueSettings {
        let minutes = try settings.integer(variable: "ORDERBOT_ORDER_STALE_MINUTES", in: 1...10_080, default: 30)
        return DialogueSettings(staleOrderAfter: TimeInterval(minutes * 60))
    }

    /// The engine on the database at `path` (migrated, the demo catalog loaded into an empty one).
    static func engine(path: String, settings: Settings, now: @escaping @Sendable () -> Date = { Date() })
        throws -> ConversationEngine
    {
        let database = try DatabasePool(DatabaseConfiguration(path: path), migrator: Schema.migrator())
        _ = try database.write { db in try DemoCatalog.seedIfEmpty(in: db, now: now) }
        let understanding = LanguageUnderstanding(
            corpus: try IntentsSource.corpus(settings), configuration: try IntentsSource.configuration(settings))
        let configuration = EngineConfiguration(
            facts: try ServeCommand.shopFacts(settings), dialogue: try dialogueSettings(settings))
        return try ConversationEngine(database: database, understanding: understanding, configuration: configuration, now: now)
    }
}
