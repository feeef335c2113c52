import Foundation
import Testing
import TestSupport
import WebServer

/// A route that takes bodies above the server's limit from the requests it admits, over real
/// sockets: the others keep the server's limit, and a refused head is answered from the head.
struct BodyAllowanceTests {
    private static let limit = 64 << 10
    private static let key = ["Authorization": "Bearer open"]

    private static func server() throws -> TestServer {
        try TestServer(ServerConfiguration(maxBodyBytes: limit)) { router in
            let allowance = BodyAllowance(maxBytes: 4 * limit) { request throws(HTTPError) in
                guard request.headers["authorization"] == "Bearer open", request.body.isEmpty else {
                    throw HTTPError(.unauthorized, code: "unauthorized", message: "Send the key.")
                }
            }
            router.add(.put, "/large/{name}", allowing: allowance) { request in
                HTTPResponse(status: .ok, headers: ["content-type": "application/octet-stream"], body: request.body)
            }
            router.put("/small") { request in HTTPResponse(body: request.body) }
        }
    }

    /// An admitted body three times the server's limit arrives intact.
    @Test func anAdmittedLargeBodyArrivesIntact() async throws {
        let server = try Self.server()
        let body = patternedBytes(count: 3 * Self.limit)
        let response = try await blocking {
            try server.client.request("PUT", "/large/a", headers: Self.key, body: body)
        }
        await server.stop()
        let intact = response.body == body
        #expect(response.status == 200)
        #expect(intact, "every byte, in order")
    }

    /// A large body without the key gets the allowance's refusal, not read into the handler;
    /// a small one reaches the handler as on any route.
    @Test func aRefusedHeadIsAnsweredBeforeItsBody() async throws {
        let server = try Self.server()
        let (refused, small) = try await blocking {
            (try server.client.request("PUT", "/large/a", body: patternedBytes(count: 2 * Self.limit)),
             try server.client.request("PUT", "/large/a", body: Array("small".utf8)))
        }
        await server.stop()
        #expect(refused.status == 401 && refused.errorCode == "unauthorized")
        #expect(small.status == 200 && small.text == "small")
    }

    /// Over the allowance, or over the server's limit on another route, is 413 naming the limit
    /// that applies.
    @Test func overTheAllowanceIs413() async throws {
        let server = try Self.server()
        let (tooLarge, otherRoute) = try await blocking {
            (try server.client.request("PUT", "/large/a", headers: Self.key, body: patternedBytes(count: 4 * Self.limit + 1)),
             try server.client.request("PUT", "/small", headers: Self.key, body: patternedBytes(count: Self.limit + 1)))
        }
        await server.stop()
        #expect(tooLarge.status == 413 && tooLarge.text.contains("\(4 * Self.limit) bytes"))
        #expect(otherRoute.status == 413 && otherRoute.text.contains("\(Self.limit) bytes"))
    }
}
