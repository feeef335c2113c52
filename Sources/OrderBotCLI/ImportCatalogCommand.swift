import Commerce
import Foundation
import Storage

/// `orderbot import-catalog FILE.csv`: loads or updates the catalog from a CSV, all or nothing.
enum ImportCatalogCommand {
    static let description = CommandDescription(
        name: "import-catalog", summary: "load or update products from a catalog CSV (all rows or none)", help: help,
        run: run)

    static let help = """
        Usage: orderbot import-catalog FILE.csv [--db PATH]

        Loads the catalog CSV into the database, in one transaction: every row, or (when any row
        is wrong) none, with the line and field of the first problem. Importing again updates
        products and variants in place (price, stock, names, aliases); products and variants not
        in the file are left as they are. FILE may be - for standard input.

        The file is UTF-8 with a header row and one row per sellable variant:
          sku,product_id,name_pl,name_en,category,size,color,price,currency,stock,aliases
        price has two decimals (349.00); currency is ISO 4217 (empty means PLN); stock is a whole
        number, 0 or more; aliases is a ;-separated list of other names customers use. Rows
        sharing a product_id are one product and must agree on names, category and aliases.

        Options (a flag wins over its environment variable):
          --db PATH        ORDERBOT_DB      SQLite database file              (default ./orderbot.sqlite)

        Exit status: 0 imported, 1 the file was refused (nothing changed), 64 usage error.
        """

    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> Int32 {
        let parsed = try ParsedArguments(arguments, valued: ["db"], flags: ["help"])
        if parsed.has("help") {
            print(help)
            return 0
        }
        guard parsed.positionals.count == 1, let file = parsed.positionals.first else {
            throw UsageError("import-catalog takes one FILE.csv (got \(parsed.positionals.count) arguments)")
        }
        let settings = Settings(arguments: parsed, environment: environment)
        let path = settings.string(flag: "db", variable: "ORDERBOT_DB") ?? "./orderbot.sqlite"
        let text = try read(file)
        let database = try DatabasePool(DatabaseConfiguration(path: path, readerCount: 1), migrator: Schema.migrator())
        defer { database.close() }
        do {
            let summary = try await database.write { db in try CatalogImport().apply(text, in: db) }
            print("\(file): \(summary)")
            return 0
        } catch let error as CatalogImportError {
            CommandLineInterface.printError("\(file): \(error); nothing was imported")
            return 1
        }
    }

    private static func read(_ file: String) throws -> String {
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
        guard let data else { throw ImportFailure(message: "cannot read \(file)") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ImportFailure(message: "\(file) is not UTF-8 text; nothing was imported")
        }
        return text
    }

    struct ImportFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
