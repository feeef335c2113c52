import CLibWebSockets
import Foundation
import Synchronization
import Telemetry

/// Routes libwebsockets' own log lines (errors and warnings only) into our logger.
///
/// libwebsockets keeps one process-wide log hook, so the logger of the most recently started
/// server receives them.
enum LWSLog {
    private static let current = Mutex<Logger?>(nil)

    static func install(_ logger: Logger) {
        current.withLock { $0 = logger }
        lws_set_log_level(LLL_ERR | LLL_WARN) { level, line in
            guard let line else { return }
            let text = String(cString: line).trimmingCharacters(in: .whitespacesAndNewlines)
            let logger = LWSLog.current.withLock { $0 }
            logger?.log(level & LLL_ERR != 0 ? .warning : .debug, "libwebsockets: \(text)")
        }
    }
}
