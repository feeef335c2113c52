/// Maps 64-bit feature hashes to dense indexes with open addressing and linear probing. The keys
/// are hashes already, so they index the table directly: far cheaper than `Dictionary`, which
/// would hash them again.
struct FeatureTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(expectedCount: Int = 1_024) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: -1, count: capacity)
        mask = capacity - 1
    }

    /// The index of `key`, or nil when it was never inserted.
    func index(of key: UInt64) -> Int32? {
        let key = Self.nonZero(key)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let found = keys[slot]
            if found == key { return values[slot] }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }

    /// The index of `key`, inserting it with the next free index when new.
    mutating func insert(_ key: UInt64) -> (index: Int32, inserted: Bool) {
        if (count + 1) * 2 > keys.count { grow() }
        let key = Self.nonZero(key)
        var slot = Int(truncatingIfNeeded: key) & mask
        while true {
            let found = keys[slot]
            if found == key { return (values[slot], false) }
            if found == 0 {
                keys[slot] = key
                values[slot] = Int32(count)
                count += 1
                return (values[slot], true)
            }
            slot = (slot + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: -1, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (slot, key) in oldKeys.enumerated() where key != 0 {
            var target = Int(truncatingIfNeeded: key) & mask
            while keys[target] != 0 { target = (target + 1) & mask }
            keys[target] = key
            values[target] = oldValues[slot]
        }
    }

    /// 0 marks an empty slot; a feature that hashes to 0 is stored as 1.
    private static func nonZero(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }
}
