import Foundation
import Synchronization

/// The built `orderbot` binary run as a child process, for tests of the whole program: flags,
/// signals, exit codes, logs.
public final class ServerProcess {
    public let process = Process()
    private let errorPipe = Pipe()
    private let outputPipe = Pipe()
    private let collected = Collected()

    /// The `orderbot` executable next to the test bundle in `.build/<configuration>/`.
    public static var binary: URL {
        let products = Bundle.allBundles.map(\.bundleURL).first { $0.pathExtension == "xctest" }?
            .deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return products.appendingPathComponent("orderbot")
    }

    /// Starts `orderbot arguments…` with `environment` added to a minimal one, and `input` (if
    /// any) on its standard input, which is then closed.
    public init(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw ServerProcessError.binaryMissing(Self.binary.path)
        }
        process.executableURL = Self.binary
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()].merging(environment) { $1 }
        process.standardError = errorPipe
        process.standardOutput = outputPipe
        let collected = self.collected
        // One thread per pipe reading until its end, in order (readability handlers may hand a
        // large output over out of order or late on a loaded machine).
        Self.drain(errorPipe.fileHandleForReading, into: collected.appendError)
        Self.drain(outputPipe.fileHandleForReading, into: collected.appendOutput)
        let inputPipe = input.map { _ in Pipe() }
        if let inputPipe { process.standardInput = inputPipe }
        try process.run()
        if let input, let inputPipe {
            let writer = inputPipe.fileHandleForWriting
            Thread {
                writer.write(input)
                try? writer.close()
            }.start()
        }
    }

    private static func drain(_ handle: FileHandle, into append: @escaping @Sendable (Data) -> Void) {
        Thread {
            while true {
                let data = handle.availableData
                append(data)
                if data.isEmpty { return }
            }
        }.start()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Standard error so far.
    public var standardError: String { collected.error }
    /// Standard output so far.
    public var standardOutput: String { collected.output }

    /// The port from the `listening` log line, waiting up to `timeout` seconds for it.
    public func waitForPort(timeout: Double = 20) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            if let line = standardError.split(separator: "\n").first(where: { $0.contains("msg=listening") }),
               let field = line.split(separator: " ").first(where: { $0.hasPrefix("port=") }),
               let port = Int(field.dropFirst(5)) {
                return port
            }
            guard process.isRunning else { throw ServerProcessError.exited(process.terminationStatus, standardError) }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ServerProcessError.noPort(standardError)
    }

    /// Sends `signal` (SIGTERM, SIGINT) to the process.
    public func send(signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end; its exit status, or nil if it is still running after `timeout`.
    public func waitForExit(timeout: Double = 15) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, deadline.timeIntervalSinceNow > 0 {
            Thread.sleep(forTimeInterval: 0.02)
        }
        guard !process.isRunning else { return nil }
        // The readers get the last output after the exit: wait for both pipes to reach their end
        // (a loaded machine can take a while to hand over a megabyte).
        while !collected.bothClosed, deadline.timeIntervalSinceNow > -10 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        return process.terminationStatus
    }

    /// Runs `orderbot arguments…` to completion: exit status, standard output, standard error.
    public static func run(
        _ arguments: [String], environment: [String: String] = [:], input: Data? = nil, timeout: Double = 30
    ) throws -> (status: Int32, output: String, error: String) {
        let server = try ServerProcess(arguments, environment: environment, input: input)
        guard let status = server.waitForExit(timeout: timeout) else {
            server.process.terminate()
            throw ServerProcessError.timedOut
        }
        return (status, server.standardOutput, server.standardError)
    }
}

public enum ServerProcessError: Error, CustomStringConvertible {
    case binaryMissing(String)
    case exited(Int32, String)
    case noPort(String)
    case timedOut

    public var description: String {
        switch self {
        case .binaryMissing(let path): "no orderbot binary at \(path): run `swift build` before `swift test`"
        case .exited(let status, let log): "orderbot exited with \(status): \(log)"
        case .noPort(let log): "orderbot did not log a listening port: \(log)"
        case .timedOut: "orderbot did not exit in time"
        }
    }
}

/// Output collected from the child's pipes on Foundation's reader threads.
private final class Collected: Sendable {
    private let state = Mutex<(error: Data, output: Data, errorClosed: Bool, outputClosed: Bool)>((Data(), Data(), false, false))

    /// Appends `data`; empty data is the pipe's end.
    func appendError(_ data: Data) { state.withLock { if data.isEmpty { $0.errorClosed = true } else { $0.error.append(data) } } }
    func appendOutput(_ data: Data) { state.withLock { if data.isEmpty { $0.outputClosed = true } else { $0.output.append(data) } } }
    /// Whether both pipes reached their end (everything the child wrote is here).
    var bothClosed: Bool { state.withLock { $0.errorClosed && $0.outputClosed } }
    var error: String { state.withLock { String(decoding: $0.error, as: UTF8.self) } }
    var output: String { state.withLock { String(decoding: $0.output, as: UTF8.self) } }
}
