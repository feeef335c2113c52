import Analytics
import Testing

/// Grouping the misses by similar text, straight into the algorithm.
struct MisunderstoodGroupsTests {
    /// The positions of each group's texts, groups in the order of their first text.
    private static func partition(_ texts: [String]) -> [[Int]] {
        MisunderstoodGroups(texts).groups.map(\.members)
    }

    /// `number` in letters only (digits would take the word out of a signature): a, b, …, ba, bb, …
    private static func letters(_ number: Int) -> String {
        let letter = String(UnicodeScalar(UInt8(97 + number % 26)))
        return number < 26 ? letter : letters(number / 26) + letter
    }

    /// Case, diacritics, punctuation, small words and one extra word do not keep near-duplicates apart.
    @Test func nearDuplicatesMeet() {
        let texts = [
            "kiedy dotrze mój pakunek", "Kiedy dotrze MOJ pakunek?!", "kiedy wreszcie dotrze mój pakunek",
            "no i kiedy dotrze ten pakunek", "Where is my parcel?", "where's the parcel??",
        ]
        #expect(Self.partition(texts) == [[0, 1, 2, 3], [4, 5]])
    }

    /// Messages that share a word or two but ask other things stay apart.
    @Test func differentMessagesStayApart() {
        let texts = [
            "gdzie jest sklep", "gdzie jest paczka", "chcę zwrócić buty", "chcę zamówić buty", "kiedy dotrze mój pakunek",
            "kiedy otwieracie sklep",
        ]
        #expect(Self.partition(texts) == [[0], [1], [2], [3], [4], [5]])
    }

    /// Order numbers and other digits do not split a group, and numbers alone meet.
    @Test func numbersDoNotSplit() {
        let texts = ["gdzie jest zamówienie 482173", "Gdzie jest zamówienie nr 512345?", "482173", "512 345", "gdzie zamówienie"]
        #expect(Self.partition(texts) == [[0, 1, 4], [2, 3]])
    }

    /// A group's id depends on its oldest texts only: later messages, similar or not, keep it.
    @Test func idsAreStable() {
        let earlier = ["kiedy dotrze mój pakunek", "gdzie jest sklep"]
        let before = MisunderstoodGroups(earlier).groups
        let after = MisunderstoodGroups(earlier + ["kiedy wreszcie dotrze pakunek", "chcę zwrócić buty"]).groups
        #expect(before.map(\.id) == Array(after.map(\.id).prefix(2)))
        #expect(after.map(\.members) == [[0, 2], [1], [3]])
        #expect(before.allSatisfy { $0.id.count == 16 && $0.id.allSatisfy(\.isHexDigit) })
        #expect(Set(after.map(\.id)).count == 3)
    }

    /// The index of rare words finds exactly the leader a comparison with every leader would.
    @Test(arguments: [1, 2, 3, 4, 5])
    func sameAsComparingEveryLeader(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let vocabulary = (0..<30).map { "q" + Self.letters($0) }
        let texts = (0..<400).map { _ in
            (0..<random.below(6) + 1).map { _ in vocabulary[random.below(random.below(2) == 0 ? 8 : 30)] }.joined(separator: " ")
        }
        #expect(Self.partition(texts) == BruteForceGrouping.partition(texts, similarity: MisunderstoodGroups.similarity))
    }

    /// Fifty thousand messages are grouped in one run: templates with changing numbers, case and
    /// punctuation give one group each, and random word salad its own groups.
    @Test func fiftyThousandMessages() {
        var random = SplitMix(seed: 7)
        let templates = [
            "kiedy dotrze mój pakunek %", "gdzie jest zamówienie nr %", "chcę zwrócić buty z zamówienia %",
            "czy macie rozmiar %", "jak zapłacić za zamówienie %", "where is my order %",
        ]
        let salad = (0..<3_000).map { "zz" + Self.letters($0) }
        var texts: [String] = []
        for index in 0..<50_000 {
            if index % 10 == 9 {
                texts.append((0..<4).map { _ in salad[random.below(salad.count)] }.joined(separator: " "))
            } else {
                let text = templates[random.below(templates.count)].replacingOccurrences(of: "%", with: String(random.below(1_000_000)))
                texts.append(random.below(2) == 0 ? text.uppercased() + "?" : text)
            }
        }
        let groups = MisunderstoodGroups(texts).groups
        #expect(groups.reduce(0) { $0 + $1.members.count } == 50_000)
        let templated = groups.filter { !texts[$0.members[0]].hasPrefix("zz") }
        #expect(templated.count == templates.count)
        #expect(templated.reduce(0) { $0 + $1.members.count } == 45_000)
    }
}

/// The definition the index must agree with: each distinct word set, in the order first seen,
/// joins the most similar leader (the oldest of equals) with at least `similarity` of shared
/// words, or leads. For texts of plain words that need no folding or stemming.
enum BruteForceGrouping {
    static func partition(_ texts: [String], similarity: Double) -> [[Int]] {
        var distinct: [Set<String>] = []
        var leaderOf: [Int] = []
        var members: [Int: [Int]] = [:]
        for (position, text) in texts.enumerated() {
            let words = Set(text.split(separator: " ").map(String.init))
            let signature = distinct.firstIndex(of: words) ?? {
                distinct.append(words)
                leaderOf.append(leader(of: words, among: distinct, leaderOf: leaderOf, similarity: similarity) ?? distinct.count - 1)
                return distinct.count - 1
            }()
            members[leaderOf[signature], default: []].append(position)
        }
        return members.sorted { $0.key < $1.key }.map(\.value)
    }

    private static func leader(of words: Set<String>, among distinct: [Set<String>], leaderOf: [Int], similarity: Double) -> Int? {
        var best: (leader: Int, score: Double)?
        for leader in Set(leaderOf).sorted() {
            let other = distinct[leader]
            let score = Double(words.intersection(other).count) / Double(words.union(other).count)
            if score >= similarity, score > (best?.score ?? -1) { best = (leader, score) }
        }
        return best?.leader
    }
}

/// A small seeded generator, so a failing case can be run again.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
