/// One step of the schema: applied once, in order, inside its own transaction.
public struct Migration: Sendable {
    /// The schema version this migration brings the database to (1, 2, 3, …).
    public let version: Int
    /// A short name for logs and errors.
    public let name: String
    /// Whether the migration rebuilds tables that others refer to (create a new table, copy, drop
    /// the old one, rename): it then runs with foreign keys off, and its transaction commits only
    /// if `PRAGMA foreign_key_check` finds nothing (SQLite's documented way to change a table's
    /// constraints).
    public let rebuildsTables: Bool
    private let apply: @Sendable (Database) throws -> Void

    /// A migration that runs `body` against the database.
    public init(version: Int, name: String, rebuildsTables: Bool = false, body: @escaping @Sendable (Database) throws -> Void) {
        self.version = version
        self.name = name
        self.rebuildsTables = rebuildsTables
        self.apply = body
    }

    /// A migration that runs the statements in `sql`.
    public init(version: Int, name: String, rebuildsTables: Bool = false, sql: String) {
        self.init(version: version, name: name, rebuildsTables: rebuildsTables) { database in try database.execute(sql) }
    }

    func run(on database: Database) throws {
        try apply(database)
    }
}

/// Brings a database to the newest schema the binary knows, and refuses newer ones.
///
/// The schema version lives in `PRAGMA user_version`. Each pending migration runs in an
/// IMMEDIATE transaction that re-reads the version first, so two processes starting at once
/// apply each migration exactly once.
public struct Migrator: Sendable {
    /// The migrations, ordered by version.
    public let migrations: [Migration]

    /// A migrator for `migrations`, which must be numbered 1, 2, 3, … without gaps.
    public init(_ migrations: [Migration]) throws(StorageError) {
        let versions = migrations.map(\.version)
        guard versions == Array(stride(from: 1, through: migrations.count, by: 1)) else {
            throw .migrationsOutOfOrder(versions: versions)
        }
        self.migrations = migrations
    }

    /// The newest schema version the migrations reach.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies every migration the database has not seen; returns those applied, oldest first.
    @discardableResult
    public func migrate(_ database: Database) throws -> [Migration] {
        try refuseNewerSchema(try database.schemaVersion(), of: database)
        var applied: [Migration] = []
        for migration in migrations {
            // Foreign keys can be switched only outside a transaction.
            if migration.rebuildsTables { try database.execute("PRAGMA foreign_keys = OFF") }
            defer { if migration.rebuildsTables { try? database.execute("PRAGMA foreign_keys = ON") } }
            let ran = try database.inTransaction(.immediate) { () throws -> Bool in
                let current = try database.schemaVersion()
                try refuseNewerSchema(current, of: database)
                guard current < migration.version else { return false }
                do {
                    try migration.run(on: database)
                    if migration.rebuildsTables, let table = try database.queryFirst("PRAGMA foreign_key_check", as: { $0.string(0) }) {
                        throw StorageError.migrationBrokeForeignKeys(version: migration.version, name: migration.name, table: table)
                    }
                    try database.setSchemaVersion(migration.version)
                } catch let failure as SQLiteError {
                    throw StorageError.migrationFailed(
                        version: migration.version, name: migration.name, underlying: failure)
                }
                return true
            }
            if ran { applied.append(migration) }
        }
        return applied
    }

    private func refuseNewerSchema(_ version: Int, of database: Database) throws(StorageError) {
        guard version <= latestVersion else {
            throw .schemaTooNew(path: database.path, found: version, supported: latestVersion)
        }
    }
}
