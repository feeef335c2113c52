import Dialogue
import NLU
import Testing

/// Secrets customers type are masked before anything keeps them; ordinary numbers are not.
struct SensitiveTextTests {
    /// Card numbers (Luhn-valid, 13–19 digits, grouped or not) keep only their last four digits.
    @Test(arguments: [
        ("moja karta 4111 1111 1111 1111 ok?", "moja karta •••• •••• •••• 1111 ok?"),
        ("4111111111111111", "••••••••••••1111"),
        ("card: 5500-0000-0000-0004", "card: ••••-••••-••••-0004"),
        ("amex 378282246310005 thanks", "amex •••••••••••0005 thanks"),
    ])
    func cardNumbersAreMasked(_ text: String, _ masked: String) {
        let redaction = SensitiveText.redact(text)
        #expect(redaction.text == masked)
        #expect(redaction.found == [.cardNumber])
    }

    /// Security codes, BLIK codes and passwords are masked where the message names them.
    @Test(arguments: [
        ("cvv 123", "cvv •••", SensitiveText.Kind.securityCode),
        ("cvv 123, ok", "cvv •••, ok", .securityCode),
        ("a CVC to 9876", "a CVC to ••••", .securityCode),
        ("kod blik 482913", "kod blik ••••••", .blikCode),
        ("BLIK: 482913, dzięki", "BLIK: ••••••, dzięki", .blikCode),
        ("moje hasło to Kot123!", "moje hasło to •••••••", .password),
        ("password: hunter2 please", "password: ••••••• please", .password),
        ("haslo=tajne", "haslo=•••••", .password),
        ("HASŁO: tajne", "HASŁO: •••••", .password), ("My PASSWORD is sekret", "My PASSWORD is ••••••", .password),
    ])
    func namedSecretsAreMasked(_ text: String, _ masked: String, _ kind: SensitiveText.Kind) {
        let redaction = SensitiveText.redact(text)
        #expect(redaction.text == masked)
        #expect(redaction.found == [kind])
    }

    /// What shops talk about every day stays as written: order numbers, phone numbers,
    /// postcodes, sizes, prices, a number that fails the card check, a forgotten password.
    @Test(arguments: [
        "gdzie jest zamówienie 412785?", "mój numer 600 123 456", "+48 600-123-456", "kod 50-123 Wrocław",
        "rozmiar 42, 2 pary", "4111 1111 1111 1112", "zapłacę blikiem", "zapomniałem hasła", "cvv?",
        "1234567890123", "", "hasło", "moje hasło: ", "cvv", "blik", "İstanbul 👍🏽 cvv",
    ])
    func ordinaryTextIsKept(_ text: String) {
        let redaction = SensitiveText.redact(text)
        #expect(redaction.text == text)
        #expect(redaction.found.isEmpty)
    }

    /// Any mix of digits, separators, keywords, letters and emoji: no crash, and masking never
    /// changes the length (only characters are replaced).
    @Test func arbitraryTextKeepsItsShape() {
        var generator = SplitMix64(seed: 42)
        let pieces = ["4111", "1111", " ", "-", "7", "hasło", "HASŁO:", "cvv", "blik", "to", "İ", "ß", "👍🏽", "é", "\n", ",", "123456"]
        for _ in 0..<2_000 {
            let text = (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(SensitiveText.redact(text).text.count == text.count, "\(text)")
        }
    }
}
