import Cryptography
import Foundation

/// Twilio's `X-Twilio-Signature` for form-bodied webhooks: Base64 of the HMAC-SHA1, under the
/// account's auth token, of the request URL exactly as configured in Twilio (scheme, host, port,
/// path and query) followed by every POST parameter sorted by name, each name immediately
/// followed by its decoded value.
///
/// Parameters come from `TwilioForm`, which keeps the first of repeated names; Twilio's own
/// webhooks never repeat one.
public enum TwilioSignature {
    /// The signature Twilio sends for a request to `url` with `parameters`.
    public static func expected(url: String, parameters: [String: String], authToken: String) -> String {
        let code = HMACSHA1.authenticationCode(key: Array(authToken.utf8), message: signedBytes(url: url, parameters: parameters))
        return Data(code).base64EncodedString()
    }

    /// Whether `signature` (the header's value) is the one Twilio sends for this request,
    /// compared in constant time.
    public static func isValid(signature: String, url: String, parameters: [String: String], authToken: String) -> Bool {
        let expected = expected(url: url, parameters: parameters, authToken: authToken)
        return ConstantTime.equals(Array(expected.utf8), Array(signature.utf8))
    }

    /// The URL, then name and value of each parameter in the byte order of the names' UTF-8
    /// (code point order, as Twilio's libraries sort).
    private static func signedBytes(url: String, parameters: [String: String]) -> [UInt8] {
        var bytes = Array(url.utf8)
        let names = parameters.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        for name in names {
            bytes += name.utf8
            bytes += parameters[name, default: ""].utf8
        }
        return bytes
    }
}
