/// The words of a text as the classifier sees them, for comparing texts outside it: folded (case
/// and diacritics), cut at everything that is not a letter, each stripped of one inflectional
/// ending ("Przesyłkę" → "przesylk"). Numbers and words with digits in them are left out.
public enum WordStems {
    /// The stems of `text`'s words, in order, repeats kept.
    public static func of(_ text: String) -> [String] {
        let analyzed = AnalyzedText(text)
        return zip(analyzed.tokens, analyzed.words).compactMap { token, word in
            token.kind == .word ? Stemmer.stem(word) : nil
        }
    }
}
