import Commerce
import Dialogue
import Foundation
import NLU
import Testing

/// A customer handed to a person is told honestly when someone will answer: outside the
/// agents' hours, with nobody online, or the expected wait from the queue.
struct AgentAvailabilityTests {
    private static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    private static func handOver(at instant: String, agents: AgentAvailability?) -> (text: String, escalates: Bool) {
        var chat = Chat(now: utc(instant))
        chat.agents = agents
        let actions = chat.say("chcę rozmawiać z konsultantem", .humanAgent)
        let text = actions.compactMap { action -> String? in if case .reply(let reply) = action { reply.text } else { nil } }
            .joined(separator: " ")
        let escalates = actions.contains { if case .escalate = $0 { true } else { false } }
        return (text, escalates)
    }

    @Test("within the hours: the queue ahead and the expected wait, shared among the agents online")
    func expectedWait() {
        let alone = Self.handOver(at: "2026-03-02T09:00:00Z", agents: AgentAvailability(online: 2, waiting: 0))
        #expect(alone.text.contains("Nikt nie czeka przed Tobą. Szacowany czas oczekiwania: około 2 min."))
        let queued = Self.handOver(at: "2026-03-02T09:00:00Z", agents: AgentAvailability(online: 1, waiting: 3))
        #expect(queued.text.contains("Przed Tobą w kolejce: 3. Szacowany czas oczekiwania: około 16 min."))
        #expect(alone.escalates && queued.escalates)
    }

    @Test("nobody online, or outside the hours: said so, and the request still waits in the queue")
    func nobodyToAnswer() {
        let nobody = Self.handOver(at: "2026-03-02T09:00:00Z", agents: AgentAvailability(online: 0, waiting: 1))
        #expect(nobody.text.contains("żaden konsultant nie jest dostępny"))
        #expect(nobody.escalates)
        let sunday = Self.handOver(at: "2026-03-08T10:00:00Z", agents: AgentAvailability(online: 3, waiting: 0))
        #expect(sunday.text.contains("Konsultanci pracują: poniedziałek–piątek 8:00–18:00, sobota 9:00–14:00."))
        #expect(!sunday.text.contains("Szacowany"))
        #expect(sunday.escalates)
    }

    @Test("unknown availability (replays, the terminal): nothing is promised")
    func unknown() {
        let text = Self.handOver(at: "2026-03-02T09:00:00Z", agents: nil).text
        #expect(!text.contains("Szacowany") && !text.contains("dostępny") && !text.contains("pracują"))
    }

    @Test("the expected wait rounds up and needs someone online")
    func waitRule() {
        #expect(AgentAvailability(online: 3, waiting: 1).expectedWaitMinutes == 3)
        #expect(AgentAvailability(online: 1, waiting: 0).expectedWaitMinutes == 4)
        #expect(AgentAvailability(online: 0, waiting: 0).expectedWaitMinutes == nil)
    }
}
