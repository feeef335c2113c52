/// One run of number words and digit strings, read group by group as `SpokenDigits` describes.
struct DigitRun {
    /// Where the run starts, as a UTF-8 offset into the text: at "plus" or "+" when one comes first.
    let start: Int
    /// Whether "plus" or "+" comes first.
    let plus: Bool
    /// Whether the run follows a size word, so it lists sizes.
    let listsSizes: Bool
    /// Where the last token read ends (a UTF-8 offset).
    private var end: Int
    /// The digits of the groups closed so far.
    private var digits = ""
    /// How many groups were begun, the open one included.
    private var groupCount = 0
    /// Whether a number word was read (digits typed as digits are left as typed).
    private var hasWords = false
    /// Whether digits written as digits were read.
    private var hasDigits = false
    /// The run as it stood before its last group began.
    private var beforeLastGroup: (end: Int, digitCount: Int, hasWords: Bool)
    /// Whether the run is said in an address (a street word came before it).
    private let inAddress: Bool
    /// How many digits the first group has, once a second group begins.
    private var firstGroupDigits = 0

    /// The open group: its value so far and the last place filled.
    private var value = 0
    private var place = Place.none
    /// Whether the open group's hundreds came from English "hundred", which takes no unit after it.
    private var englishHundreds = false
    /// How many times the next digit is said ("double", "triple"); 0 when no such word waits.
    private var repeatCount = 0
    /// Whether a comma or a dash came after the last token.
    private var separated = false

    private enum Place {
        case none, hundreds, tens, units
    }

    /// A run that starts with `token` (or with "plus" / "+" just before it, at `plus`); nil when
    /// `token` cannot start one.
    init?(
        startingWith token: SpokenToken, plusAt plus: Int?, afterSizeWord: Bool, inAddress: Bool = false,
        in bytes: UnsafeBufferPointer<UInt8>
    ) {
        start = plus ?? token.range.lowerBound
        self.plus = plus != nil
        listsSizes = afterSizeWord
        self.inAddress = inAddress
        end = token.range.lowerBound
        beforeLastGroup = (end, 0, false)
        guard read(token, in: bytes) else { return nil }
    }

    /// Reads the next token; false when it cannot continue the run, which then ends before it.
    mutating func read(_ token: SpokenToken, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch token.kind {
        case .symbol(let scalar):
            guard scalar == "," || scalar == "-", groupCount > 0, !separated, repeatCount == 0 else { return false }
            separated = true
            return true
        case .word:
            return false
        case .digits:
            guard repeatCount == 0 else { return false }
            beginGroup()
            for byte in bytes[token.range] { digits.unicodeScalars.append(Unicode.Scalar(byte)) }
            hasDigits = true
        case .spoken(.repeatNext(let count)):
            guard repeatCount == 0 else { return false }
            repeatCount = count
            return true
        case .spoken(let word):
            guard read(word) else { return false }
            hasWords = true
        }
        end = token.range.upperBound
        separated = false
        return true
    }

    private mutating func read(_ word: SpokenWord) -> Bool {
        if repeatCount > 0 {
            guard let digit = word.repeatableDigit else { return false }
            beginGroup()
            digits += String(repeating: String(digit), count: repeatCount)
            repeatCount = 0
            return true
        }
        switch word {
        case .digit(0):
            beginGroup()
            digits += "0"
        case .digit(let unit):
            add(unit, at: .units, joining: place == .tens || (place == .hundreds && !englishHundreds))
        case .teen(let teen):
            add(teen, at: .units, joining: place == .hundreds)
        case .tens(let tens):
            add(tens, at: .tens, joining: place == .hundreds)
        case .hundreds(let hundreds):
            add(hundreds, at: .hundreds, joining: false)
        case .hundred:
            guard place == .units, value < 10 else { return false }
            value *= 100
            place = .hundreds
            englishHundreds = true
        case .zeroAfterNumber:
            guard groupCount > 0 else { return false }
            beginGroup()
            digits += "0"
        case .repeatNext, .plus, .sizeWord, .streetWord:
            return false
        }
        return true
    }

    /// Adds `amount` to the open group, or to a new one when it cannot join.
    private mutating func add(_ amount: Int, at newPlace: Place, joining: Bool) {
        if !joining { beginGroup() }
        value += amount
        place = newPlace
    }

    /// Closes the open group and begins the next, remembering where the run stood before it.
    private mutating func beginGroup() {
        closeGroup()
        beforeLastGroup = (end, digits.utf8.count, hasWords)
        if groupCount == 1 { firstGroupDigits = digits.utf8.count }
        groupCount += 1
    }

    private mutating func closeGroup() {
        guard place != .none else { return }
        digits += String(value)
        value = 0
        place = .none
        englishHundreds = false
    }

    /// What the run is replaced with and where the replaced text ends; nil when the run is not a code.
    mutating func finish() -> (text: String, end: Int)? {
        closeGroup()
        guard hasWords, groupCount >= 2, digits.utf8.count >= 5, !listsSizes else { return nil }
        // "ulica lipowa siedem trzydzieści jeden dwieście dwadzieścia dwa": a house number,
        // then the postcode said in two groups.
        if inAddress, groupCount >= 3, (1...3).contains(firstGroupDigits), digits.utf8.count - firstGroupDigits == 5,
           let postcode = SpokenDigits.written(digits.dropFirst(firstGroupDigits), plus: false) {
            return ("\(digits.prefix(firstGroupDigits)) \(postcode)", end)
        }
        if let written = SpokenDigits.written(digits[...], plus: plus) { return (written, end) }
        let before = beforeLastGroup
        // Six digits are too easily the start of a longer number to stand for an order number here.
        if groupCount >= 3, before.digitCount >= 5, before.digitCount != 6,
           let written = SpokenDigits.written(digits.prefix(before.digitCount), plus: plus) {
            return before.hasWords ? (written, before.end) : nil
        }
        return hasDigits ? nil : (plus ? "+" + digits : digits, end)
    }
}
