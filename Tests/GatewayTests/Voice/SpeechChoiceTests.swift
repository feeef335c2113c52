@testable import Gateway
import NLU
import TestSupport
import Testing
@testable import Voice

/// Which hypothesis a turn acts on, with the real understanding.
struct SpeechChoiceTests {
    /// The choice, made off the cooperative pool (the understanding is trained on first use).
    private static func choose(_ alternatives: [(String, Double?)]) async throws -> SpeechChoice? {
        let hypotheses = alternatives.map { SpeechAlternative(transcript: $0.0, confidence: $0.1) }
        return try await blocking { SpeechChoice.best(of: hypotheses, understand: EngineFixture.understanding.understand) }
    }

    @Test("a clearly understood second hypothesis wins over a surer one that means nothing")
    func understoodSecondWins() async throws {
        let choice = try await Self.choose([("gdzie jest mój zamek", 0.55), ("gdzie jest moje zamówienie", 0.50)])
        #expect(choice?.index == 1)
        #expect(choice?.recognitionConfidence == 0.50)
    }

    @Test("hypotheses understood alike keep the recogniser's order; a weak intent guess does not switch", arguments: [
        [("Chcę zamówić dwie pary butów do biegania, rozmiar 42.", 0.91), ("Chcę zamówić dwie pary butów do biegania, rozmiar 40 2.", nil)],
        [("Anna Nowak", 0.9), ("anna nowa", nil)],
        [("białe", 0.8), ("biały", 0.78)],
    ] as [[(String, Double?)]])
    func recogniserOrderStands(alternatives: [(String, Double?)]) async throws {
        #expect(try await Self.choose(alternatives)?.index == 0)
    }

    @Test("no confidence anywhere: none is reported; empty hypotheses are skipped; none at all is nil")
    func confidencesAndEmpties() async throws {
        let choice = try await Self.choose([("   ", 0.9), ("tak", nil)])
        #expect(choice?.index == 1 && choice?.text == "tak")
        #expect(try await Self.choose([("tak", nil), ("tag", nil)])?.recognitionConfidence == nil)
        #expect(try await Self.choose([]) == nil)
    }
}
