import Foundation
import WebServer

/// Responses of the API as JSON: snake_case keys, sorted, slashes unescaped.
package enum APIJSON {
    /// A 200 with `value` as its JSON body.
    package static func response(_ value: some Encodable) throws -> HTTPResponse {
        .json(try encoder.encode(value))
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
