import Commerce
import Testing

/// Order numbers: six digits, never starting with 0, the last a Luhn check digit.
struct OrderNumberTests {
    /// The one valid number for each of a spread of five-digit bodies (every check digit is tried).
    private static let sample: [String] = stride(from: 10_000, through: 99_999, by: 37).compactMap { body in
        let valid = (0...9).map { "\(body)\($0)" }.filter { OrderNumber($0) != nil }
        return valid.count == 1 ? valid[0] : nil
    }

    /// Each five-digit body is completed by exactly one check digit.
    @Test func everyBodyHasExactlyOneCheckDigit() {
        let bodies = Array(stride(from: 10_000, through: 99_999, by: 37))
        let completions = bodies.map { body in (0...9).filter { OrderNumber("\(body)\($0)") != nil }.count }
        #expect(completions.allSatisfy { $0 == 1 })
        #expect(Self.sample.count == bodies.count)
    }

    /// Random numbers are six digits, never start with 0, and read back as valid numbers.
    @Test func randomNumbersAreValid() throws {
        var seen = Set<String>()
        for _ in 0..<1_000 {
            let number = OrderNumber.random()
            #expect(number.digits.count == 6)
            #expect(number.digits.allSatisfy { $0.isASCII && $0.isNumber })
            #expect(number.digits.first != "0")
            let parsed = try #require(OrderNumber(number.digits))
            #expect(parsed == number)
            #expect(number.description == number.digits)
            seen.insert(number.digits)
        }
        #expect(seen.count > 900)
    }

    /// Changing any one digit of a valid number, in any position and to any other digit, makes it invalid.
    @Test func everySingleDigitChangeIsCaught() {
        var missed: [String] = []
        var tried = 0
        for number in Self.sample {
            let digits = Array(number)
            for position in digits.indices {
                for replacement in "0123456789" where replacement != digits[position] {
                    var changed = digits
                    changed[position] = replacement
                    tried += 1
                    if OrderNumber(String(changed)) != nil { missed.append("\(number)→\(String(changed))") }
                }
            }
        }
        #expect(tried == Self.sample.count * 6 * 9)
        #expect(missed.isEmpty, "accepted after one changed digit: \(missed.prefix(10))")
    }

    /// Swapping two different neighbouring digits is caught at least nine times in ten.
    @Test func mostNeighbourSwapsAreCaught() {
        var swaps = 0
        var caught = 0
        for number in Self.sample {
            let digits = Array(number)
            for position in 0..<(digits.count - 1) where digits[position] != digits[position + 1] {
                var swapped = digits
                swapped.swapAt(position, position + 1)
                swaps += 1
                if OrderNumber(String(swapped)) == nil { caught += 1 }
            }
        }
        #expect(swaps > 1_000)
        #expect(Double(caught) / Double(swaps) >= 0.9, "caught \(caught) of \(swaps) swaps")
    }

    /// A number read with spaces or dashes between the groups is the same number.
    @Test func spacesAndDashesAreIgnored() throws {
        for number in Self.sample.prefix(50) {
            let spaced = "\(number.prefix(3)) \(number.suffix(3))"
            let dashed = "\(number.prefix(3))-\(number.suffix(3))"
            #expect(try #require(OrderNumber(spaced)).digits == number)
            #expect(try #require(OrderNumber(dashed)).digits == number)
            let pairs = " \(number.prefix(2)) \(number.dropFirst(2).prefix(2)) \(number.suffix(2)) "
            #expect(try #require(OrderNumber(pairs)).digits == number)
        }
        #expect(OrderNumber("123 455")?.digits == "123455")
        #expect(OrderNumber("123 456") == nil)
    }

    /// Numbers starting with 0, of another length, or with other characters are refused.
    @Test func otherShapesAreRefused() throws {
        #expect((0...9).allSatisfy { OrderNumber("01234\($0)") == nil })
        let valid = try #require(Self.sample.first)
        #expect(OrderNumber(valid.dropLast()) == nil)
        #expect(OrderNumber(valid + "0") == nil)
        #expect(OrderNumber("") == nil)
        #expect(OrderNumber("12345a") == nil)
        #expect(OrderNumber("123.455") == nil)
        #expect(OrderNumber("１２３４５５") == nil)
    }
}
