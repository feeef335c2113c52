import Gateway
@testable import OrderBotCLI
import Payments
import Testing
import WebSite

/// Command-line parsing without running anything: precedence, validation, messages.
struct CommandLineTests {
    private func configuration(_ arguments: [String], _ environment: [String: String] = [:]) throws -> (String, Int, String) {
        let parsed = try ParsedArguments(arguments, valued: ["host", "port", "db", "log"], flags: ["help"])
        let settings = Settings(arguments: parsed, environment: environment)
        let configuration = try ServeCommand.configuration(settings)
        return (configuration.server.host, configuration.server.port, configuration.database.path)
    }

    /// With nothing set, the defaults of CONTRACT.md apply.
    @Test func defaults() throws {
        let (host, port, path) = try configuration([])
        #expect(host == "127.0.0.1" && port == 8080 && path == "./orderbot.sqlite")
    }

    /// The environment is used when no flag is given; a flag wins over it.
    @Test func flagWinsOverEnvironment() throws {
        let environment = ["ORDERBOT_PORT": "9000", "ORDERBOT_HOST": "0.0.0.0", "ORDERBOT_DB": "/tmp/env.sqlite"]
        let fromEnvironment = try configuration([], environment)
        #expect(fromEnvironment == ("0.0.0.0", 9000, "/tmp/env.sqlite"))
        let fromFlags = try configuration(["--port", "9100", "--db=/tmp/flag.sqlite"], environment)
        #expect(fromFlags == ("0.0.0.0", 9100, "/tmp/flag.sqlite"))
    }

    /// A port that is not a number in range is a usage error naming the flag and variable.
    @Test(arguments: ["eighty", "-1", "70000"])
    func invalidPortIsRefused(_ value: String) {
        let error = #expect(throws: UsageError.self) { _ = try configuration(["--port", value]) }
        #expect(error?.message.contains("--port / ORDERBOT_PORT") == true)
        #expect(error?.message.contains(value) == true)
    }

    /// The web pages' settings: frame ancestors must be origins, the site folder must exist.
    @Test func webPagesSettings() throws {
        let parsed = try ParsedArguments([], valued: [], flags: [])
        let read = { (environment: [String: String]) throws in
            try ServeCommand.webPages(Settings(arguments: parsed, environment: environment))
        }
        #expect(try read([:]) == WebPagesSettings())
        #expect(try read(["ORDERBOT_CHAT_FRAME_ANCESTORS": "https://shop.example"]).chatFrameAncestors == ["https://shop.example"])
        let ancestor = #expect(throws: UsageError.self) { _ = try read(["ORDERBOT_CHAT_FRAME_ANCESTORS": "shop.example"]) }
        #expect(ancestor?.message.contains("ORDERBOT_CHAT_FRAME_ANCESTORS") == true)
        #expect(ancestor?.message.contains("shop.example") == true)
        #expect(try read(["ORDERBOT_SITE_DIR": "/tmp"]).siteDirectory == "/tmp")
        let folder = #expect(throws: UsageError.self) { _ = try read(["ORDERBOT_SITE_DIR": "/no/such/folder"]) }
        #expect(folder?.message.contains("ORDERBOT_SITE_DIR must be a folder") == true)
    }

    /// The payment settings: a link template must be a web address naming the order, the release
    /// must come after the reminder, and nothing set leaves payments off.
    @Test func paymentSettings() throws {
        let parsed = try ParsedArguments([], valued: [], flags: [])
        let read = { (environment: [String: String]) throws in
            try ServeCommand.payments(Settings(arguments: parsed, environment: environment))
        }
        #expect(try read([:]).takesPayments == false)
        let template = "https://pay.example.com/p/{order_number}?amount={amount}&currency={currency}"
        let set = try read([
            "ORDERBOT_PAYMENT_LINK_TEMPLATE": template, "ORDERBOT_PAYMENT_SECRET": "s3cret-0123456789",
            "ORDERBOT_UNPAID_REMINDER_MINUTES": "30", "ORDERBOT_UNPAID_RELEASE_MINUTES": "120",
        ])
        #expect(set.link?.template == template && set.secret == "s3cret-0123456789")
        #expect(set.remindAfter == 1_800 && set.releaseAfter == 7_200 && set.takesPayments)
        let quick = try read(["ORDERBOT_UNPAID_REMINDER_MINUTES": "0.1", "ORDERBOT_UNPAID_RELEASE_MINUTES": "0.5"])
        #expect(quick.remindAfter == 6 && quick.releaseAfter == 30 && quick.sweepInterval == .milliseconds(1_500))
        for (variable, value, says) in [
            ("ORDERBOT_PAYMENT_LINK_TEMPLATE", "pay.example.com/{order_number}", "not an https://"),
            ("ORDERBOT_PAYMENT_LINK_TEMPLATE", "https://pay.example.com/checkout", "no {order_number}"),
            ("ORDERBOT_UNPAID_RELEASE_MINUTES", "30", "must be longer than"),
            ("ORDERBOT_UNPAID_REMINDER_MINUTES", "0", "ORDERBOT_UNPAID_REMINDER_MINUTES"),
            ("ORDERBOT_UNPAID_RELEASE_MINUTES", "soon", "number of minutes"),
        ] {
            let error = #expect(throws: UsageError.self) { _ = try read([variable: value]) }
            #expect(error?.message.contains(says) == true, "\(variable)=\(value): \(error?.message ?? "")")
        }
    }

    /// Unknown options and options without their value are usage errors.
    @Test func unknownOrIncompleteOptions() {
        #expect(throws: UsageError("unknown option --prot")) {
            try ParsedArguments(["--prot", "1"], valued: ["port"], flags: [])
        }
        #expect(throws: UsageError("--port needs a value")) {
            try ParsedArguments(["--port"], valued: ["port"], flags: [])
        }
    }

    /// An unknown log level is refused with the accepted names.
    @Test func invalidLogLevel() throws {
        let parsed = try ParsedArguments(["--log", "loud"], valued: ["log"], flags: [])
        let error = #expect(throws: UsageError.self) {
            _ = try ServeCommand.makeLogger(Settings(arguments: parsed, environment: [:]))
        }
        #expect(error?.message.contains("debug, info, warning or error") == true)
    }

    /// Every command has help that starts with its usage line.
    @Test func everyCommandHasHelp() {
        for command in CommandLineInterface.commands {
            #expect(command.help.hasPrefix("Usage: orderbot \(command.name)"))
            #expect(CommandLineInterface.overview.contains(command.name))
        }
    }
}
