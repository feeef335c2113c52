import Dialogue
import Synchronization

/// Decoded dialogue states by conversation, with the version they were saved as: a turn whose
/// conversation is still at that version skips decoding the stored JSON (a third of a turn's
/// cost on the writer). A version that does not match, after a rollback say, is decoded afresh.
final class StateCache: Sendable {
    private struct Entry: Sendable {
        let version: Int64
        let state: DialogueState
    }

    private let entries = Mutex<[Int64: Entry]>([:])
    /// The most conversations remembered; past it the cache starts over (it is only a shortcut).
    private let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The state saved for `conversation` at `version`, if it is the one remembered.
    func state(of conversation: Int64, at version: Int64) -> DialogueState? {
        entries.withLock { entries in
            guard let entry = entries[conversation], entry.version == version else { return nil }
            return entry.state
        }
    }

    func remember(_ state: DialogueState, of conversation: Int64, at version: Int64) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[conversation] == nil { entries.removeAll(keepingCapacity: true) }
            entries[conversation] = Entry(version: version, state: state)
        }
    }
}
