import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// How hard a commit works to survive a power cut (`PRAGMA synchronous` on the writer).
public enum Durability: String, Sendable {
    /// fsync at every commit: an acknowledged commit survives a power cut.
    case full
    /// fsync at checkpoints only (WAL): a commit survives a process crash, but the last few
    /// may be lost if the machine loses power.
    case normal
}

/// Settings of a `DatabasePool`, with the defaults the server runs with.
public struct DatabaseConfiguration: Sendable {
    /// The database file; created when missing.
    public var path: String
    /// How many read-only connections serve concurrent reads.
    public var readerCount: Int
    /// How long a connection waits for a lock before failing with `SQLITE_BUSY`.
    public var busyTimeoutMilliseconds: Int32
    /// How commits are flushed to disk.
    public var durability: Durability
    /// What is tried again, and how often, when a lock is still held after the busy timeout.
    public var busyRetry: BusyRetry

    public init(
        path: String, readerCount: Int = 4, busyTimeoutMilliseconds: Int32 = 5_000, durability: Durability = .full,
        busyRetry: BusyRetry = BusyRetry()
    ) {
        self.path = path
        self.busyRetry = busyRetry
        self.readerCount = max(1, readerCount)
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.durability = durability
    }
}

/// The process's access to one SQLite file: one writer connection and a few reader connections,
/// WAL mode so readers never wait for the writer and always see committed data only.
///
/// Writes are serialized through the single writer: a blocking write runs in an IMMEDIATE
/// transaction of its own, the `async` ones are committed in groups (one fsync for all the
/// writes waiting at the time, each in its own savepoint);
/// reads run in a deferred transaction on a free reader, so each sees one consistent snapshot.
/// The synchronous methods block the calling thread; the `async` ones run the work on the
/// pool's own threads, never on Swift's cooperative pool.
public final class DatabasePool: Sendable {
    /// The database file.
    public let path: String
    private let writer: SerializedConnection
    private let groups: WriteGroups
    private let readers: [SerializedConnection]
    private let freeReaders: Mutex<[Int]>
    private let readerSlots: DispatchSemaphore
    private let readerQueue = DispatchQueue(label: "orderbot.database.readers", attributes: .concurrent)
    private let busyRetry: BusyRetry

    /// Opens the file, switches it to WAL mode, and brings its schema up to date with `migrator`.
    public init(_ configuration: DatabaseConfiguration, migrator: Migrator) throws {
        let writerConnection = try Database(
            path: configuration.path, busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds,
            busyRetry: configuration.busyRetry)
        try writerConnection.execute("PRAGMA journal_mode = WAL")
        try writerConnection.execute("PRAGMA synchronous = \(configuration.durability.rawValue.uppercased())")
        // Deleted and overwritten content is zeroed, not left in free space: what is erased
        // (a customer, a handled event's payload) leaves the file at the next checkpoint.
        try writerConnection.execute("PRAGMA secure_delete = ON")
        // A damaged file is refused at once, before anything is written to it.
        let findings = try writerConnection.query("PRAGMA quick_check(3)") { $0.string(0) }
        guard findings == ["ok"] else { throw StorageError.damaged(path: configuration.path, findings: findings) }
        try migrator.migrate(writerConnection)
        self.path = configuration.path
        busyRetry = configuration.busyRetry
        let writer = SerializedConnection(writerConnection)
        self.writer = writer
        self.groups = WriteGroups { writes in
            try writer.withDatabase { database in try database.inTransaction(.immediate) { writes(database) } }
        }
        self.readers = try (0..<configuration.readerCount).map { _ in
            SerializedConnection(try Database(
                path: configuration.path, readOnly: true,
                busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds, busyRetry: configuration.busyRetry))
        }
        self.freeReaders = Mutex(Array(0..<configuration.readerCount))
        self.readerSlots = DispatchSemaphore(value: configuration.readerCount)
    }

    /// Runs `body` in a write transaction on the writer, blocking until it commits or rolls back.
    public func write<Value>(_ body: (Database) throws -> Value) throws -> Value {
        try writer.withDatabase { database in
            try database.inTransaction(.immediate) { try body(database) }
        }
    }

    /// How many `async` writes were committed since the pool opened, and in how many
    /// transactions (each one fsync): the mean group size is their ratio.
    public var groupedWrites: (writes: Int, commits: Int) { groups.committed }

    /// Every time a lock was waited for again after the busy timeout (`BusyRetry`).
    public var busyRetries: Int { busyRetry.made }

    /// Runs `body` on a reader in a read transaction (one consistent snapshot), blocking.
    public func read<Value>(_ body: (Database) throws -> Value) throws -> Value {
        readerSlots.wait()
        let index = freeReaders.withLock { $0.removeLast() }
        defer {
            freeReaders.withLock { $0.append(index) }
            readerSlots.signal()
        }
        return try readers[index].withDatabase { database in
            try database.inTransaction(.deferred) { try body(database) }
        }
    }

    /// Runs `body` on the writer outside any transaction (pragmas, VACUUM, checkpoints).
    public func withWriter<Value>(_ body: (Database) throws -> Value) throws -> Value {
        try writer.withDatabase(body)
    }

    /// Folds the WAL into the file and truncates it, so that what was overwritten is in neither
    /// (after an erasure). A reader in the middle of a snapshot holds it up: tried `attempts`
    /// times, 20 ms apart, without holding the writer in between. False when it never completed.
    @discardableResult
    public func checkpoint(attempts: Int = 50) throws -> Bool {
        for attempt in 0..<max(1, attempts) {
            if attempt > 0 { usleep(20_000) }
            let busy = try withWriter { database in
                try database.queryFirst("PRAGMA wal_checkpoint(TRUNCATE)") { $0.int(0) } ?? 1
            }
            if busy == 0 { return true }
        }
        return false
    }

    /// Closes every connection: readers first, the writer last, so SQLite checkpoints the WAL into
    /// the file and removes it. Uses in progress finish first; later ones throw `SQLiteError.closed`.
    public func close() {
        readers.forEach { $0.close() }
        writer.close()
    }

    /// Like `write(_:)`, suspending the caller until the write is durable, but committed with the
    /// other writes waiting at the time: one transaction and one fsync for the group, `body` in a
    /// savepoint of its own that rolls back alone when it throws (`WriteGroups`).
    public func write<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await groups.write(body)
    }

    /// Like `read(_:)`, on one of the pool's reader threads, suspending the caller until it is done.
    public func read<Value: Sendable>(_ body: @escaping @Sendable (Database) throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            readerQueue.async {
                continuation.resume(with: Result { try self.read(body) })
            }
        }
    }
}

/// A connection that is used by one thread at a time: every use holds `lock`.
///
/// `@unchecked Sendable` because `Database` wraps a C handle that is not thread-safe on its own
/// (opened with SQLITE_OPEN_NOMUTEX); the lock is what makes sharing it safe, and the handle never
/// leaves `withDatabase`'s closure.
final class SerializedConnection: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    private var database: Database?

    init(_ database: Database) {
        self.database = database
    }

    func withDatabase<Value>(_ body: (Database) throws -> Value) throws -> Value {
        try lock.withLock { _ in
            guard let database else { throw SQLiteError.closed }
            return try body(database)
        }
    }

    /// Closes the connection once any use in progress is over.
    func close() {
        lock.withLock { _ in database = nil }
    }
}
