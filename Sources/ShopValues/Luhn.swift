/// The Luhn (mod 10) check that card numbers and our order numbers end with: it catches any
/// single wrong digit and most swaps of two neighbours.
public enum Luhn {
    /// The digit that, appended to `digits`, makes a number whose check holds.
    public static func checkDigit(of digits: [Int]) -> Int {
        (10 - weightedSum(digits, doublingFirst: true) % 10) % 10
    }

    /// Whether `digits` (check digit last) pass the check.
    public static func holds(_ digits: [Int]) -> Bool {
        weightedSum(digits, doublingFirst: false) % 10 == 0
    }

    /// The sum over the digits from the right, every second one doubled (less 9 above 9).
    private static func weightedSum(_ digits: [Int], doublingFirst: Bool) -> Int {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = digit
            if (offset % 2 == 0) == doublingFirst {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0–9 (not another script's digit).
    public var isASCIIDigit: Bool { isASCII && isNumber }
}
