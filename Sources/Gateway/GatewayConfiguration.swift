import Storage
import Telemetry
import WebServer

/// Everything the gateway needs to run, gathered from flags and environment by the CLI (or
/// built directly by tests).
public struct GatewayConfiguration: Sendable {
    /// The HTTP/WebSocket server's settings.
    public var server: ServerConfiguration
    /// The SQLite database's settings.
    public var database: DatabaseConfiguration

    public init(server: ServerConfiguration = ServerConfiguration(), database: DatabaseConfiguration) {
        self.server = server
        self.database = database
    }
}
