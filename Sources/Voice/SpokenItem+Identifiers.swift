import ShopValues

extension SpokenItem {
    /// A Polish number, "+48600123456", "+48 600 123 456", "0048 600-123-456", "600 123 456",
    /// "22 123 45 67": grouped for reading and marked as a telephone number.
    static func phoneNumber(in scan: CharacterScan, at index: Int) -> SpokenItem? {
        guard startsNumber(in: scan, at: index) else { return nil }
        let start = nationalStart(in: scan, at: index)
        guard scan.isDigit(start), scan[start] != "0" else { return nil }
        let (runs, end) = digitGroups(in: scan, from: start, upTo: 9)
        let lengths = runs.map(\.count)
        guard phoneGroupings.contains(lengths), !continuesNumber(in: scan, at: end) else { return nil }
        let grouped = lengths == [2, 3, 2, 2]
            ? runs.joined(separator: " ") : groups(of: runs.joined(), size: 3).joined(separator: " ")
        return SpokenItem(end: end, text: grouped, markup: #"<say-as interpret-as="telephone">\#(grouped)</say-as>"#)
    }

    /// How Polish numbers are written: mobiles in one run or threes, landlines "22 123 45 67".
    private static let phoneGroupings: Set<[Int]> = [[9], [3, 3, 3], [2, 3, 2, 2]]

    /// Where the national number starts, after "+48", "0048" or "(+48)" and one separator if any.
    private static func nationalStart(in scan: CharacterScan, at index: Int) -> Int {
        guard let prefix = ["+48", "0048", "(+48)"].first(where: { scan.has($0, at: index) }) else { return index }
        let start = index + prefix.count
        return scan[start] == " " || scan[start] == "-" ? start + 1 : start
    }

    /// The runs of digits from `start` joined by single spaces or hyphens, up to `limit` digits,
    /// and where they end.
    private static func digitGroups(in scan: CharacterScan, from start: Int, upTo limit: Int) -> (runs: [String], end: Int) {
        var runs: [String] = []
        var count = 0
        var end = start
        while count < limit {
            let run = scan.digitRun(from: end)
            guard run > 0 else { break }
            runs.append(scan.text(end..<end + run))
            count += run
            end += run
            guard count < limit, scan[end] == " " || scan[end] == "-", scan.isDigit(end + 1) else { break }
            end += 1
        }
        return (runs, end)
    }

    /// Whether a number goes on at `index` (a letter, a digit, or another group), so what came
    /// before is only part of it.
    private static func continuesNumber(in scan: CharacterScan, at index: Int) -> Bool {
        scan.isLetterOrDigit(index) || ((scan[index] == " " || scan[index] == "-") && scan.isDigit(index + 1))
    }

    /// "50-123" → "50, 123", as Poles say it ("pięćdziesiąt, sto dwadzieścia trzy"); a part with
    /// a leading zero is read digit by digit ("05-077" → "0 5, 0 7 7").
    static func postcode(in scan: CharacterScan, at index: Int) -> SpokenItem? {
        guard startsNumber(in: scan, at: index), scan[index - 1] != "-", scan.digitRun(from: index) == 2,
              let dash = scan[index + 2], dash == "-" || dash == "\u{2011}", scan.digitRun(from: index + 3) == 3 else {
            return nil
        }
        let end = index + 6
        if let next = scan[end], next.isLetter || next == "-" || next == "\u{2011}" { return nil }
        return postcode(area: scan.text(index..<index + 2), office: scan.text(index + 3..<end), end: end)
    }

    /// A postcode's two parts as said: "50, 123"; a part with a leading zero digit by digit.
    static func postcode(area: String, office: String, end: Int) -> SpokenItem {
        let text = [area, office].map { part in
            part.hasPrefix("0") ? part.map(String.init).joined(separator: " ") : part
        }.joined(separator: ", ")
        return SpokenItem(end: end, text: text, markup: XMLText.escaped(text))
    }

    /// "nr 491837", "numer: 491837", "no. 491837", "number 491837", "order #491837": the keyword
    /// spelt out ("nr" → "numer", "no." → "number") and the number read in pairs. Before another
    /// number ("zwrot nr 1234") only the abbreviation is spelt out.
    static func orderNumberAfterKeyword(in scan: CharacterScan, at index: Int) -> SpokenItem? {
        guard let first = scan[index], "nNoO".contains(first) else { return nil }
        let length = scan.letterRun(from: index)
        guard (2...6).contains(length) else { return nil }
        let word = scan.text(index..<index + length)
        var next = index + length
        let spoken: String
        let isAbbreviation: Bool
        switch word.lowercased() {
        case "nr":
            if scan[next] == "." { next += 1 }
            spoken = word.first == "N" ? "Numer" : "numer"
            isAbbreviation = true
        case "no":
            guard scan[next] == "." else { return nil }
            next += 1
            spoken = word.first == "N" ? "Number" : "number"
            isAbbreviation = true
        case "numer", "number", "order":
            spoken = word
            isAbbreviation = false
        default:
            return nil
        }
        let keywordEnd = next
        if scan[next] == ":" { next += 1 }
        next = scan.skippingSpaces(from: next)
        if scan[next] == "#" { next = scan.skippingSpaces(from: next + 1) }
        if let item = orderNumber(in: scan, at: next, keyword: spoken) { return item }
        guard isAbbreviation, scan.isDigit(next) else { return nil }
        return SpokenItem(end: keywordEnd, text: spoken, markup: XMLText.escaped(spoken))
    }

    /// Six digits at `index`, standing alone, read in pairs ("49 18 37") and marked as digits;
    /// `keyword` said before them.
    static func orderNumber(in scan: CharacterScan, at index: Int, keyword: String?) -> SpokenItem? {
        guard scan.digitRun(from: index) == 6, !scan.isLetterOrDigit(index + 6) else { return nil }
        if let separator = scan[index + 6], separator == "," || separator == ".", scan.isDigit(index + 7) { return nil }
        return orderNumber(digits: scan.text(index..<index + 6), keyword: keyword, end: index + 6)
    }

    /// An order number read in pairs ("49 18 37") and marked as digits, `keyword` said before it.
    static func orderNumber(digits: String, keyword: String?, end: Int) -> SpokenItem {
        let pairs = groups(of: digits, size: 2).map { $0.hasPrefix("0") ? $0.map(String.init).joined(separator: " ") : $0 }
        let lead = keyword.map { $0 + " " } ?? ""
        return SpokenItem(
            end: end, text: lead + pairs.joined(separator: " "),
            markup: XMLText.escaped(lead) + #"<say-as interpret-as="digits">\#(XMLText.escaped(digits))</say-as>"#)
    }

    /// "WRO01M", "KRA123A" in capitals: spelt out, character by character.
    static func lockerCode(in scan: CharacterScan, at index: Int) -> SpokenItem? {
        guard let first = scan[index], first.isASCII, first.isUppercase else { return nil }
        var end = index
        while let character = scan[end], character.isASCII, character.isLetter || character.isNumber { end += 1 }
        guard (5...8).contains(end - index), !scan.isLetterOrDigit(end) else { return nil }
        let code = scan.text(index..<end)
        guard code == code.uppercased(), LockerCode(code) != nil else { return nil }
        return lockerCode(code, end: end)
    }

    /// A parcel-locker code spelt out, character by character.
    static func lockerCode(_ code: String, end: Int) -> SpokenItem {
        SpokenItem(
            end: end, text: code.map(String.init).joined(separator: " "),
            markup: #"<say-as interpret-as="characters">\#(XMLText.escaped(code))</say-as>"#)
    }
}
