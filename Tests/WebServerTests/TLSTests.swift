import Foundation
import Testing
import TestSupport
import WebServer

/// HTTPS served by libwebsockets itself, with a self-signed certificate made for the test: curl
/// trusting that certificate gets the page and an HSTS header; a client speaking plain HTTP to
/// the TLS port gets no page; a certificate that cannot be read stops the start with an error.
@Suite(.serialized)
struct TLSTests {
    /// Runs a program; its standard output, or nil when it failed.
    private static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A self-signed certificate for 127.0.0.1 and its key, in `directory`.
    private static func certificate(in directory: TemporaryDirectory) throws -> TLSFiles {
        let files = TLSFiles(certificatePath: directory.path("cert.pem"), privateKeyPath: directory.path("key.pem"))
        let made = try run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", files.privateKeyPath, "-out", files.certificatePath,
        ])
        guard made.status == 0 else { throw TLSTestError.noCertificate }
        return files
    }

    @Test func httpsIsServedWithHSTS() async throws {
        let directory = TemporaryDirectory()
        let files = try Self.certificate(in: directory)
        let server = try TestServer(ServerConfiguration(port: 0, tls: files)) { router in
            router.get("/hello") { _ in .text("hello over TLS") }
        }
        let port = server.port
        let (secure, plain) = try await blocking { () -> ((Int32, String), RawHTTPResponse?) in
            let secure = try Self.run("/usr/bin/curl", [
                "-sS", "-i", "--max-time", "5", "--cacert", files.certificatePath, "https://127.0.0.1:\(port)/hello",
            ])
            let plain = try? HTTPTestClient(port: port).get("/hello")
            return ((secure.status, secure.output), plain)
        }
        await server.stop()
        #expect(secure.0 == 0)
        #expect(secure.1.contains("hello over TLS"))
        #expect(secure.1.lowercased().contains("strict-transport-security: max-age=31536000"))
        #expect(plain == nil || plain?.status != 200, "no page over plain HTTP on the TLS port")
    }

    /// A WebSocket upgrade over TLS (WSS) is switched like one over plain HTTP.
    @Test func webSocketsUpgradeOverTLS() async throws {
        let directory = TemporaryDirectory()
        let files = try Self.certificate(in: directory)
        let echo = WebSocketRoute(path: "/ws/echo") { connection in for await _ in connection.messages {} }
        let server = try TestServer(ServerConfiguration(port: 0, tls: files), webSockets: [echo])
        let port = server.port
        let request = directory.path("upgrade.txt")
        try Data((
            "GET /ws/echo HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").utf8
        ).write(to: URL(fileURLWithPath: request))
        let answer = try await blocking {
            // s_client keeps the socket open after its input ends; `timeout` ends it.
            try Self.run("/bin/sh", [
                "-c", "/usr/bin/timeout 3 /usr/bin/openssl s_client -connect 127.0.0.1:\(port) -quiet -CAfile "
                    + "\(files.certificatePath) < \(request) 2>/dev/null",
            ]).output
        }
        await server.stop()
        #expect(answer.hasPrefix("HTTP/1.1 101"))
        #expect(answer.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
    }

    @Test func anUnreadableCertificateStopsTheStart() throws {
        let directory = TemporaryDirectory()
        let files = TLSFiles(certificatePath: directory.path("missing.pem"), privateKeyPath: directory.path("missing-key.pem"))
        #expect(throws: (any Error).self) { _ = try TestServer(ServerConfiguration(port: 0, tls: files)) }
    }
}

enum TLSTestError: Error {
    case noCertificate
}
