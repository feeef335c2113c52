import Commerce
import Foundation
import ReadAPI
import Storage
import TestSupport
import Testing
import WebServer
import Wire

/// The catalog from the shop's systems against a live gateway on port 0: `PUT /api/catalog`
/// and `PATCH /api/variants/{sku}` over HTTP, read back from the database and seen by
/// conversations over the signed Messenger webhook.
struct CatalogAPITests {
    /// The demo catalog with the sold-out Beach Flow sandals back in stock (5 of each) and the
    /// black Aero Run in 42 left out.
    static var restockedDemoCatalog: String {
        DemoCatalog.csv.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            if line.hasPrefix("AERO-RUN-42-BLK,") { return nil }
            guard line.hasPrefix("BEACH-FLOW-") else { return String(line) }
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[9] = "5"
            return fields.joined(separator: ",")
        }.joined(separator: "\n")
    }

    /// A new catalog applies in one go and answers its summary; a customer told a product was
    /// sold out finds it in stock when they ask again after the file.
    @Test func aGoodFileAppliesAndConversationsSeeIt() async throws {
        let fixture = try await TrustFixture()
        try await fixture.messenger("psid-beach", "chcę zamówić sandały Beach Flow", at: 1_718_030_000_000)
        let before = try await fixture.transcript(ofMessenger: "psid-beach")
        let response = try await fixture.putCatalog(Self.restockedDemoCatalog)
        try await fixture.messenger("psid-beach", "chcę zamówić sandały Beach Flow", at: 1_718_030_000_100)
        let after = Array(try await fixture.transcript(ofMessenger: "psid-beach").dropFirst(before.count))
        let stock = try await fixture.stock(of: ["BEACH-FLOW-38-BGE", "AERO-RUN-42-BLK"])
        let copy = fixture.gateway.engine.catalogSnapshot
        await fixture.stop()

        #expect(response.status == 200, "\(response.text)")
        #expect(response.headers["content-type"] == "application/json")
        let summary = try #require(response.json)
        #expect(summary["variants"] as? Int == 649)
        #expect(summary["new_variants"] as? Int == 0)
        #expect(summary["withdrawn_variants"] as? Int == 1)
        #expect((35...45).contains(summary["products"] as? Int ?? 0))
        #expect(stock == ["BEACH-FLOW-38-BGE": 5, "AERO-RUN-42-BLK": 0])
        #expect(copy.variant(sku: "BEACH-FLOW-38-BGE")?.stock == 5)
        #expect(copy.variant(sku: "AERO-RUN-42-BLK")?.stock == 0, "a variant the file leaves out is not sold")
        #expect(before.contains { $0.hasPrefix("bot:") && $0.contains("niedostępny") }, "\(before)")
        #expect(!after.contains { $0.contains("niedostępny") }, "\(after)")
        #expect(after.last?.lowercased().contains("rozmiar") == true, "\(after)")
    }

    /// A file with a bad row is refused with its line and field, and nothing changes: not the
    /// database, not what the conversations see.
    @Test func aBadRowChangesNothing() async throws {
        let fixture = try await TrustFixture()
        let before = try await fixture.catalogRows()
        let copyBefore = fixture.gateway.engine.catalogSnapshot
        var lines = Self.restockedDemoCatalog.split(separator: "\n").map(String.init)
        var fields = lines[300].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[9] = "-3"
        lines[300] = fields.joined(separator: ",")
        let response = try await fixture.putCatalog(lines.joined(separator: "\n"))
        let after = try await fixture.catalogRows()
        let copyAfter = fixture.gateway.engine.catalogSnapshot
        await fixture.stop()

        #expect(response.status == 400)
        #expect(response.errorCode == "invalid_catalog")
        let message = (response.json?["error"] as? [String: Any])?["message"] as? String
        #expect(message?.hasPrefix("line 301, stock: \"-3\"") == true, "\(message ?? response.text)")
        #expect(message?.hasSuffix("nothing was changed.") == true)
        #expect(after == before)
        #expect(copyAfter == copyBefore)
    }

    /// A body that is not a catalog CSV is refused before anything is read into the catalog:
    /// another content type or none (415), nothing, a header alone, text that is not UTF-8 (400).
    @Test func bodiesThatAreNotACatalogAreRefused() async throws {
        let fixture = try await TrustFixture()
        let before = try await fixture.catalogRows()
        let header = "sku,product_id,name_pl,name_en,category,size,color,price,currency,stock,aliases\n"
        let json = try await fixture.putCatalog(Self.restockedDemoCatalog, contentType: "application/json")
        let untyped = try await fixture.putCatalog(Self.restockedDemoCatalog, contentType: nil)
        let empty = try await fixture.putCatalog("")
        let headerOnly = try await fixture.putCatalog(header)
        let latin2 = try await fixture.putCatalog(
            bytes: Array(header.utf8) + Array("X-1,x,Buty".utf8) + [0xB3] + Array(",X,socks,,black,12.00,PLN,1,\n".utf8))
        let after = try await fixture.catalogRows()
        await fixture.stop()

        #expect(json.status == 415 && json.errorCode == "unsupported_media_type")
        #expect(untyped.status == 415 && untyped.errorCode == "unsupported_media_type")
        #expect(empty.status == 400 && empty.errorCode == "empty_body")
        #expect(headerOnly.status == 400 && headerOnly.errorCode == "invalid_catalog")
        #expect(latin2.status == 400 && latin2.errorCode == "invalid_encoding")
        #expect(after == before)
    }

    /// A catalog of a few megabytes (over the server's 1 MiB limit) is taken from the admin; the
    /// same body without the admin token is refused from its head, before it is read.
    @Test func aLargeCatalogIsTakenFromTheAdminOnly() async throws {
        let fixture = try await TrustFixture()
        let agent = try await fixture.addAgent("anna")
        var csv = "sku,product_id,name_pl,name_en,category,size,color,price,currency,stock,aliases\n"
        for product in 0..<2_000 {
            for size in 36..<46 {
                csv += "BIG-\(product)-\(size),big-\(product),Buty testowe numer \(product),Test shoes number \(product),"
                    + "sneakers,\(size),czarny,199.00,PLN,\(size - 30),testowe \(product);test \(product);buty \(product)\n"
            }
        }
        let large = try await fixture.putCatalog(csv)
        let byAgent = try await fixture.putCatalog(csv, token: agent)
        let anonymous = try await fixture.putCatalog(csv, token: nil)
        let stock = try await fixture.stock(of: ["BIG-1999-45", "AERO-RUN-42-BLK"])
        let copy = fixture.gateway.engine.catalogSnapshot
        await fixture.stop()

        #expect(csv.utf8.count > 2 << 20)
        #expect(large.status == 200, "\(large.text)")
        #expect(large.json?["variants"] as? Int == 20_000 && large.json?["new_variants"] as? Int == 20_000)
        #expect(stock == ["BIG-1999-45": 15, "AERO-RUN-42-BLK": 0])
        #expect(copy.variant(sku: "BIG-1999-45")?.stock == 15)
        #expect(byAgent.status == 401 && anonymous.status == 401)
    }

    /// Only the admin token changes the catalog: an agent's is 403, none or a wrong one 401,
    /// and nothing changes.
    @Test func onlyTheAdminChangesTheCatalog() async throws {
        let fixture = try await TrustFixture()
        let agent = try await fixture.addAgent("anna")
        let before = try await fixture.catalogRows()
        var answers: [(String, Int, RawHTTPResponse)] = []
        for (token, status) in [(agent, 403), (nil, 401), ("wrong-token", 401)] as [(String?, Int)] {
            answers.append(("PUT as \(token ?? "nobody")", status, try await fixture.putCatalog(Self.restockedDemoCatalog, token: token)))
            answers.append((
                "PATCH as \(token ?? "nobody")", status,
                try await fixture.patchVariant("AERO-RUN-42-BLK", #"{"stock": 0}"#, token: token)))
        }
        let after = try await fixture.catalogRows()
        await fixture.stop()

        for (request, status, answer) in answers {
            #expect(answer.status == status, "\(request): \(answer.text)")
            #expect(answer.errorCode == (status == 403 ? "forbidden" : "unauthorized"), "\(request)")
        }
        #expect(after == before)
    }

    /// A variant's stock, price or both change, the answer is the variant as it now is, and the
    /// conversations' catalog has it at once.
    @Test func patchChangesStockAndPrice() async throws {
        let fixture = try await TrustFixture()
        let stocked = try await fixture.patchVariant("AERO-RUN-42-BLK", #"{"stock": 12}"#)
        let priced = try await fixture.patchVariant("AERO-RUN-42-BLK", #"{"price": "299.5"}"#, contentType: "application/merge-patch+json")
        let both = try await fixture.patchVariant("AERO-RUN-43-BLK", #"{"stock": 0, "price": "0.99"}"#)
        let copy = fixture.gateway.engine.catalogSnapshot
        await fixture.stop()

        #expect(stocked.status == 200, "\(stocked.text)")
        let variant = try #require(priced.json)
        #expect(variant["sku"] as? String == "AERO-RUN-42-BLK")
        #expect(variant["product_id"] as? String == "aero-run")
        #expect(variant["size"] as? String == "42")
        #expect(variant["color"] as? String == "czarny")
        #expect(variant["price"] as? String == "299.50")
        #expect(variant["currency"] as? String == "PLN")
        #expect(variant["stock"] as? Int == 12)
        #expect(both.json?["stock"] as? Int == 0 && both.json?["price"] as? String == "0.99")
        #expect(copy.variant(sku: "AERO-RUN-42-BLK")?.stock == 12)
        #expect(copy.variant(sku: "AERO-RUN-42-BLK")?.price.minorUnits == 29_950)
        #expect(copy.variant(sku: "AERO-RUN-43-BLK")?.stock == 0)
    }

    /// Every malformed change is refused with a code naming what is wrong, and the variant
    /// stays as it was; an unknown SKU is 404.
    @Test func patchRefusesWhatItCannotApply() async throws {
        let fixture = try await TrustFixture()
        let before = try await fixture.catalogRows()
        let cases: [(body: String, contentType: String?, status: Int, code: String)] = [
            ("{}", "application/json", 400, "missing_field"),
            (#"{"colour": "red"}"#, "application/json", 400, "unknown_field"),
            (#"{"stock": 5, "note": "x"}"#, "application/json", 400, "unknown_field"),
            (#"{"stock": -1}"#, "application/json", 400, "invalid_stock"),
            (#"{"stock": 1.5}"#, "application/json", 400, "invalid_stock"),
            (#"{"stock": "5"}"#, "application/json", 400, "invalid_stock"),
            (#"{"stock": null}"#, "application/json", 400, "invalid_stock"),
            (#"{"stock": 1000001}"#, "application/json", 400, "invalid_stock"),
            (#"{"stock": 1e300}"#, "application/json", 400, "invalid_stock"),
            (#"{"price": 349}"#, "application/json", 400, "invalid_price"),
            (#"{"price": "349,00"}"#, "application/json", 400, "invalid_price"),
            (#"{"price": "349.001"}"#, "application/json", 400, "invalid_price"),
            (#"{"price": "-1.00"}"#, "application/json", 400, "invalid_price"),
            (#"{"price": " 349.00"}"#, "application/json", 400, "invalid_price"),
            (#"{"price": "1000000.01"}"#, "application/json", 400, "invalid_price"),
            (#"{"stock": 5, "price": "abc"}"#, "application/json", 400, "invalid_price"),
            ("stock=5", "application/json", 400, "malformed_json"),
            (#"[{"stock": 5}]"#, "application/json", 400, "malformed_json"),
            (#"{"stock": 5"#, "application/json", 400, "malformed_json"),
            ("", "application/json", 400, "malformed_json"),
            (#"{"stock": 5}"#, "text/plain", 415, "unsupported_media_type"),
            (#"{"stock": 5}"#, nil, 415, "unsupported_media_type"),
        ]
        var answers: [RawHTTPResponse] = []
        for (body, contentType, _, _) in cases {
            answers.append(try await fixture.patchVariant("AERO-RUN-42-BLK", body, contentType: contentType))
        }
        let unknown = try await fixture.patchVariant("NO-SUCH-SKU", #"{"stock": 5}"#)
        let after = try await fixture.catalogRows()
        await fixture.stop()

        for (item, answer) in zip(cases, answers) {
            #expect(answer.status == item.status, "\(item.body): \(answer.text)")
            #expect(answer.errorCode == item.code, "\(item.body): \(answer.text)")
        }
        #expect(unknown.status == 404 && unknown.errorCode == "not_found")
        #expect(after == before)
    }

    /// A customer who chose a product and gave every detail gets no order when the shop sets
    /// that variant's stock to 0 before "tak": the bot says it has sold out, and the stock stays 0.
    @Test func stockGoneBeforeConfirmationPlacesNoOrder() async throws {
        let fixture = try await TrustFixture()
        let messages = TrustFixture.Orderer.messages
        for (index, text) in messages.dropLast().enumerated() {
            try await fixture.messenger(TrustFixture.Orderer.psid, text, at: 1_718_040_000_000 + Int64(index) * 10)
        }
        let summary = try await fixture.transcript(ofMessenger: TrustFixture.Orderer.psid)
        let patched = try await fixture.patchVariant("SPRINT-LITE-41-WHT", #"{"stock": 0}"#)
        try await fixture.messenger(TrustFixture.Orderer.psid, messages.last!, at: 1_718_040_001_000)
        let transcript = try await fixture.transcript(ofMessenger: TrustFixture.Orderer.psid)
        let orders = try await fixture.count("SELECT count(*) FROM orders")
        let stock = try await fixture.stock(of: ["SPRINT-LITE-41-WHT"])
        let copy = fixture.gateway.engine.catalogSnapshot
        await fixture.stop()

        #expect(summary.last?.contains("Sprint Lite") == true, "the order was read back for confirmation: \(summary)")
        #expect(patched.status == 200)
        #expect(orders == 0)
        #expect(transcript.last { $0.hasPrefix("bot:") }?.contains("wyprzedał") == true, "\(transcript.suffix(2))")
        #expect(stock == ["SPRINT-LITE-41-WHT": 0])
        #expect(copy.variant(sku: "SPRINT-LITE-41-WHT")?.stock == 0)
    }

    /// The OpenAPI document describes both endpoints: their bodies, answers and the admin token.
    @Test func theOpenAPIDocumentDescribesBoth() async throws {
        let fixture = try await TrustFixture()
        let document = try await fixture.api("/api/openapi.json")
        await fixture.stop()

        let paths = try #require(document["paths"] as? [String: Any])
        let put = try #require((paths["/api/catalog"] as? [String: Any])?["put"] as? [String: Any])
        let patch = try #require((paths["/api/variants/{sku}"] as? [String: Any])?["patch"] as? [String: Any])
        let putBody = (put["requestBody"] as? [String: Any])?["content"] as? [String: Any]
        let patchBody = (patch["requestBody"] as? [String: Any])?["content"] as? [String: Any]
        #expect(putBody?["text/csv"] != nil)
        #expect(patchBody?["application/json"] != nil)
        for operation in [put, patch] {
            let responses = try #require(operation["responses"] as? [String: Any])
            #expect(Set(responses.keys).isSuperset(of: ["200", "400", "401", "403", "415"]))
        }
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        #expect(schemas?["CatalogSummary"] != nil && schemas?["Variant"] != nil && schemas?["VariantChange"] != nil)
    }

    /// A change that committed but that the conversations' copy could not take up is a 500
    /// `catalog_not_reloaded` saying it is saved, and sending it again is safe.
    @Test func aCopyThatCannotBeRefreshedIsReportedAsSaved() async throws {
        let directory = TemporaryDirectory()
        let database = try DatabasePool(DatabaseConfiguration(path: directory.path("catalog.sqlite")), migrator: Schema.migrator())
        defer { database.close() }
        _ = try await database.write { db in try DemoCatalog.seedIfEmpty(in: db, now: { Date() }) }
        var router = Router()
        CatalogRoutes(
            database: database, currency: "PLN", authorization: .api(adminToken: TrustFixture.adminToken),
            catalogChanged: { _ in throw CatalogAPITestError.copyUnavailable }
        ).install(in: &router)
        let request = HTTPRequest(
            method: .patch, path: "/api/variants/AERO-RUN-42-BLK",
            headers: ["authorization": "Bearer \(TrustFixture.adminToken)", "content-type": "application/json"],
            body: Data(#"{"stock": 9}"#.utf8))
        let first = await router.respond(to: request)
        let again = await router.respond(to: request)
        let stock = try await database.read { db in try Catalog().variant(sku: "AERO-RUN-42-BLK", in: db)?.stock }

        for response in [first, again] {
            #expect(response.status == .internalServerError)
            #expect(String(decoding: response.body, as: UTF8.self).contains(#""code":"catalog_not_reloaded""#))
        }
        #expect(stock == 9)
    }
}

/// The catalog API as the shop's systems call it, and the catalog as the database holds it.
extension TrustFixture {
    /// `PUT /api/catalog` with `csv`.
    func putCatalog(_ csv: String, token: String? = TrustFixture.adminToken, contentType: String? = "text/csv") async throws
        -> RawHTTPResponse
    {
        try await putCatalog(bytes: Array(csv.utf8), token: token, contentType: contentType)
    }

    /// `PUT /api/catalog` with any bytes.
    func putCatalog(bytes: [UInt8], token: String? = TrustFixture.adminToken, contentType: String? = "text/csv") async throws
        -> RawHTTPResponse
    {
        let client = self.client
        let headers = Self.headers(token: token, contentType: contentType)
        return try await blocking { try client.request("PUT", "/api/catalog", headers: headers, body: bytes, timeout: 60) }
    }

    /// `PATCH /api/variants/{sku}` with `body`.
    func patchVariant(
        _ sku: String, _ body: String, token: String? = TrustFixture.adminToken, contentType: String? = "application/json"
    ) async throws -> RawHTTPResponse {
        let client = self.client
        let headers = Self.headers(token: token, contentType: contentType)
        return try await blocking { try client.request("PATCH", "/api/variants/\(sku)", headers: headers, body: Array(body.utf8)) }
    }

    private static func headers(token: String?, contentType: String?) -> [String: String] {
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if let contentType { headers["Content-Type"] = contentType }
        return headers
    }

    /// An enabled agent's token.
    func addAgent(_ name: String) async throws -> String {
        try await gateway.database.write { db in try Agents().add(name: name, in: db).token }
    }

    /// The stock of each of `skus`.
    func stock(of skus: [String]) async throws -> [String: Int] {
        let database = gateway.database
        return try await blocking {
            try database.read { db in
                Dictionary(uniqueKeysWithValues: try skus.map { ($0, try Catalog().variant(sku: $0, in: db)?.stock ?? -1) })
            }
        }
    }

    /// Every product, alias and variant as one comparable text.
    func catalogRows() async throws -> String {
        let database = gateway.database
        return try await blocking {
            try database.read { db in
                let variants = try db.query("SELECT sku, product_id, size, color, price_minor, currency, stock FROM variants ORDER BY sku") {
                    row in (0..<7).map { "\(row.value($0))" }.joined(separator: "|")
                }
                let products = try db.query("SELECT id, name_pl, name_en, category FROM products ORDER BY id") { row in
                    (0..<4).map { row.string($0) }.joined(separator: "|")
                }
                let aliases = try db.query("SELECT product_id, alias FROM product_aliases ORDER BY 1, 2") {
                    "\($0.string(0))=\($0.string(1))"
                }
                return (variants + products + aliases).joined(separator: "\n")
            }
        }
    }
}

enum CatalogAPITestError: Error {
    case copyUnavailable
}
