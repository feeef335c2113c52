import Commerce

/// How urgent an escalation is, 0–100: the reason sets the base, then severity (damage, a wrong
/// or missing item), the customer's tone (anger, shouting) and history (earlier escalations,
/// a large order) raise it. An angry customer with a damaged item outranks a shipping question.
public enum EscalationPriority {
    /// Base priority per reason.
    static func base(_ reason: EscalationReason) -> Int {
        switch reason {
        case .customerRequest: 30
        case .repeatedMisunderstanding: 35
        case .voiceTransfer: 40
        case .complaint: 50
        case .deliveryFailure: 45
        case .paymentProblem: EscalationReason.paymentProblemPriority
        }
    }

    static let severeWords = [
        "uszkodz", "zniszcz", "zepsu", "pekn", "pekl", "rozdar", "rozerw", "rozpad", "rozklei", "dziur", "odklej", "odklei",
        "przetar", "poplam", "plama", "wadliw", "wada", "wady", "brak", "brakuj", "nie dotar", "nie doszl",
        "zly rozmiar", "inny produkt", "niewlasciw", "pomylk", "damaged", "broken", "defect", "torn", "missing", "wrong",
        "never arrived", "not arrived", "faulty",
    ]
    static let angryWords = [
        "skandal", "zenada", "oszust", "oszuk", "zlodziej", "masakra", "tragedia", "beznadziej", "wsciek", "kpina", "nigdy wiecej",
        "rzecznik", "uokik", "sad", "scandal", "disgrace", "ridiculous", "unacceptable", "furious", "terrible", "worst", "scam",
        "lawyer", "never again", "angry",
    ]

    /// The priority of an escalation opened for `reason` after `text`, for `customer`.
    public static func of(reason: EscalationReason, text: String, customer: CustomerSnapshot) -> Int {
        var priority = base(reason)
        let folded = " " + Folding.words(text).joined(separator: " ")
        if severeWords.contains(where: { folded.contains(" " + $0) }) { priority += 20 }
        if isAngry(text, folded: folded) { priority += 15 }
        if customer.earlierEscalations >= 3 { priority += 10 } else if customer.earlierEscalations >= 1 { priority += 5 }
        if customer.orders.contains(where: { $0.total.minorUnits >= 50_000 }) { priority += 5 }
        return min(100, priority)
    }

    /// Angry words, several exclamation marks, or a message mostly in capitals.
    static func isAngry(_ text: String, folded: String) -> Bool {
        if angryWords.contains(where: { folded.contains(" " + $0) }) { return true }
        if text.filter({ $0 == "!" }).count >= 2 { return true }
        let letters = text.filter(\.isLetter)
        return letters.count >= 12 && Double(letters.filter(\.isUppercase).count) / Double(letters.count) > 0.6
    }
}
