import Foundation
import Storage

/// Conversations, their transcripts and the dialogue state, on every channel.
///
/// Methods take the caller's transaction, so a customer message, the state it leads to and the
/// answer commit together.
public struct Conversations: Sendable {
    private let now: Now

    public init(now: @escaping Now = { Date() }) {
        self.now = now
    }

    /// The customer's open conversation on `channel` with `externalID`, or a new one.
    public func open(
        customer: Int64, channel: ConversationChannel, externalID: String?, language: String = "pl", in db: Database
    ) throws -> Conversation {
        if let externalID, let existing = try db.queryFirst(
            Self.select + " WHERE channel = ? AND external_id = ? AND closed_at IS NULL ORDER BY id DESC",
            channel.rawValue, externalID, as: Self.conversation) {
            return existing
        }
        guard try db.queryFirst(
            "SELECT 1 FROM customers WHERE id = ? AND merged_into IS NULL", customer, as: { _ in true }) == true
        else { throw CommerceError.unknownCustomer(customer) }
        let stamp = Timestamps.text(now())
        try db.run("""
            INSERT INTO conversations (customer_id, channel, external_id, language, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, customer, channel.rawValue, externalID, language, stamp, stamp)
        return try require(db.lastInsertedRowID, in: db)
    }

    /// The open conversation on `channel` with `externalID`, or nil (nothing is created).
    public func open(channel: ConversationChannel, externalID: String, in db: Database) throws -> Conversation? {
        try db.queryFirst(
            Self.select + " WHERE channel = ? AND external_id = ? AND closed_at IS NULL ORDER BY id DESC",
            channel.rawValue, externalID, as: Self.conversation)
    }

    /// The conversation with `id`, or nil.
    public func find(_ id: Int64, in db: Database) throws -> Conversation? {
        try db.queryFirst(Self.select + " WHERE id = ?", id, as: Self.conversation)
    }

    /// What a turn planned on a snapshot must find unchanged before it writes: the state's
    /// version, the mode and the customer; nil for no such conversation.
    public func stamp(of conversation: Int64, in db: Database) throws -> ConversationStamp? {
        try db.queryFirst("SELECT state_version, mode, customer_id FROM conversations WHERE id = ?", conversation) { row in
            ConversationStamp(
                stateVersion: row.int64(0), mode: ConversationMode(rawValue: row.string(1)) ?? .bot, customerID: row.int64(2))
        }
    }

    /// A customer's conversations, most recently active first.
    public func conversations(ofCustomer customer: Int64, limit: Int = 50, in db: Database) throws -> [Conversation] {
        try db.query(Self.select + " WHERE customer_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?", customer, limit,
                     as: Self.conversation)
    }

    /// Stores a message at the end of the conversation's transcript.
    @discardableResult
    public func append(_ message: NewMessage, to conversation: Int64, in db: Database) throws -> Message {
        let current = try require(conversation, in: db)
        let stamp = Timestamps.text(now())
        let stored = try insert(message, into: current, at: stamp, in: db)
        try db.run("UPDATE conversations SET updated_at = ? WHERE id = ?", stamp, conversation)
        return stored
    }

    /// Appends a message to a conversation read in this transaction, leaving `updated_at` to the
    /// `saveState` that ends the turn: each update rewrites the conversation's row, state and all.
    public func appendInTurn(_ message: NewMessage, to conversation: Conversation, in db: Database) throws -> Message {
        try insert(message, into: conversation, at: Timestamps.text(now()), in: db)
    }

    private func insert(_ message: NewMessage, into conversation: Conversation, at stamp: String, in db: Database) throws -> Message {
        try db.run("""
            INSERT INTO messages (conversation_id, direction, author, channel, text, intent, confidence, external_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, conversation.id, message.direction.rawValue, message.author.rawValue, conversation.channel.rawValue,
            message.text, message.intent, message.confidence, message.externalID, stamp)
        return Message(
            id: db.lastInsertedRowID, conversationID: conversation.id, direction: message.direction, author: message.author,
            channel: conversation.channel, text: message.text, intent: message.intent, confidence: message.confidence,
            externalID: message.externalID, createdAt: Timestamps.date(stamp) ?? now())
    }

    /// The transcript of one conversation, oldest first.
    public func messages(of conversation: Int64, in db: Database) throws -> [Message] {
        try db.query("""
            SELECT id, conversation_id, direction, author, channel, text, intent, confidence, external_id, created_at
            FROM messages WHERE conversation_id = ? ORDER BY id
            """, conversation, as: Self.message)
    }

    /// Every message of a customer, on every channel, oldest first: the whole story for an agent.
    public func messages(ofCustomer customer: Int64, limit: Int = 500, in db: Database) throws -> [Message] {
        let ids = try db.query("""
            SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE c.customer_id = ? ORDER BY m.id DESC LIMIT ?
            """, customer, limit) { $0.int64(0) }
        guard let oldest = ids.last else { return [] }
        return try db.query("""
            SELECT m.id, m.conversation_id, m.direction, m.author, m.channel, m.text, m.intent, m.confidence,
                   m.external_id, m.created_at
            FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE c.customer_id = ? AND m.id >= ? ORDER BY m.id
            """, customer, oldest, as: Self.message)
    }

    /// Replaces the dialogue state, provided nobody changed it since `expectedVersion` was read;
    /// returns the new version.
    @discardableResult
    public func saveState(
        _ state: String, of conversation: Int64, expectedVersion: Int64, reached step: OrderFunnelStep? = nil, in db: Database
    ) throws -> Int64 {
        let changed = try db.run("""
            UPDATE conversations SET state = ?, state_version = state_version + 1, updated_at = ?, order_step = max(order_step, ?)
            WHERE id = ? AND state_version = ?
            """, state, Timestamps.text(now()), step?.rawValue ?? 0, conversation, expectedVersion)
        guard changed == 1 else {
            _ = try require(conversation, in: db)
            throw CommerceError.staleState(conversation: conversation, expected: expectedVersion)
        }
        return expectedVersion + 1
    }

    /// Switches who answers the customer.
    public func setMode(_ mode: ConversationMode, of conversation: Int64, in db: Database) throws {
        _ = try require(conversation, in: db)
        try db.run("UPDATE conversations SET mode = ?, updated_at = ? WHERE id = ?",
                   mode.rawValue, Timestamps.text(now()), conversation)
    }

    /// Ends a conversation; the customer's next message on that channel starts a new one.
    public func close(_ conversation: Int64, in db: Database) throws {
        _ = try require(conversation, in: db)
        let stamp = Timestamps.text(now())
        try db.run("UPDATE conversations SET mode = 'bot', closed_at = coalesce(closed_at, ?), updated_at = ? WHERE id = ?",
                   stamp, stamp, conversation)
    }

    /// How many messages each of a customer's conversations has (conversations without any
    /// are absent).
    public func messageCounts(ofCustomer customer: Int64, in db: Database) throws -> [Int64: Int] {
        let rows = try db.query("""
            SELECT m.conversation_id, count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE c.customer_id = ? GROUP BY m.conversation_id
            """, customer) { ($0.int64(0), $0.int(1)) }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    private func require(_ id: Int64, in db: Database) throws -> Conversation {
        guard let conversation = try find(id, in: db) else { throw CommerceError.unknownConversation(id) }
        return conversation
    }

    private static let select = """
        SELECT id, customer_id, channel, external_id, language, mode, state, state_version, created_at, updated_at,
               closed_at FROM conversations
        """

    private static func message(_ row: Row) -> Message {
        Message(
            id: row.int64(0), conversationID: row.int64(1),
            direction: MessageDirection(rawValue: row.string(2)) ?? .inbound,
            author: MessageAuthor(rawValue: row.string(3)) ?? .system,
            channel: ConversationChannel(rawValue: row.string(4)) ?? .web, text: row.string(5),
            intent: row.optionalString(6), confidence: row.isNull(7) ? nil : row.double(7),
            externalID: row.optionalString(8), createdAt: Timestamps.date(row.string(9)) ?? .distantPast)
    }

    private static func conversation(_ row: Row) -> Conversation {
        Conversation(
            id: row.int64(0), customerID: row.int64(1), channel: ConversationChannel(rawValue: row.string(2)) ?? .web,
            externalID: row.optionalString(3), language: row.string(4), mode: ConversationMode(rawValue: row.string(5)) ?? .bot,
            state: row.string(6), stateVersion: row.int64(7), createdAt: Timestamps.date(row.string(8)) ?? .distantPast,
            updatedAt: Timestamps.date(row.string(9)) ?? .distantPast, closedAt: row.optionalString(10).flatMap(Timestamps.date))
    }
}

/// The parts of a conversation a planned turn checks before it commits.
public struct ConversationStamp: Sendable, Equatable {
    public let stateVersion: Int64
    public let mode: ConversationMode
    public let customerID: Int64
}
