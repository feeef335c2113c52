import Foundation
import Storage
import Testing

/// Text goes in and comes out whole: any Unicode, U+0000 in the middle included (it used to cut
/// the stored text short), and the empty string stays a string, not NULL.
struct TextTests {
    @Test(arguments: ["", "zażółć gęślą jaźń 👟", "przed\u{0}po", "\u{0}", "a\u{0}\u{0}b\u{0}", String(repeating: "ż", count: 10_000)])
    func textRoundTripsWhole(_ text: String) throws {
        let database = try TestDatabase()
        let stored = try database.pool.write { db -> (String, Int, Bool) in
            try db.run("INSERT INTO items (name, price_cents) VALUES (?, 1)", text)
            return try db.queryFirst("SELECT name, length(CAST(name AS BLOB)), name IS NULL FROM items") {
                ($0.string(0), $0.int(1), $0.isNull(2))
            } ?? ("?", -1, true)
        }
        #expect(stored.0 == text)
        #expect(stored.1 == text.utf8.count)
        #expect(!stored.2)
    }
}
