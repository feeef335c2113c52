/// Texts grouped by similarity, in one pass: each text is reduced to its `MissSignature`, equal
/// signatures meet at once, and each distinct signature then joins the most similar earlier
/// group whose leading signature shares at least `similarity` of its words (Jaccard), or leads a
/// new group.
///
/// Signatures are taken in the order the texts come (oldest first), so a group's leader is its
/// oldest signature and later texts never move earlier ones: the same texts give the same
/// groups, and a group's `id` (a hash of its leader) survives new messages. Candidate leaders
/// are found through an index of their rarest words (prefix filtering), so a signature is
/// compared with the few leaders that could reach the threshold, never with every group.
package struct MisunderstoodGroups: Sendable, Equatable {
    /// Texts with at least this Jaccard similarity of their signatures are near-duplicates.
    package static let similarity = 0.6

    /// One group of similar texts.
    package struct Group: Sendable, Equatable {
        /// Stable for the same leading signature: 16 hex digits.
        package let id: String
        /// The leader's words, as `MissSignature` reduced them.
        package let words: [String]
        /// Positions of the group's texts in the input, ascending.
        package let members: [Int]
    }

    /// The groups, in the order of their first text.
    package let groups: [Group]

    /// Groups `texts`, which should come oldest first.
    package init(_ texts: [String], similarity: Double = Self.similarity) {
        var table = SignatureTable()
        let signatureOfText = texts.map { table.intern(MissSignature($0)) }
        let leaders = LeaderAssignment(table.signatures, similarity: similarity).leaderOf
        var members: [Int: [Int]] = [:]
        for (position, signature) in signatureOfText.enumerated() {
            members[leaders[signature], default: []].append(position)
        }
        // A leader is seen before the signatures that join it, so leaders' order is first texts' order.
        groups = members.sorted { $0.key < $1.key }.map { leader, positions in
            let words = table.words(of: leader)
            return Group(id: Self.id(of: words), words: words, members: positions)
        }
    }

    /// FNV-1a over the words: the same in every process, unlike Swift's seeded `Hasher`.
    static func id(of words: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in words.joined(separator: " ").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Distinct signatures as sorted arrays of word numbers, in the order first seen.
private struct SignatureTable {
    private var numbers: [String: Int32] = [:]
    private var names: [String] = []
    private var positions: [[Int32]: Int] = [:]
    private(set) var signatures: [[Int32]] = []

    /// The position of `signature` among the distinct ones, adding it when new.
    mutating func intern(_ signature: MissSignature) -> Int {
        let word = signature.words.map { number($0) }.sorted()
        if let position = positions[word] { return position }
        positions[word] = signatures.count
        signatures.append(word)
        return signatures.count - 1
    }

    func words(of position: Int) -> [String] {
        signatures[position].map { names[Int($0)] }.sorted()
    }

    private mutating func number(_ word: String) -> Int32 {
        if let number = numbers[word] { return number }
        numbers[word] = Int32(names.count)
        names.append(word)
        return Int32(names.count - 1)
    }
}

/// Which leader each distinct signature joins (itself when it leads).
private struct LeaderAssignment {
    private(set) var leaderOf: [Int] = []

    init(_ signatures: [[Int32]], similarity: Double) {
        let rank = Self.rarityRanks(signatures)
        var leadersByWord: [Int32: [Int]] = [:]
        leaderOf.reserveCapacity(signatures.count)
        for (position, signature) in signatures.enumerated() {
            let prefix = Self.prefix(of: signature, rank: rank, similarity: similarity)
            var best: (leader: Int, score: Double)?
            var compared: Set<Int> = []
            for word in prefix {
                for leader in leadersByWord[word] ?? [] where compared.insert(leader).inserted {
                    let score = Self.jaccard(signature, signatures[leader])
                    guard score >= similarity else { continue }
                    if let current = best, current.score > score || (current.score == score && current.leader < leader) { continue }
                    best = (leader, score)
                }
            }
            if let best {
                leaderOf.append(best.leader)
            } else {
                leaderOf.append(position)
                for word in prefix { leadersByWord[word, default: []].append(position) }
            }
        }
    }

    /// Each word's place when words are ordered rarest first (then by number): two signatures
    /// similar enough always share a word among their first few in this order.
    private static func rarityRanks(_ signatures: [[Int32]]) -> [Int32] {
        let wordCount = Int(signatures.lazy.compactMap { $0.max() }.max() ?? -1) + 1
        var frequency = [Int](repeating: 0, count: wordCount)
        for signature in signatures { for word in signature { frequency[Int(word)] += 1 } }
        let order = (0..<wordCount).sorted { (frequency[$0], $0) < (frequency[$1], $1) }
        var rank = [Int32](repeating: 0, count: wordCount)
        for (place, word) in order.enumerated() { rank[word] = Int32(place) }
        return rank
    }

    /// The rarest `n − ⌈s·n⌉ + 1` words of a signature of `n` words: if two signatures share
    /// at least `s` of their union, their prefixes share a word.
    private static func prefix(of signature: [Int32], rank: [Int32], similarity: Double) -> ArraySlice<Int32> {
        let needed = Int((similarity * Double(signature.count) - 1e-9).rounded(.up))
        return signature.sorted { rank[Int($0)] < rank[Int($1)] }.prefix(signature.count - needed + 1)
    }

    /// |a ∩ b| / |a ∪ b| of two sorted, duplicate-free arrays.
    static func jaccard(_ a: [Int32], _ b: [Int32]) -> Double {
        var shared = 0
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                shared += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return Double(shared) / Double(a.count + b.count - shared)
    }
}
