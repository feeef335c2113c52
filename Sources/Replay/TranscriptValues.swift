import Commerce
import Foundation
import ShopValues

/// The values written inside transcript lines: identities, moments, durations, amounts.
enum TranscriptValues {
    /// `messenger:psid-1`, `phone:+48600123456` (normalised to E.164), `web:session-1`,
    /// `email:anna@example.pl` (lowercased).
    static func identity(_ text: String) -> Identity? {
        guard let colon = text.firstIndex(of: ":"), let channel = IdentityChannel(rawValue: String(text[..<colon])) else {
            return nil
        }
        let id = String(text[text.index(after: colon)...])
        guard !id.isEmpty else { return nil }
        switch channel {
        case .phone: return PhoneNumber(id).map { Identity(.phone, $0.e164) }
        case .email: return EmailAddress(id).map { Identity(.email, $0.value) }
        case .messenger, .web: return Identity(channel, id)
        }
    }

    /// `2026-03-02 10:00`, `2026-03-02 10:00:30` or `2026-03-02T10:00:00Z`, in UTC.
    static func moment(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm'Z'"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// `+31m`, `+3d`, `+1h30m`, `+45s`: seconds forward.
    static func duration(_ text: String) -> TimeInterval? {
        guard text.hasPrefix("+"), text.count > 2 else { return nil }
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        var total: TimeInterval = 0
        var digits = ""
        for character in text.dropFirst() {
            if character.isASCIIDigit {
                digits.append(character)
            } else if let unit = units[character], let count = Int(digits) {
                total += TimeInterval(count) * unit
                digits = ""
            } else {
                return nil
            }
        }
        return digits.isEmpty ? total : nil
    }

    /// `698,00 zł`, `698.00 PLN`, `PLN 698.00`, `698`: an amount in the shop's currency.
    static func money(_ text: String, currency: String = "PLN") -> Money? {
        var amount = text.replacingOccurrences(of: "\u{a0}", with: " ").trimmingCharacters(in: .whitespaces)
        for marker in ["zł", currency] {
            if amount.hasSuffix(marker) { amount = String(amount.dropLast(marker.count)) }
            if amount.hasPrefix(marker) { amount = String(amount.dropFirst(marker.count)) }
        }
        return Money(decimal: amount.trimmingCharacters(in: .whitespaces), currency: currency)
    }

    /// `ul. Kwiatowa 5, 50-123 Wrocław`: the street before the last comma, then postcode and city.
    static func address(_ text: String) -> Address? {
        guard let comma = text.lastIndex(of: ",") else { return nil }
        let street = text[..<comma].trimmingCharacters(in: .whitespaces)
        let place = text[text.index(after: comma)...].split(separator: " ", maxSplits: 1)
        guard !street.isEmpty, place.count == 2, let postcode = Postcode(place[0]) else { return nil }
        return Address(street: street, postcode: postcode, city: String(place[1]).trimmingCharacters(in: .whitespaces))
    }

    /// `Anna Nowak, +48600123456` or `Anna Nowak, anna@example.pl`.
    static func contact(_ text: String) -> Contact? {
        guard let comma = text.lastIndex(of: ",") else { return nil }
        let name = text[..<comma].trimmingCharacters(in: .whitespaces)
        let reach = text[text.index(after: comma)...].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        if let phone = PhoneNumber(reach) { return Contact(name: name, phone: phone) }
        if let email = EmailAddress(reach) { return Contact(name: name, email: email) }
        return nil
    }
}
