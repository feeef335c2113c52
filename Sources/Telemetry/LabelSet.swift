/// The label values of one series, in the order of the family's label names.
struct LabelSet: Hashable, Comparable, Sendable {
    let values: [String]

    static func < (lhs: LabelSet, rhs: LabelSet) -> Bool { lhs.values.lexicographicallyPrecedes(rhs.values) }

    /// `{name="value",…}`, or nothing for a family without labels. `extra` adds a label such as `le`.
    func rendered(names: [String], extra: (name: String, value: String)? = nil) -> String {
        var pairs = zip(names, values).map { "\($0.0)=\"\(Self.escape($0.1))\"" }
        if let extra { pairs.append("\(extra.name)=\"\(Self.escape(extra.value))\"") }
        return pairs.isEmpty ? "" : "{" + pairs.joined(separator: ",") + "}"
    }

    private static func escape(_ value: String) -> String {
        value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"").replacingAll("\n", with: "\\n")
    }
}

/// Formats a sample value as Prometheus expects (`+Inf`, integers without a fraction).
func formatSample(_ value: Double) -> String {
    if value == .infinity { return "+Inf" }
    if value == -.infinity { return "-Inf" }
    if value.isNaN { return "NaN" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
}
