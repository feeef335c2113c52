import ShopValues
import Testing

/// The values the understanding, the commerce domain and the dialogue share: amounts of money,
/// tax numbers, phone numbers, postcodes, parcel-locker codes and e-mail addresses.
struct ShopValuesTests {
    /// Amounts with a dot or a comma and at most two decimals parse to exact minor units.
    @Test(arguments: [("349.00", 34_900), ("349,5", 34_950), ("12", 1_200), ("0,01", 1), (" 19.99 ", 1_999), ("0", 0)])
    func moneyParsesDecimalAmounts(text: String, minorUnits: Int64) throws {
        let money = try #require(Money(decimal: text))
        #expect(money.minorUnits == minorUnits)
        #expect(money.currency == "PLN")
    }

    /// Signs, three decimals, thousands separators, letters and a bare separator are refused.
    @Test(arguments: ["", " ", "-1", "+1", "1.234", "1,000.00", "1 000", "abc", "12zł", "1.", ".5", ",", "1.2.3"])
    func moneyRejectsMalformedAmounts(text: String) {
        #expect(Money(decimal: text) == nil)
    }

    /// The currency given is kept.
    @Test func moneyKeepsTheCurrency() throws {
        let euros = try #require(Money(decimal: "10,50", currency: "EUR"))
        #expect(euros.currency == "EUR")
        #expect(euros.minorUnits == 1_050)
        #expect(euros.polish == "10,50 EUR")
        #expect(euros.english == "EUR 10.50")
    }

    /// Amounts read as Polish ("349,00 zł") and English ("PLN 349.00") shoppers expect.
    @Test func moneyFormatsForPolishAndEnglishShoppers() throws {
        let price = try #require(Money(decimal: "349"))
        #expect(price.polish == "349,00 zł")
        #expect(price.english == "PLN 349.00")
        #expect(price.decimalString == "349.00")
        #expect(price.description == "PLN 349.00")
        #expect(Money(minorUnits: 5).decimalString == "0.05")
        #expect(Money(minorUnits: 1_999).polish == "19,99 zł")
        #expect(Money(minorUnits: -250).decimalString == "-2.50")
    }

    /// Sums and multiples are exact: ten times 0.10 is 1.00, three times 19.99 is 59.97.
    @Test func moneyArithmeticIsExact() throws {
        let tenGrosze = try #require(Money(decimal: "0.10"))
        let sum = (0..<10).reduce(Money.zero()) { total, _ in total + tenGrosze }
        #expect(sum == Money(decimal: "1.00"))
        #expect(sum.minorUnits == 100)
        let price = try #require(Money(decimal: "19.99"))
        #expect(price * 3 == Money(decimal: "59.97"))
        #expect((price * 3).decimalString == "59.97")
        #expect(price < Money(minorUnits: 2_000))
        #expect(!(price < price))
    }

    /// A NIP is accepted plain, with dashes or spaces, and with a "PL" prefix, as the same ten digits.
    @Test(arguments: ["5260250995", "526-025-09-95", "526 025 09 95", "PL5260250995", "pl 526-025-09-95", " 5260250995 "])
    func nipAcceptsCommonWritings(text: String) throws {
        let nip = try #require(NIP(text))
        #expect(nip.digits == "5260250995")
    }

    /// A NIP whose check digit is wrong, or which is not ten digits, is refused.
    @Test(arguments: ["5260250994", "5260250996", "5260250959", "526025099", "52602509951", "526025099A", "", "PL"])
    func nipRejectsWrongChecksumOrLength(text: String) {
        #expect(NIP(text) == nil)
    }

    /// Nine digits whose weighted sum leaves 10 modulo 11 complete no valid NIP, whatever the tenth digit.
    @Test func nipWithChecksumTenIsNeverValid() {
        let accepted = (0...9).filter { NIP("123456789\($0)") != nil }
        #expect(accepted.isEmpty)
        #expect(!NIP.checksumHolds("1234567890"))
    }

    /// A NIP prints as invoices print it, 3-3-2-2.
    @Test func nipDescriptionGroupsTheDigits() throws {
        #expect(try #require(NIP("PL5260250995")).description == "526-025-09-95")
    }

