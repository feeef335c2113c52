/// What the shop owner's view counts as a message the bot did not understand: a customer's
/// message the classifier put out of scope, or gave an intent with less confidence than
/// `confidenceBelow` (where the dialogue stops trusting it and asks again or falls back).
/// Messages an agent labelled with an intent are counted with the misses too: an agent's
/// correction is one by definition.
package enum Misunderstanding {
    /// Confidence under which an intent is a guess.
    package static let confidenceBelow = 0.5
    /// The intent the classifier gives what is not a shop's matter.
    package static let outOfScope = "out_of_scope"

    /// Whether the classifier's answer for a message is a miss (agents' corrections aside).
    package static func isMiss(intent: String?, confidence: Double?) -> Bool {
        guard let intent, let confidence else { return true }
        return intent == outOfScope || confidence < confidenceBelow
    }

    /// The SQL condition on a `messages` row (aliased `m`) that makes it a miss, for queries that
    /// count or list them (`?` is `confidenceBelow`, then `outOfScope`).
    package static let condition = """
        m.direction = 'in' AND m.author = 'customer'
        AND (m.intent IS NULL OR m.confidence < ? OR m.intent = ?
             OR EXISTS (SELECT 1 FROM intent_labels l WHERE l.message_id = m.id))
        """
}
