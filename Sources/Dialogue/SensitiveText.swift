import Foundation
import ShopValues

/// Finds what must never be kept from a conversation (LANGUAGE.md: card numbers, security
/// codes, BLIK codes, passwords) and masks it before the message is stored or shown, so the
/// bot can also tell the customer not to send such things.
public enum SensitiveText {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// 13–19 digits, in groups or not, whose Luhn check holds.
        case cardNumber = "card_number"
        /// CVV/CVC: 3–4 digits right after the word.
        case securityCode = "security_code"
        /// A 6-digit BLIK code in a message that says "blik".
        case blikCode = "blik_code"
        /// The word after "hasło"/"password" (and a colon or "to"/"is").
        case password
    }

    /// A message with its secrets masked, and which kinds were found.
    public struct Redaction: Sendable, Equatable {
        public let text: String
        public let found: Set<Kind>
    }

    /// `text` with every secret masked by "•" (a card keeps its last four digits).
    public static func redact(_ text: String) -> Redaction {
        // Cards, security and BLIK codes are digits, and a password follows its keyword: most
        // messages have neither and need no closer look.
        if !text.utf8.contains(where: { (0x30...0x39).contains($0) }), !mayNamePassword(text) {
            return Redaction(text: text, found: [])
        }
        var characters = Array(text)
        var found = Set<Kind>()
        maskCardNumbers(&characters, &found)
        let lowered = characters.map { character -> Character in
            let lower = character.lowercased()
            return lower.count == 1 ? Character(lower) : character
        }
        maskAfterKeyword(&characters, lowered, keywords: ["cvv", "cvc", "cvv2", "kod cvv", "kod cvc"], kind: .securityCode,
                         found: &found) { word in
            let digits = word.prefix { $0.isASCIIDigit }.count
            return (3...4).contains(digits) ? digits : nil
        }
        if String(lowered).contains("blik") {
            maskDigitRuns(&characters, length: 6, kind: .blikCode, found: &found)
        }
        maskAfterKeyword(&characters, lowered, keywords: ["hasło", "haslo", "password"], kind: .password,
                         found: &found) { word in
            // "password?" and "password reset" name no password; "password: Kot123!" does.
            let bare = String(word).lowercased().trimmingCharacters(in: .punctuationCharacters)
            guard bare.contains(where: { $0.isLetter || $0.isNumber }), !notPasswords.contains(bare) else { return nil }
            return word.count
        }
        return Redaction(text: String(characters), found: found)
    }

    /// Whether `text` may hold one of the password keywords ("hasło", "haslo", "password"), in
    /// any letter case.
    private static func mayNamePassword(_ text: String) -> Bool {
        containsCaseless(text, "has") || containsCaseless(text, "password")
    }

    /// Whether `text` contains the lower-case ASCII `word` in any letter case, byte by byte (the
    /// generic `contains(_:)` of collections cost more than the rest of the redaction together).
    private static func containsCaseless(_ text: String, _ word: StaticString) -> Bool {
        let needle = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= needle.count else { return false }
            for start in 0...(bytes.count - needle.count) where bytes[start] | 0x20 == needle[0] {
                var offset = 1
                while offset < needle.count, bytes[start + offset] | 0x20 == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            return false
        }
    }

    /// Words that follow "hasło"/"password" in questions about passwords, not passwords.
    private static let notPasswords: Set<String> = [
        "reset", "resetu", "resetować", "resetowac", "change", "zmiana", "zmienić", "zmienic", "nie", "not", "doesn't", "does",
        "isn't", "i", "and", "a", "do", "for", "dla", "please", "proszę", "prosze", "forgot", "zapomniałem", "zapomniałam",
        "przypomnienie", "recovery", "help", "pomoc", "nie działa", "działa", "dziala", "works", "expired", "wygasło", "to",
        "jest", "is", "mam", "było", "bylo", "was", "how", "jak", "czy", "w", "in", "on", "na", "the", "my", "moje",
    ]

    private static func maskCardNumbers(_ characters: inout [Character], _ found: inout Set<Kind>) {
        var index = 0
        while index < characters.count {
            guard characters[index].isASCIIDigit, index == 0 || !characters[index - 1].isASCIIDigit else {
                index += 1
                continue
            }
            // A run of digits with single spaces or dashes between groups.
            var end = index
            var positions: [Int] = []
            while end < characters.count {
                if characters[end].isASCIIDigit {
                    positions.append(end)
                    end += 1
                } else if characters[end] == " " || characters[end] == "-",
                          end + 1 < characters.count, characters[end + 1].isASCIIDigit, !positions.isEmpty {
                    end += 1
                } else {
                    break
                }
            }
            let digits = positions.map { characters[$0].wholeNumberValue ?? 0 }
            if (13...19).contains(digits.count), Luhn.holds(digits) {
                for position in positions.dropLast(4) { characters[position] = "•" }
                found.insert(.cardNumber)
            }
            index = max(end, index + 1)
        }
    }

    private static func maskDigitRuns(_ characters: inout [Character], length: Int, kind: Kind, found: inout Set<Kind>) {
        var index = 0
        while index < characters.count {
            guard characters[index].isASCIIDigit else {
                index += 1
                continue
            }
            var end = index
            while end < characters.count, characters[end].isASCIIDigit { end += 1 }
            if end - index == length {
                for position in index..<end { characters[position] = "•" }
                found.insert(kind)
            }
            index = end
        }
    }

    /// Masks the start of the word that follows one of `keywords` (skipping ":", "=", "to",
    /// "is", "jest"), as much of it as `secretLength` says (nil: not a secret).
    private static func maskAfterKeyword(
        _ characters: inout [Character], _ lowered: [Character], keywords: [String], kind: Kind, found: inout Set<Kind>,
        secretLength: ([Character]) -> Int?
    ) {
        for keyword in keywords.map(Array.init) {
            for start in 0..<max(0, lowered.count - keyword.count + 1)
            where lowered[start..<start + keyword.count].elementsEqual(keyword) && (start == 0 || !lowered[start - 1].isLetter) {
                var position = start + keyword.count
                guard position == lowered.count || !lowered[position].isLetter else { continue }
                // Skip separators and filler words between the keyword and the secret.
                while true {
                    while position < lowered.count, [" ", ":", "=", "-"].contains(lowered[position]) { position += 1 }
                    let word = wordStarting(at: position, in: lowered)
                    if ["to", "is", "jest", "mam"].contains(String(word)), !word.isEmpty { position += word.count } else { break }
                }
                guard let length = secretLength(wordStarting(at: position, in: characters)) else { continue }
                for offset in 0..<length { characters[position + offset] = "•" }
                found.insert(kind)
            }
        }
    }

    private static func wordStarting(at position: Int, in characters: [Character]) -> [Character] {
        var end = position
        while end < characters.count, !characters[end].isWhitespace {
            end += 1
        }
        return Array(characters[position..<end])
    }
}
