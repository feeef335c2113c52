import Foundation
import NLU
import Testing
import Wire

/// `JSONReader` against Foundation's JSONSerialization on the same texts: the same values for
/// valid JSON (the Messenger fixtures included), a refusal for what RFC 8259 does not allow.
struct JSONReaderTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("messenger")

    /// Foundation's reading of `text` as a `JSONValue`, for comparison.
    static func foundationValue(_ data: Data) throws -> JSONValue {
        func convert(_ object: Any) -> JSONValue {
            switch object {
            case is NSNull: return .null
            case let number as NSNumber:
                // JSONSerialization's booleans are NSNumbers of Objective-C type "c" (char).
                if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
                // Integers beyond 64 bits come as NSDecimalNumber, whose doubleValue is not the
                // nearest double: read its digits as a double instead.
                if number is NSDecimalNumber, let exact = Double(number.stringValue) { return .number(exact) }
                return .number(number.doubleValue)
            case let text as String: return .string(text)
            case let array as [Any]: return .array(array.map(convert))
            case let dictionary as [String: Any]: return .object(dictionary.mapValues(convert))
            default: return .null
            }
        }
        return convert(try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]))
    }

    static let valid: [String] = [
        #"{}"#, #"[]"#, #"0"#, #"-0"#, #"1.5e3"#, #"-12.25E-2"#, #"true"#, #"false"#, #"null"#, #""""#,
        #"{"a":[1,2,{"b":null}],"c":"d"}"#, " \t\r\n[ 1 , 2 ]\n ",
        #""cudzysłów \" ukośnik \\ \/ \b\f\n\r\t \u0041\u00f3\u0142 \ud83d\udc5f zażółć 👟""#,
        #"{"sender":{"id":"4000000000000001"},"timestamp":1718010600000,"message":{"mid":"m_1","text":"gdzie jest moja paczka?"}}"#,
        #"{"k":1,"k":2}"#,
    ]

    @Test(arguments: valid)
    func validTextReadsAsFoundationReadsIt(_ text: String) throws {
        let data = Data(text.utf8)
        #expect(try JSONReader.value(of: data) == Self.foundationValue(data))
    }

    @Test func everyMessengerFixtureReadsAsFoundationReadsIt() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).filter { $0.hasSuffix(".json") }
        #expect(files.count > 20)
        for file in files {
            let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(file))
            #expect(try JSONReader.value(of: data) == Self.foundationValue(data), "\(file)")
        }
    }

    static let invalid: [[UInt8]] = [
        "", " ", "{", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[1e]", "[+1]", "tru", "nul", "[NaN]", "1 2",
        "{\"a\" 1}", "{a:1}", "['a']", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud83d\"", "\"\\udc5f\"", "[1e999]",
        "// comment\n1", "\"tab\there\"", "[\"a\"]]",
    ].map { Array($0.utf8) } + [
        [0x22, 0xFF, 0x22],  // not UTF-8
        [0x22, 0xC3, 0x22],  // a UTF-8 sequence cut short
        Array(repeating: UInt8(ascii: "["), count: JSONReader.maximumDepth + 1) + Array(repeating: UInt8(ascii: "]"), count: JSONReader.maximumDepth + 1),
    ]

    @Test(arguments: invalid)
    func invalidTextIsRefused(_ bytes: [UInt8]) {
        #expect(throws: JSONSyntaxError.self) { try JSONReader.value(of: Data(bytes)) }
    }

    /// Nesting up to the limit is read.
    @Test func nestingUpToTheLimitIsRead() throws {
        let depth = JSONReader.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONReader.value(of: Data(text.utf8))
        var levels = 0
        while case .array(let elements) = value {
            levels += 1
            value = elements.first ?? .null
        }
        #expect(levels == depth)
    }

    /// 20,000 random mutations of the Messenger fixtures (a byte changed, inserted or dropped,
    /// a slice repeated): whatever the reader accepts, Foundation reads as the same value.
    @Test func mutatedFixturesAreReadAsFoundationReadsThemOrRefused() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).filter { $0.hasSuffix(".json") }.sorted()
        let originals = try files.map { Array(try Data(contentsOf: Self.fixtures.appendingPathComponent($0))) }
        var random = SplitMix64(seed: 19)
        let interesting = Array("{}[]\",:0123456789-+.eEtrufalsn \\u\u{0}\u{1f}ż".utf8) + [0xFF, 0xC3, 0x80]
        var accepted = 0
        for round in 0..<20_000 {
            var bytes = originals[round % originals.count]
            for _ in 0..<Int.random(in: 1...3, using: &random) where !bytes.isEmpty {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[at] = interesting.randomElement(using: &random)!
                case 1: bytes.insert(interesting.randomElement(using: &random)!, at: at)
                case 2: bytes.remove(at: at)
                default: bytes.insert(contentsOf: bytes[at..<min(bytes.count, at + 8)], at: at)
                }
            }
            let data = Data(bytes)
            guard let ours = try? JSONReader.value(of: data) else { continue }
            accepted += 1
            #expect(ours == (try? Self.foundationValue(data)), "\(String(decoding: bytes, as: UTF8.self))")
        }
        #expect(accepted > 1_000)
    }
}
