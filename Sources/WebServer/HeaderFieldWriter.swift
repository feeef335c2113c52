/// Appends response header fields to a buffer as HTTP/1.1 bytes: `Name: value\r\n`.
///
/// Names are written capitalised (`content-type` → `Content-Type`): some clients compare names
/// case-sensitively. CR and LF in a value become spaces, so no value can start a header of its
/// own (response splitting).
struct HeaderFieldWriter {
    private(set) var cursor: UnsafeMutablePointer<UInt8>
    let end: UnsafeMutablePointer<UInt8>

    init(cursor: UnsafeMutablePointer<UInt8>, end: UnsafeMutablePointer<UInt8>) {
        self.cursor = cursor
        self.end = end
    }

    /// Appends one field; false when the buffer is full.
    mutating func append(name: String, value: String) -> Bool {
        guard end - cursor >= name.utf8.count + value.utf8.count + 4 else { return false }
        var startOfWord = true
        for byte in name.utf8 {
            cursor.pointee = startOfWord && byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte
            cursor += 1
            startOfWord = byte == UInt8(ascii: "-")
        }
        put(UInt8(ascii: ":"))
        put(UInt8(ascii: " "))
        for byte in value.utf8 {
            put(byte == 0x0d || byte == 0x0a ? UInt8(ascii: " ") : byte)
        }
        put(0x0d)
        put(0x0a)
        return true
    }

    private mutating func put(_ byte: UInt8) {
        cursor.pointee = byte
        cursor += 1
    }
}
