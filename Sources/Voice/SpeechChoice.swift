import NLU

/// Which of the recogniser's hypotheses to act on: the one the understanding makes most sense
/// of, weighed by how sure the recogniser was of it — not blindly the first.
///
/// Each hypothesis scores `recognition × (0.5 + understanding)`:
/// - recognition is its confidence; a hypothesis without one (Google gives it for the top one
///   only) gets the best given confidence (or 0.75 when none is given) less 0.1 per rank below
///   the top, as recognisers list hypotheses best first;
/// - understanding is the intent's probability when the classifier is fairly sure of an intent
///   (at least 0.5), else 0.15 (a bare slot answer such as "biały" or "WRO01M" has no intent of
///   its own, and a weak guess is noise), plus 0.05 for each entity found, up to three.
///
/// A hypothesis replaces a better-ranked one only when it scores at least 25% more: the
/// recogniser's order stands unless another hypothesis is clearly better understood. So "gdzie
/// jest moje zamówienie" (0.50, order_status) wins over "gdzie jest mój zamek" (0.55, nothing),
/// while "anna nowa" (a weak guess at goodbye) does not replace "Anna Nowak".
package struct SpeechChoice: Equatable {
    /// The chosen hypothesis's position in the list.
    package let index: Int
    package let text: String
    /// How sure the recogniser was of the chosen text: its own confidence, or the estimate
    /// above when only others had one; nil when the recogniser gave no confidence at all.
    package let recognitionConfidence: Double?
    package let score: Double

    static let unknownConfidence = 0.75
    static let rankPenalty = 0.1
    static let sureIntent = 0.5
    static let switchMargin = 1.25

    /// The best hypothesis; nil when there is none with any words.
    package static func best(of alternatives: [SpeechAlternative], understand: (String) -> Understanding) -> SpeechChoice? {
        let given = alternatives.compactMap(\.confidence)
        let anchor = given.max() ?? unknownConfidence
        var best: SpeechChoice?
        for (rank, alternative) in alternatives.enumerated() {
            let text = alternative.transcript.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            let recognition = alternative.confidence ?? max(0.05, anchor - rankPenalty * Double(rank))
            let score = recognition * (0.5 + understandingScore(understand(text)))
            if score > (best?.score ?? 0) * switchMargin {
                best = SpeechChoice(
                    index: rank, text: text, recognitionConfidence: given.isEmpty ? nil : recognition, score: score)
            }
        }
        return best
    }

    static func understandingScore(_ understanding: Understanding) -> Double {
        let sure = understanding.intent != .outOfScope && understanding.confidence >= sureIntent
        return (sure ? understanding.confidence : 0.15) + 0.05 * Double(min(understanding.entities.count, 3))
    }
}
