import Testing
@testable import Telemetry

/// One logfmt line per event: level filtering, quoting, context fields, redaction.
struct LoggerTests {
    /// A line carries time, level, message and fields, in that order, quoted where needed.
    @Test func lineIsLogfmt() throws {
        let sink = MemoryLogSink()
        Logger(level: .info, sink: sink).info("order placed", ["order": "A-12", "items": 2, "note": "dwie pary \"Aero\""])
        let line = try #require(sink.lines.first)
        #expect(line.hasPrefix("time="))
        #expect(line.contains(" level=info msg=\"order placed\" order=A-12 items=2 note=\"dwie pary \\\"Aero\\\"\""))
    }

    /// Lines below the logger's level are dropped.
    @Test func levelFilters() {
        let sink = MemoryLogSink()
        let logger = Logger(level: .warning, sink: sink)
        logger.debug("d")
        logger.info("i")
        logger.warning("w")
        logger.error("e")
        #expect(sink.lines.count == 2)
        #expect(sink.lines[0].contains("level=warning"))
        #expect(sink.lines[1].contains("level=error"))
    }

    /// Context added with `with` appears on every line of the derived logger only.
    @Test func contextFieldsAreCarried() {
        let sink = MemoryLogSink()
        let base = Logger(level: .info, sink: sink)
        let scoped = base.with(["conversation": "c-7"])
        scoped.info("one")
        base.info("two")
        #expect(sink.lines[0].contains("conversation=c-7"))
        #expect(!sink.lines[1].contains("conversation"))
    }

    /// A redacted value never reaches the sink.
    @Test func redactedValuesAreHidden() {
        let sink = MemoryLogSink()
        Logger(level: .info, sink: sink).info("token checked", ["token": .redacted])
        #expect(sink.lines[0].contains("token=[redacted]"))
    }

    /// Control characters and empty values are quoted so one event stays one line.
    @Test func newlinesCannotSplitALine() {
        let sink = MemoryLogSink()
        Logger(level: .info, sink: sink).info("multi\nline", ["empty": ""])
        #expect(sink.lines[0].contains(#"msg="multi\nline""#))
        #expect(sink.lines[0].contains(#"empty="""#))
        #expect(!sink.lines[0].contains("\n"))
    }

    /// `ORDERBOT_LOG` names map to levels; unknown names are refused.
    @Test func levelNames() {
        #expect(LogLevel(name: "WARN") == .warning)
        #expect(LogLevel(name: "debug") == .debug)
        #expect(LogLevel(name: "verbose") == nil)
    }
}
