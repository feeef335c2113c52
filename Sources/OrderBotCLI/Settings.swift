/// Looks up a setting as CONTRACT.md orders them: the flag, else the environment variable,
/// else the default; and turns it into the type it must be, with a clear error when it is not.
struct Settings {
    let arguments: ParsedArguments
    let environment: [String: String]

    /// The text value of `flag` / `variable`, or nil when neither is set.
    func string(flag: String? = nil, variable: String?) -> String? {
        if let flag, let value = arguments.options[flag] { return value }
        if let variable, let value = environment[variable], !value.isEmpty { return value }
        return nil
    }

    /// An integer in `range`, or `fallback` when unset.
    func integer(flag: String? = nil, variable: String?, in range: ClosedRange<Int>, default fallback: Int)
        throws(UsageError) -> Int
    {
        guard let text = string(flag: flag, variable: variable) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError("\(Self.name(flag: flag, variable: variable)) must be a whole number from "
                + "\(range.lowerBound) to \(range.upperBound) (got \"\(text)\")")
        }
        return value
    }

    private static func name(flag: String?, variable: String?) -> String {
        [flag.map { "--\($0)" }, variable].compactMap { $0 }.joined(separator: " / ")
    }
}
