import Commerce
import Dialogue
import Engine
import Foundation
import Gateway
import NLU

/// `orderbot chat`: a conversation with the bot in the terminal, on the same engine and database
/// as `serve`.
enum ChatCommand {
    static let description = CommandDescription(
        name: "chat", summary: "talk to the bot in the terminal (same engine and database as serve)", help: help, run: run)

    static let help = """
        Usage: orderbot chat [--lang pl|en] [--customer ID] [--db PATH]

        Talks to the bot on standard input and output: type a message, press Enter, read the
        answer. Quick replies are shown as [chips]; typing a chip's text taps it. End with an
        empty line at end of input (Ctrl-D).

        Each session is a new web-chat customer unless --customer names an existing one (its id
        is printed at the start), who then continues their terminal conversation.

        Options:
          --lang pl|en     the language to start in (default: detected from the first message)
          --customer ID    talk as this customer
        \(EngineSetup.help)
        \(IntentsSource.help)
        """

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> Int32 {
        let parsed = try ParsedArguments(
            arguments, valued: ["lang", "customer", "db", "intents", "threshold"], flags: ["help"])
        if parsed.has("help") {
            print(help)
            return 0
        }
        guard parsed.positionals.isEmpty else { throw UsageError("chat takes no arguments (got \(parsed.positionals))") }
        let settings = Settings(arguments: parsed, environment: environment)
        var language: Language?
        if let code = parsed.options["lang"] {
            guard let chosen = Language(rawValue: code) else { throw UsageError("--lang must be pl or en (got \"\(code)\")") }
            language = chosen
        }
        var sender = InboundMessage.Sender.identity(Identity(.web, "terminal-\(UUID().uuidString.lowercased())"))
        var thread = "terminal-\(UUID().uuidString.lowercased())"
        if let text = parsed.options["customer"] {
            guard let id = Int64(text), id > 0 else { throw UsageError("--customer must be a customer id (got \"\(text)\")") }
            sender = .customer(id)
            thread = "terminal-customer-\(id)"
        }
        let path = settings.string(flag: "db", variable: "ORDERBOT_DB") ?? "./orderbot.sqlite"
        let engine = try EngineSetup.engine(path: path, settings: settings)
        let output = StandardOutput()
        var chips: [QuickReply] = []
        var announced = false
        while let line = readLine(strippingNewline: true) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            let tapped = chips.first { $0.title.lowercased() == text.lowercased() }
            let message = InboundMessage(
                channel: .terminal, sender: sender, thread: thread, text: text, payload: tapped?.payload.rawValue,
                language: language)
            let outcome = try engine.handleNow(message)
            if !announced {
                output.writeLine("(customer \(outcome.customerID), conversation \(outcome.conversationID))")
                announced = true
            }
            for reply in outcome.replies {
                output.writeLine("bot> " + reply.text)
                if !reply.quickReplies.isEmpty {
                    output.writeLine("     " + reply.quickReplies.map { "[\($0.title)]" }.joined(separator: " "))
                }
            }
            if outcome.mode == .human {
                output.writeLine(outcome.replies.isEmpty ? "(with an agent: your message is queued for them)" : "(handed to an agent)")
            }
            chips = outcome.replies.last?.quickReplies ?? []
        }
        return 0
    }
}
