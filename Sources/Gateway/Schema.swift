import Storage

/// The gateway's database schema, as the ordered list of migrations that build it.
///
/// Append new migrations at the end with the next version number; never edit one that has
/// shipped (a database that already ran it would not run it again).
public enum Schema {
    /// Every migration, oldest first.
    public static let migrations: [Migration] = [
        Migration(version: 1, name: "gateway metadata", sql: """
            CREATE TABLE gateway_metadata (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL
            ) STRICT;
            INSERT INTO gateway_metadata (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
            """),
    ]

    /// The migrator for `migrations`.
    public static func migrator() throws -> Migrator {
        try Migrator(migrations)
    }
}
