import Dialogue
import NLU
import ShopValues

/// Amounts in words a synthesiser says well.
enum SpokenMoney {
    /// Polish: "trzysta czterdzieści dziewięć złotych pięćdziesiąt groszy"; English: "349 zlotys
    /// 50 groszy" (an English voice reads the digits well; the units are what it would garble).
    static func words(_ money: Money, language: Language) -> String {
        switch language {
        case .polish: return PolishNumerals.spoken(money)
        case .english:
            let whole = money.minorUnits.magnitude / 100
            let fraction = money.minorUnits.magnitude % 100
            var parts: [String] = money.minorUnits < 0 ? ["minus"] : []
            if whole > 0 || fraction == 0 { parts.append("\(whole) \(whole == 1 ? "zloty" : "zlotys")") }
            if fraction > 0 { parts.append("\(fraction) \(fraction == 1 ? "grosz" : "groszy")") }
            return parts.joined(separator: " ")
        }
    }
}
