/// Reads CSV text (RFC 4180): comma-separated fields, double quotes around fields that hold
/// commas, quotes (doubled) or line breaks, CRLF or LF line ends, an optional UTF-8 BOM.
struct CSVReader {
    /// One record, with the line number it starts on (1-based).
    struct Record {
        let line: Int
        let fields: [String]
    }

    enum Failure: Error, Equatable {
        /// A quoted field runs to the end of the file.
        case unterminatedQuote(line: Int)
        /// Something other than a comma or a line end follows a closing quote.
        case textAfterQuote(line: Int)
    }

    static func records(_ text: String) throws(Failure) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xef, 0xbb, 0xbf]) { bytes.removeFirst(3) }
        var index = 0
        var quoted = false
        var afterQuote = false
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            afterQuote = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard field.isEmpty, !afterQuote else { throw .textAfterQuote(line: line) }
                quoted = true
            default:
                guard !afterQuote else { throw .textAfterQuote(line: line) }
                field.append(byte)
            }
        }
        guard !quoted else { throw .unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty || afterQuote { endRecord() }
        return records
    }
}
