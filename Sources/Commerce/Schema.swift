import Storage

/// The gateway's database schema, as the ordered list of migrations that build it. Every table
/// of the system of record is defined here, so the versions form one line.
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
        Migration(version: 2, name: "customers, catalog, orders, conversations, escalations", sql: commerce),
        Migration(version: 3, name: "outbox of replies for push channels", sql: outbox),
        Migration(version: 4, name: "inbox of channel events; outbox delivery progress", sql: inbox),
        Migration(version: 5, name: "agents and their intent labels", sql: agents),
        Migration(version: 6, name: "trust of identities, claimed contacts, one-time codes, notifications", sql: trust),
        Migration(version: 7, name: "hot tables' value checks without a temporary index per row", rebuildsTables: true,
                  sql: cheapChecks),
        // A customer's latest orders are read on most turns; sorted by a temporary b-tree, even
        // for a customer with none, before this index.
        Migration(version: 8, name: "a customer's orders newest first from an index", sql: """
            CREATE INDEX orders_by_customer_newest ON orders(customer_id, created_at DESC, id DESC);
            DROP INDEX orders_by_customer;
            """),
        // An erased customer's row stays (their orders keep it for the books) without a name or
        // contact; when it was erased says the record is gone for the API (404, as after any DELETE).
        Migration(version: 9, name: "when a customer was erased", sql: """
            ALTER TABLE customers ADD COLUMN erased_at TEXT;
            """),
        // The outbox of order events for the shop's ERP (`OrderEvents`): written with the change,
        // sent oldest first within each order, kept once sent until the retention purges it.
        Migration(version: 10, name: "order events for the ERP", sql: """
            CREATE TABLE order_events (
                id INTEGER PRIMARY KEY,
                public_id TEXT NOT NULL UNIQUE,
                order_id INTEGER NOT NULL REFERENCES orders(id),
                event TEXT NOT NULL,
                occurred_at TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'sent'),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                last_error TEXT,
                sent_at TEXT
            ) STRICT;
            CREATE INDEX order_events_pending ON order_events(status, order_id, id);
            """),
        Migration(version: 11, name: "order lifecycle: packed and returned, tracking, payments, idempotency keys, order notices",
                  rebuildsTables: true, sql: orderLifecycle),
        // The shop owner's view: how far each conversation got towards an order (`OrderFunnelStep`,
        // written with the state on every turn), conversations by when they started (the
        // summary's date range), and customers' messages by channel, intent and time with their
        // confidence: the summary counts each channel's and intent's messages of a period as one
        // range of this index, never reading a text nor sorting (a million messages: 0.4 s by a
        // scan and a sort, under 0.1 s so). Conversations that placed an order before are `placed`.
        Migration(version: 12, name: "order funnel step of conversations; conversations by start", sql: """
            ALTER TABLE conversations ADD COLUMN order_step INTEGER NOT NULL DEFAULT 0;
            UPDATE conversations SET order_step = 5
                WHERE id IN (SELECT conversation_id FROM orders WHERE conversation_id IS NOT NULL);
            CREATE INDEX conversations_by_start ON conversations(created_at);
            CREATE INDEX messages_from_customers_by_intent ON messages(channel, intent, created_at, confidence)
                WHERE direction = 'in' AND author = 'customer';
            """),
    ]

    /// The migrator for `migrations`.
    public static func migrator() throws -> Migrator {
        try Migrator(migrations)
    }

    /// Times are ISO 8601 UTC text with milliseconds; money is integer minor units (grosze).
    private static let commerce = """
        CREATE TABLE customers (
            id INTEGER PRIMARY KEY,
            name TEXT,
            phone TEXT,
            email TEXT,
            language TEXT NOT NULL DEFAULT 'pl' CHECK (language IN ('pl', 'en')),
            created_at TEXT NOT NULL,
            merged_into INTEGER REFERENCES customers(id)
        ) STRICT;

        CREATE TABLE customer_identities (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            channel TEXT NOT NULL CHECK (channel IN ('messenger', 'phone', 'web', 'email')),
            external_id TEXT NOT NULL,
            linked_at TEXT NOT NULL,
            UNIQUE (channel, external_id)
        ) STRICT;
        CREATE INDEX customer_identities_by_customer ON customer_identities(customer_id);

        CREATE TABLE customer_merges (
            id INTEGER PRIMARY KEY,
            survivor_id INTEGER NOT NULL REFERENCES customers(id),
            merged_id INTEGER NOT NULL REFERENCES customers(id),
            trigger_channel TEXT NOT NULL,
            trigger_external_id TEXT NOT NULL,
            moved TEXT NOT NULL,
            merged_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE products (
            id TEXT PRIMARY KEY NOT NULL,
            name_pl TEXT NOT NULL,
            name_en TEXT NOT NULL,
            category TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE product_aliases (
            product_id TEXT NOT NULL REFERENCES products(id),
            alias TEXT NOT NULL,
            PRIMARY KEY (product_id, alias)
        ) STRICT;

        CREATE TABLE variants (
            sku TEXT PRIMARY KEY NOT NULL,
            product_id TEXT NOT NULL REFERENCES products(id),
            size TEXT NOT NULL,
            color TEXT NOT NULL,
            price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
            currency TEXT NOT NULL,
            stock INTEGER NOT NULL CHECK (stock >= 0)
        ) STRICT;
        CREATE INDEX variants_by_product ON variants(product_id);

        CREATE TABLE conversations (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            channel TEXT NOT NULL CHECK (channel IN ('messenger', 'voice', 'web')),
            external_id TEXT,
            language TEXT NOT NULL DEFAULT 'pl' CHECK (language IN ('pl', 'en')),
            mode TEXT NOT NULL DEFAULT 'bot' CHECK (mode IN ('bot', 'human')),
            state TEXT NOT NULL DEFAULT '{}',
            state_version INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            closed_at TEXT
        ) STRICT;
        CREATE INDEX conversations_by_customer ON conversations(customer_id);
        CREATE INDEX conversations_by_channel ON conversations(channel, external_id);

        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            author TEXT NOT NULL CHECK (author IN ('customer', 'bot', 'agent', 'system')),
            channel TEXT NOT NULL CHECK (channel IN ('messenger', 'voice', 'web')),
            text TEXT NOT NULL,
            intent TEXT,
            confidence REAL,
            external_id TEXT,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);

        CREATE TABLE orders (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            conversation_id INTEGER REFERENCES conversations(id),
            status TEXT NOT NULL CHECK (status IN ('new', 'paid', 'shipped', 'delivered', 'cancelled')),
            currency TEXT NOT NULL,
            items_minor INTEGER NOT NULL,
            delivery_minor INTEGER NOT NULL,
            payment_fee_minor INTEGER NOT NULL,
            total_minor INTEGER NOT NULL CHECK (total_minor = items_minor + delivery_minor + payment_fee_minor),
            delivery_method TEXT NOT NULL CHECK (delivery_method IN ('courier', 'parcel_locker', 'store_pickup')),
            address_street TEXT,
            address_postcode TEXT,
            address_city TEXT,
            locker_code TEXT,
            store_id TEXT,
            payment_method TEXT NOT NULL
                CHECK (payment_method IN ('blik', 'card', 'bank_transfer', 'cash_on_delivery', 'deferred')),
            contact_name TEXT NOT NULL,
            contact_phone TEXT,
            contact_email TEXT,
            invoice_company TEXT,
            invoice_nip TEXT,
            invoice_address TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX orders_by_customer ON orders(customer_id);

        CREATE TABLE order_lines (
            order_id INTEGER NOT NULL REFERENCES orders(id),
            line INTEGER NOT NULL,
            sku TEXT NOT NULL REFERENCES variants(sku),
            product_id TEXT NOT NULL,
            name_pl TEXT NOT NULL,
            name_en TEXT NOT NULL,
            size TEXT NOT NULL,
            color TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            unit_price_minor INTEGER NOT NULL,
            line_total_minor INTEGER NOT NULL CHECK (line_total_minor = unit_price_minor * quantity),
            PRIMARY KEY (order_id, line)
        ) STRICT;

        CREATE TABLE order_status_history (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders(id),
            status TEXT NOT NULL,
            note TEXT,
            at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX order_status_history_by_order ON order_status_history(order_id, id);

        CREATE TABLE return_cases (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders(id),
            reason TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'rejected', 'refunded')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX return_cases_by_order ON return_cases(order_id);

        CREATE TABLE return_case_lines (
            return_id INTEGER NOT NULL REFERENCES return_cases(id),
            sku TEXT NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            PRIMARY KEY (return_id, sku)
        ) STRICT;

        CREATE TABLE escalations (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            reason TEXT NOT NULL CHECK (reason IN
                ('customer_request', 'complaint', 'repeated_misunderstanding', 'voice_transfer', 'delivery_failure')),
            priority INTEGER NOT NULL,
            summary TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('open', 'assigned', 'resolved')),
            agent TEXT,
            resolution TEXT CHECK (resolution IN ('returned_to_bot', 'closed')),
            created_at TEXT NOT NULL,
            assigned_at TEXT,
            resolved_at TEXT
        ) STRICT;
        CREATE INDEX escalations_by_status ON escalations(status, priority DESC, created_at);
        CREATE INDEX escalations_by_customer ON escalations(customer_id);
        """

    /// Replies waiting to be pushed to a channel (Messenger's Send API, a web chat socket),
    /// written in the same transaction as the turn that produced them.
    private static let outbox = """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            channel TEXT NOT NULL CHECK (channel IN ('messenger', 'voice', 'web')),
            recipient TEXT NOT NULL,
            author TEXT NOT NULL CHECK (author IN ('bot', 'agent')),
            text TEXT NOT NULL,
            quick_replies TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        ) STRICT;
        CREATE INDEX outbox_pending ON outbox(status, next_attempt_at) WHERE status = 'pending';
        CREATE INDEX outbox_by_conversation ON outbox(conversation_id);
        """

    /// Channel events acknowledged to their sender (Messenger's webhook batches), kept until the
    /// engine has handled them: "acknowledged" means "durable". `dedup_key` drops redeliveries;
    /// the engine marks a message's row done in the transaction of its turn, so a restart neither
    /// loses nor repeats one. The outbox learns how far a split reply got (`parts_sent`) and the
    /// platform's id of what was sent.
    private static let inbox = """
        CREATE TABLE inbox (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL CHECK (channel IN ('messenger', 'voice', 'web')),
            dedup_key TEXT NOT NULL,
            sender TEXT NOT NULL,
            kind TEXT NOT NULL,
            event TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
            outcome TEXT,
            received_at TEXT NOT NULL,
            processed_at TEXT,
            UNIQUE (channel, dedup_key)
        ) STRICT;
        CREATE INDEX inbox_pending ON inbox(status, id) WHERE status = 'pending';

        ALTER TABLE outbox ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE outbox ADD COLUMN platform_message_id TEXT;
        """

    /// The people who answer customers, and what they taught the classifier. An agent's token is
    /// kept only as the hex SHA-256 of it; names are unique whatever their case. A label copies
    /// the message's text and its conversation's language, so it stays a training example even
    /// when the message's link is cut (`message_id` NULL).
    private static let agents = """
        CREATE TABLE agents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
            token_hash TEXT NOT NULL CHECK (length(token_hash) = 64),
            enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            created_at TEXT NOT NULL,
            disabled_at TEXT
        ) STRICT;

        CREATE TABLE intent_labels (
            id INTEGER PRIMARY KEY,
            message_id INTEGER REFERENCES messages(id),
            text TEXT NOT NULL,
            intent TEXT NOT NULL,
            language TEXT NOT NULL CHECK (language IN ('pl', 'en')),
            agent TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX intent_labels_by_message ON intent_labels(message_id);
        """

    /// Identities that lead to a record are `platform` (a channel vouched for them) or `verified`
    /// (a one-time code proved them); a phone number or e-mail typed in a conversation is only a
    /// claim on the typist's own record and leads nowhere. Earlier versions linked typed contacts
    /// as keys: those become claims, except a phone number that created its record (a caller's
    /// number, linked in the same instant the record was made). Merges say who made them.
    /// A code is kept only as a salted hash; a notification's body (which may hold a code) is
    /// emptied once it is delivered or given up.
    private static let trust = """
        ALTER TABLE customer_identities ADD COLUMN trust TEXT NOT NULL DEFAULT 'platform'
            CHECK (trust IN ('platform', 'verified'));

        CREATE TABLE contact_claims (
            id INTEGER PRIMARY KEY,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            channel TEXT NOT NULL CHECK (channel IN ('phone', 'email')),
            external_id TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            UNIQUE (customer_id, channel, external_id)
        ) STRICT;
        CREATE INDEX contact_claims_by_contact ON contact_claims(channel, external_id);

        CREATE TEMP TABLE typed_contacts AS
            SELECT ci.id, ci.customer_id, ci.channel, ci.external_id, ci.linked_at FROM customer_identities ci
            WHERE ci.channel = 'email'
               OR (ci.channel = 'phone' AND NOT EXISTS (
                   SELECT 1 FROM customers c
                   WHERE (c.id = ci.customer_id OR c.merged_into = ci.customer_id) AND c.created_at = ci.linked_at));
        INSERT OR IGNORE INTO contact_claims (customer_id, channel, external_id, claimed_at)
            SELECT customer_id, channel, external_id, linked_at FROM typed_contacts ORDER BY id;
        DELETE FROM customer_identities WHERE id IN (SELECT id FROM typed_contacts);
        DROP TABLE typed_contacts;

        ALTER TABLE customer_merges ADD COLUMN actor TEXT NOT NULL DEFAULT 'link';
        CREATE INDEX orders_by_contact_phone ON orders(contact_phone) WHERE contact_phone IS NOT NULL;
        CREATE INDEX orders_by_contact_email ON orders(contact_email) WHERE contact_email IS NOT NULL;

        CREATE TABLE verification_codes (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            channel TEXT NOT NULL CHECK (channel IN ('phone', 'email')),
            external_id TEXT NOT NULL,
            salt TEXT NOT NULL,
            code_hash TEXT NOT NULL,
            delivered INTEGER NOT NULL CHECK (delivered IN (0, 1)),
            attempts INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'verified', 'locked', 'expired', 'replaced')),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            locked_at TEXT
        ) STRICT;
        CREATE INDEX verification_codes_by_contact ON verification_codes(channel, external_id, created_at);
        CREATE INDEX verification_codes_by_conversation ON verification_codes(conversation_id, status);

        CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('verification_code', 'order_update', 'agent_reply')),
            channel TEXT NOT NULL CHECK (channel IN ('phone', 'email')),
            recipient TEXT NOT NULL,
            body TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            give_up_at TEXT NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            finished_at TEXT
        ) STRICT;
        CREATE INDEX notifications_pending ON notifications(status, next_attempt_at) WHERE status = 'pending';
        """

    /// The order's life after the chat (CONTRACT.md, "Order lifecycle"). The orders table is
    /// rebuilt because its status CHECK lists the five first statuses (and `escalations`, for a
    /// payment that does not match its order) (now seven, written as
    /// comparisons: see `cheapChecks`); tracking and payment columns join it. An outbox row says
    /// why it was queued (a reply, or a notice of an order's change that Messenger sends as an
    /// update); a payment callback is kept once per provider id and status; a request's
    /// idempotency key keeps the answer it got.
    private static let orderLifecycle = """
        CREATE TABLE orders_rebuilt (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            conversation_id INTEGER REFERENCES conversations(id),
            status TEXT NOT NULL CHECK (status = 'new' OR status = 'paid' OR status = 'packed' OR status = 'shipped'
                OR status = 'delivered' OR status = 'cancelled' OR status = 'returned'),
            currency TEXT NOT NULL,
            items_minor INTEGER NOT NULL,
            delivery_minor INTEGER NOT NULL,
            payment_fee_minor INTEGER NOT NULL,
            total_minor INTEGER NOT NULL CHECK (total_minor = items_minor + delivery_minor + payment_fee_minor),
            delivery_method TEXT NOT NULL
                CHECK (delivery_method = 'courier' OR delivery_method = 'parcel_locker' OR delivery_method = 'store_pickup'),
            address_street TEXT,
            address_postcode TEXT,
            address_city TEXT,
            locker_code TEXT,
            store_id TEXT,
            payment_method TEXT NOT NULL
                CHECK (payment_method = 'blik' OR payment_method = 'card' OR payment_method = 'bank_transfer'
                    OR payment_method = 'cash_on_delivery' OR payment_method = 'deferred'),
            contact_name TEXT NOT NULL,
            contact_phone TEXT,
            contact_email TEXT,
            invoice_company TEXT,
            invoice_nip TEXT,
            invoice_address TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            carrier TEXT,
            tracking_number TEXT,
            tracking_url TEXT,
            payment_status TEXT NOT NULL DEFAULT 'unpaid' CHECK (payment_status = 'unpaid' OR payment_status = 'paid'
                OR payment_status = 'failed' OR payment_status = 'refunded'),
            paid_at TEXT,
            payment_reminded_at TEXT
        ) STRICT;
        INSERT INTO orders_rebuilt (id, number, customer_id, conversation_id, status, currency, items_minor, delivery_minor,
            payment_fee_minor, total_minor, delivery_method, address_street, address_postcode, address_city, locker_code,
            store_id, payment_method, contact_name, contact_phone, contact_email, invoice_company, invoice_nip,
            invoice_address, created_at, updated_at, payment_status, paid_at)
        SELECT id, number, customer_id, conversation_id, status, currency, items_minor, delivery_minor, payment_fee_minor,
            total_minor, delivery_method, address_street, address_postcode, address_city, locker_code, store_id,
            payment_method, contact_name, contact_phone, contact_email, invoice_company, invoice_nip, invoice_address,
            created_at, updated_at,
            CASE WHEN EXISTS (SELECT 1 FROM order_status_history h WHERE h.order_id = orders.id AND h.status = 'paid')
                THEN 'paid' ELSE 'unpaid' END,
            (SELECT min(h.at) FROM order_status_history h WHERE h.order_id = orders.id AND h.status = 'paid')
        FROM orders;
        DROP TABLE orders;
        ALTER TABLE orders_rebuilt RENAME TO orders;
        CREATE INDEX orders_by_customer_newest ON orders(customer_id, created_at DESC, id DESC);
        CREATE INDEX orders_by_contact_phone ON orders(contact_phone) WHERE contact_phone IS NOT NULL;
        CREATE INDEX orders_by_contact_email ON orders(contact_email) WHERE contact_email IS NOT NULL;
        CREATE INDEX orders_awaiting_payment ON orders(created_at) WHERE status = 'new' AND payment_status != 'paid';

        ALTER TABLE outbox ADD COLUMN purpose TEXT NOT NULL DEFAULT 'reply'
            CHECK (purpose = 'reply' OR purpose = 'order_update');

        CREATE TABLE escalations_rebuilt (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            customer_id INTEGER NOT NULL REFERENCES customers(id),
            reason TEXT NOT NULL CHECK (reason = 'customer_request' OR reason = 'complaint'
                OR reason = 'repeated_misunderstanding' OR reason = 'voice_transfer' OR reason = 'delivery_failure'
                OR reason = 'payment_problem'),
            priority INTEGER NOT NULL,
            summary TEXT NOT NULL,
            status TEXT NOT NULL CHECK (status = 'open' OR status = 'assigned' OR status = 'resolved'),
            agent TEXT,
            resolution TEXT CHECK (resolution = 'returned_to_bot' OR resolution = 'closed'),
            created_at TEXT NOT NULL,
            assigned_at TEXT,
            resolved_at TEXT
        ) STRICT;
        INSERT INTO escalations_rebuilt SELECT id, conversation_id, customer_id, reason, priority, summary, status, agent,
            resolution, created_at, assigned_at, resolved_at FROM escalations;
        DROP TABLE escalations;
        ALTER TABLE escalations_rebuilt RENAME TO escalations;
        CREATE INDEX escalations_by_status ON escalations(status, priority DESC, created_at);
        CREATE INDEX escalations_by_customer ON escalations(customer_id);

        CREATE TABLE payment_callbacks (
            id INTEGER PRIMARY KEY,
            order_id INTEGER NOT NULL REFERENCES orders(id),
            provider_id TEXT NOT NULL,
            status TEXT NOT NULL,
            amount_minor INTEGER NOT NULL,
            currency TEXT NOT NULL,
            outcome TEXT NOT NULL,
            received_at TEXT NOT NULL,
            UNIQUE (provider_id, status)
        ) STRICT;
        CREATE INDEX payment_callbacks_by_order ON payment_callbacks(order_id, id);

        CREATE TABLE idempotency_keys (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            request_sha256 TEXT NOT NULL,
            status INTEGER NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (scope, key)
        ) STRICT, WITHOUT ROWID;
        """

    /// The tables every message writes (messages, outbox, inbox), rebuilt with the same columns,
    /// rows and indexes and their value checks written as comparisons. SQLite evaluates a CHECK
    /// of `x IN (three or more values)` by building a temporary index of the values for every
    /// row written (OpenEphemeral), which cost about a twentieth of the server's CPU under
    /// webhook load; `x = 'a' OR x = 'b' OR …` accepts and refuses exactly the same values.
    private static let cheapChecks = """
        CREATE TABLE messages_rebuilt (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
            author TEXT NOT NULL CHECK (author = 'customer' OR author = 'bot' OR author = 'agent' OR author = 'system'),
            channel TEXT NOT NULL CHECK (channel = 'messenger' OR channel = 'voice' OR channel = 'web'),
            text TEXT NOT NULL,
            intent TEXT,
            confidence REAL,
            external_id TEXT,
            created_at TEXT NOT NULL
        ) STRICT;
        INSERT INTO messages_rebuilt SELECT id, conversation_id, direction, author, channel, text, intent, confidence,
            external_id, created_at FROM messages;
        DROP TABLE messages;
        ALTER TABLE messages_rebuilt RENAME TO messages;
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);

        CREATE TABLE outbox_rebuilt (
            id INTEGER PRIMARY KEY,
            conversation_id INTEGER NOT NULL REFERENCES conversations(id),
            channel TEXT NOT NULL CHECK (channel = 'messenger' OR channel = 'voice' OR channel = 'web'),
            recipient TEXT NOT NULL,
            author TEXT NOT NULL CHECK (author IN ('bot', 'agent')),
            text TEXT NOT NULL,
            quick_replies TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'sent' OR status = 'failed'),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            parts_sent INTEGER NOT NULL DEFAULT 0,
            platform_message_id TEXT
        ) STRICT;
        INSERT INTO outbox_rebuilt SELECT id, conversation_id, channel, recipient, author, text, quick_replies, status,
            attempts, next_attempt_at, last_error, created_at, sent_at, parts_sent, platform_message_id FROM outbox;
        DROP TABLE outbox;
        ALTER TABLE outbox_rebuilt RENAME TO outbox;
        CREATE INDEX outbox_pending ON outbox(status, next_attempt_at) WHERE status = 'pending';
        CREATE INDEX outbox_by_conversation ON outbox(conversation_id);

        CREATE TABLE inbox_rebuilt (
            id INTEGER PRIMARY KEY,
            channel TEXT NOT NULL CHECK (channel = 'messenger' OR channel = 'voice' OR channel = 'web'),
            dedup_key TEXT NOT NULL,
            sender TEXT NOT NULL,
            kind TEXT NOT NULL,
            event TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'done' OR status = 'failed'),
            outcome TEXT,
            received_at TEXT NOT NULL,
            processed_at TEXT,
            UNIQUE (channel, dedup_key)
        ) STRICT;
        INSERT INTO inbox_rebuilt SELECT id, channel, dedup_key, sender, kind, event, status, outcome, received_at,
            processed_at FROM inbox;
        DROP TABLE inbox;
        ALTER TABLE inbox_rebuilt RENAME TO inbox;
        CREATE INDEX inbox_pending ON inbox(status, id) WHERE status = 'pending';
        """
}