    /// Polish numbers written with or without +48 / 0048 and in groups become E.164.
    @Test(arguments: ["600 123 456", "600123456", "+48 600-123-456", "0048600123456", "48600123456", "(+48) 600 123 456"])
    func phoneNumberNormalisesPolishNumbers(text: String) throws {
        let phone = try #require(PhoneNumber(text))
        #expect(phone.e164 == "+48600123456")
        #expect(phone.description == "+48600123456")
    }

    /// A foreign number written with its "+" prefix is kept in E.164.
    @Test func phoneNumberKeepsForeignNumbers() throws {
        #expect(try #require(PhoneNumber("+44 20 7946 0958")).e164 == "+442079460958")
        #expect(try #require(PhoneNumber("0044 20 7946 0958")).e164 == "+442079460958")
    }

    /// Too short or too long numbers, Polish numbers with the wrong number of digits, and letters are refused.
    @Test(arguments: [
        "12345", "", "60012345", "6001234567", "+48 600 123 45", "+48 600 123 4567", "600 123 abc", "tel. 600123456",
    ])
    func phoneNumberRejectsMalformedNumbers(text: String) {
        #expect(PhoneNumber(text) == nil)
    }

    /// A postcode with or without its dash becomes "NN-NNN".
    @Test(arguments: ["50-123", "50123", " 50-123 "])
    func postcodeAcceptsBothWritings(text: String) throws {
        #expect(try #require(Postcode(text)).value == "50-123")
    }

    /// Postcodes not of the form NN-NNN (or five digits) are refused, including a dash in the wrong place.
    @Test(arguments: ["5-1234", "501-23", "5012-3", "50-12", "50-1234", "5012", "ab-cde", "50--123", ""])
    func postcodeRejectsOtherShapes(text: String) {
        #expect(Postcode(text) == nil)
    }

    /// Codes of three letters, two or three digits and up to two letters are accepted and upper-cased.
    @Test func lockerCodeAcceptsTheLockerShape() throws {
        #expect(try #require(LockerCode("WRO01M")).value == "WRO01M")
        #expect(try #require(LockerCode("kra123a")).value == "KRA123A")
        #expect(try #require(LockerCode("POZ08")).value == "POZ08")
        #expect(try #require(LockerCode("WAW123AB")).value == "WAW123AB")
    }

    /// Codes of another shape are refused.
    @Test(arguments: ["12345", "", "WR01M", "WROC01M", "WRO1M", "WRO1234M", "WRO01MXY", "WRO01-M", "ŁÓD01M"])
    func lockerCodeRejectsOtherShapes(text: String) {
        #expect(LockerCode(text) == nil)
    }

    /// E-mail addresses are trimmed and lowercased.
    @Test func emailAddressIsLowercased() throws {
        #expect(try #require(EmailAddress("Anna.Kowalska@Example.PL")).value == "anna.kowalska@example.pl")
        #expect(try #require(EmailAddress("  jan@sklep.com.pl ")).description == "jan@sklep.com.pl")
    }

    /// An "@" or "." followed by a combining mark or an emoji modifier still separates the parts
    /// (found by schemathesis: "x\"@🏻.a.b" was refused, the "@" hidden in one character with "🏻").
    @Test func emailAddressIsReadByScalars() throws {
        #expect(try #require(EmailAddress("x\"@\u{1F3FB}.a.b")).value == "x\"@\u{1F3FB}.a.b")
        #expect(try #require(EmailAddress("zofia@example.\u{301}pl")).value == "zofia@example.\u{301}pl")
        #expect(EmailAddress("zofia@\u{1F3FB}") == nil)
    }

    /// Addresses without an @, a local part or a dotted domain are refused.
    @Test(arguments: [
        "no-at-sign", "", "@example.pl", "anna@", "anna@example", "anna@.pl", "anna@example.", "a@b@c.pl", "an na@example.pl",
        "anna\u{1C}@example.pl", "anna@exam\u{85}ple.pl", "anna@example\u{2003}x.pl", "anna\u{7F}@example.pl",
    ])
    func emailAddressRejectsMalformedAddresses(text: String) {
        #expect(EmailAddress(text) == nil)
    }
}
