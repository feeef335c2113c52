import NLU

/// Which of the recogniser's hypotheses to act on: the one the understanding makes most sense
/// of, weighed by how sure the recogniser was of it — not blindly the first.
///
/// Each hypothesis scores `recognition × (0.5 + understanding)`:
/// - recognition is its confidence; a hypothesis without one (Google gives it for the top one
///   only) gets the best given confidence (or 0.75 when none is given) less 0.1 per rank below
///   the top, as recognisers list hypotheses best first;
/// - understanding is the intent's probability when the classifier recognises an intent, else
///   0.15 (a bare slot answer such as "biały" or "WRO01M" has no intent of its own), plus 0.05
///   for each entity found, up to three.
///
/// So a hypothesis recognised a little less surely but clearly understood ("gdzie jest moje
/// zamówienie", order_status 0.9) wins over a slightly surer one that means nothing ("gdzie jest
/// mój zamek"), while two hypotheses understood alike keep the recogniser's order.
struct SpeechChoice: Equatable {
    /// The chosen hypothesis's position in the list.
    let index: Int
    let text: String
    /// How sure the recogniser was of the chosen text: its own confidence, or the estimate
    /// above when only others had one; nil when the recogniser gave no confidence at all.
    let recognitionConfidence: Double?
    let score: Double

    static let unknownConfidence = 0.75
    static let rankPenalty = 0.1

    /// The best hypothesis; nil when there is none with any words.
    static func best(
        of alternatives: [SpeechAlternative], understand: (String) -> Understanding
    ) -> SpeechChoice? {
        let given = alternatives.compactMap(\.confidence)
        let anchor = given.max() ?? unknownConfidence
        var best: SpeechChoice?
        for (rank, alternative) in alternatives.enumerated() {
            let text = alternative.transcript.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            let recognition = alternative.confidence ?? max(0.05, anchor - rankPenalty * Double(rank))
            let score = recognition * (0.5 + understandingScore(understand(text)))
            if score > best?.score ?? -1 {
                best = SpeechChoice(
                    index: rank, text: text, recognitionConfidence: given.isEmpty ? nil : recognition, score: score)
            }
        }
        return best
    }

    static func understandingScore(_ understanding: Understanding) -> Double {
        let intent = understanding.intent == .outOfScope ? 0.15 : understanding.confidence
        return intent + 0.05 * Double(min(understanding.entities.count, 3))
    }
}
