#if canImport(Glibc)
import Glibc
#endif

/// Writes one logfmt line per event: `time=… level=… msg="…" key=value …`.
///
/// A logger is a value: `with(_:)` returns a copy that adds fields (a conversation id, a
/// connection id) to every line it writes. Callers pass secrets as `.redacted`.
public struct Logger: Sendable {
    /// Lines below this level are dropped before they are formatted.
    public var level: LogLevel
    private let sink: any LogSink
    private var context: [(key: String, value: LogValue)]

    /// A logger writing lines at `level` and above to `sink`.
    public init(level: LogLevel = .info, sink: any LogSink = StandardErrorSink()) {
        self.level = level
        self.sink = sink
        self.context = []
    }

    /// A logger that drops every line; for code paths where logging is not wanted.
    public static var disabled: Logger {
        Logger(level: .error, sink: DiscardingSink())
    }

    /// A copy that adds `fields` to every line.
    public func with(_ fields: KeyValuePairs<String, LogValue>) -> Logger {
        var copy = self
        copy.context.append(contentsOf: fields.map { (key: $0.key, value: $0.value) })
        return copy
    }

    /// Whether a line at `level` would be written.
    public func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    public func debug(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.debug, message(), fields)
    }

    public func info(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.info, message(), fields)
    }

    public func warning(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.warning, message(), fields)
    }

    public func error(_ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        log(.error, message(), fields)
    }

    /// Writes `message` with `fields` at `level`, if the level is enabled.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        guard isEnabled(level) else { return }
        var line = LogfmtLine()
        line.append(key: "time", value: Timestamp.nowISO8601())
        line.append(key: "level", value: level.description)
        line.append(key: "msg", value: message())
        for field in context { line.append(key: field.key, value: field.value.description) }
        for field in fields { line.append(key: field.key, value: field.value.description) }
        sink.write(line: line.text)
    }
}

private struct DiscardingSink: LogSink {
    func write(line: String) {}
}

/// Builds one logfmt line, quoting values that need it.
struct LogfmtLine {
    private(set) var text = ""

    mutating func append(key: String, value: String) {
        if !text.isEmpty { text.append(" ") }
        text.append(key)
        text.append("=")
        text.append(Self.needsQuotes(value) ? Self.quoted(value) : value)
    }

    static func needsQuotes(_ value: String) -> Bool {
        value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "=" || $0 == "\"" || $0.value < 0x20 }
    }

    static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result.append("\\\"")
            case "\\": result.append("\\\\")
            case "\n": result.append("\\n")
            case "\r": result.append("\\r")
            case "\t": result.append("\\t")
            default:
                if scalar.value < 0x20 {
                    result.append("\\u{\(String(scalar.value, radix: 16))}")
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        result.append("\"")
        return result
    }
}

/// UTC wall-clock timestamps with millisecond precision, formatted without Foundation's formatters.
enum Timestamp {
    static func nowISO8601() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let millis = Int(now.tv_nsec / 1_000_000)
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(millis, 3))Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
