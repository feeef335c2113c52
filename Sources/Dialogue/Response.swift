/// What one dialogue step says and does, gathered as the step runs: every sentence ends up in
/// one reply (one question per turn), followed by the actions.
struct Response {
    var words: Phrasebook
    let channel: DialogueChannel
    private(set) var sentences: [Phrase] = []
    private(set) var chips: [QuickReply] = []
    private(set) var effects: [DialogueAction] = []
    /// Set when a sentence of this step already listed the sizes or colours available, so the
    /// question that follows does not list them again.
    var optionsListed = false

    mutating func say(_ polish: Phrase, _ english: Phrase) {
        sentences.append(words.pick(polish, english))
    }

    mutating func say(_ phrase: Phrase) { sentences.append(phrase) }

    /// Chips for the question just asked (replacing any offered earlier in the step).
    mutating func offer(_ quickReplies: [QuickReply]) { chips = quickReplies }

    mutating func perform(_ action: DialogueAction) { effects.append(action) }

    var actions: [DialogueAction] {
        guard !sentences.isEmpty else { return effects }
        let reply = Reply(sentences.joined(separator: " "), language: words.language, quickReplies: chips)
        return [.reply(reply)] + effects
    }

    /// Whether the reply is heard on the phone rather than read.
    var isSpoken: Bool { channel.isSpoken }

    /// How many options one sentence may name: `written` in writing, three on the phone.
    func optionLimit(_ written: Int) -> Int { isSpoken ? Phrasebook.spokenOptions : written }

    var yesNo: [QuickReply] { [QuickReply(words.pick("Tak", "Yes"), .yes), QuickReply(words.pick("Nie", "No"), .no)] }

    /// The chip that asks for a person.
    var personChip: QuickReply { QuickReply(words.pick("Konsultant", "Agent"), .start(.person)) }
}
