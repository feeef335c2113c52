/// Turns an analyzed utterance into hashed features for the linear models.
///
/// Intent features: folded words, their stems, their diacritic forms when those differ
/// ("zamówić" next to "zamowic"), character 3- and 4-grams of each word (inflection and typos
/// share most of them), word bigrams, entity placeholders instead of the entity's words
/// (`<order_number>`), punctuation and emoji, and the length of the message.
/// Language features: the word-level ones (words, their diacritic forms, stems) and whether
/// Polish letters occur; a handful of look-ups, where character grams would add a hundred.
enum FeatureExtractor {
    private enum Tag: UInt64 {
        case word = 1, stem, diacritics, gram, bigram, placeholder, symbol, length, first, polishLetter
    }

    /// Intent features, and alongside them the word-level ones the language model reads.
    static func features(_ scan: EntityScan) -> (intent: [UInt64], language: [UInt64]) {
        var language: [UInt64] = []
        let intent = intentFeatures(scan, language: &language)
        if scan.text.lowered.contains(where: { polishLetters.contains($0) }) {
            language.append(FeatureHash(.polishLetter).value)
        }
        return (intent, language)
    }

    private static func intentFeatures(_ scan: EntityScan, language: inout [UInt64]) -> [UInt64] {
        let text = scan.text
        var features: [UInt64] = []
        features.reserveCapacity(text.tokens.count * 12 + 4)
        var previous = FeatureHash(.first).value
        var words = 0
        var index = 0
        while index < text.tokens.count {
            let token = text.tokens[index]
            var current: UInt64
            if let kind = scan.coveredBy[index] {
                current = FeatureHash(.placeholder).adding(kind.rawValue).value
                features.append(current)
                while index + 1 < text.tokens.count, scan.coveredBy[index + 1] == kind { index += 1 }
            } else {
                switch token.kind {
                case .symbol:
                    features.append(FeatureHash(.symbol).adding(text.folded[token.range.lowerBound]).value)
                    index += 1
                    continue
                case .number:
                    current = FeatureHash(.placeholder).adding("number").value
                    features.append(current)
                case .word, .mixed:
                    current = wordFeatures(text, index, into: &features, wordLevel: &language)
                }
            }
            features.append(FeatureHash(.bigram).adding(previous).adding(current).value)
            previous = current
            words += 1
            index += 1
        }
        features.append(FeatureHash(.length).adding(UInt64(lengthBucket(words))).value)
        return features
    }

    /// Adds the features of one word (the word-level ones also to `wordLevel`); returns the
    /// word's own hash (for bigrams).
    private static func wordFeatures(
        _ text: AnalyzedText, _ index: Int, into features: inout [UInt64], wordLevel: inout [UInt64]
    ) -> UInt64 {
        let token = text.tokens[index]
        let folded = text.folded[token.range]
        let start = features.count
        let word = FeatureHash(.word).adding(folded).value
        features.append(word)
        if text.lowered[token.range] != folded {
            features.append(FeatureHash(.diacritics).adding(text.lowered[token.range]).value)
        }
        let foldedWord = text.words[index]
        let stem = Stemmer.stem(foldedWord)
        if stem != foldedWord { features.append(FeatureHash(.stem).adding(stem.unicodeScalars).value) }
        wordLevel.append(contentsOf: features[start...])
        appendGrams(of: folded, tag: .gram, into: &features)
        return word
    }

    /// Character 3- and 4-grams of `^word$` (words up to 24 scalars), hashed in place.
    private static func appendGrams(of word: ArraySlice<Unicode.Scalar>, tag: Tag, into features: inout [UInt64]) {
        guard word.count <= 24 else { return }
        let paddedCount = word.count + 2
        let first = word.startIndex
        func scalar(at position: Int) -> UInt64 {
            position == 0 ? 0x5e : position == paddedCount - 1 ? 0x24 : UInt64(word[first + position - 1].value)
        }
        for length in 3...4 where paddedCount >= length {
            for start in 0...(paddedCount - length) {
                var hash = FeatureHash(tag).adding(UInt64(length))
                for position in start..<(start + length) { hash = hash.adding(scalar(at: position)) }
                features.append(hash.adding(UInt64(0xff)).value)
            }
        }
    }

    private static func lengthBucket(_ words: Int) -> Int {
        switch words {
        case 0...3: words
        case 4...5: 4
        case 6...9: 6
        default: 10
        }
    }

    private static let polishLetters: Set<Unicode.Scalar> = ["ą", "ć", "ę", "ł", "ń", "ó", "ś", "ź", "ż"]

    /// FNV-1a over tags, numbers and scalars: features are 64-bit numbers, never strings.
    private struct FeatureHash {
        private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

        init(_ tag: Tag) { mix(tag.rawValue) }

        func adding(_ number: UInt64) -> FeatureHash {
            var copy = self
            copy.mix(number)
            return copy
        }

        func adding(_ scalar: Unicode.Scalar) -> FeatureHash { adding(UInt64(scalar.value)) }

        func adding(_ scalars: some Sequence<Unicode.Scalar>) -> FeatureHash {
            var copy = self
            for scalar in scalars { copy.mix(UInt64(scalar.value)) }
            copy.mix(0xff)
            return copy
        }

        func adding(_ text: String) -> FeatureHash { adding(text.unicodeScalars) }

        private mutating func mix(_ number: UInt64) {
            value = (value ^ number) &* 0x0000_0100_0000_01b3
        }
    }
}
