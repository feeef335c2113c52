import Commerce
import WebServer

/// The body of `PUT /api/catalog`: the catalog CSV as UTF-8 `text/csv`, read and checked whole
/// before anything is written.
enum CatalogUpload {
    /// The file `request` carries; a refusal says what is wrong and that nothing changed.
    static func file(in request: HTTPRequest) throws(HTTPError) -> CatalogFile {
        guard request.contentType == "text/csv" else {
            throw HTTPError(
                .unsupportedMediaType, code: "unsupported_media_type", message: "Send the catalog as text/csv (UTF-8).")
        }
        guard !request.body.isEmpty else {
            throw refusal("empty_body", "Send the catalog CSV in the body: a header row, then one row per variant.")
        }
        guard let text = String(validating: request.body, as: UTF8.self) else {
            throw refusal("invalid_encoding", "The catalog is not UTF-8 text; nothing was changed.")
        }
        let file: CatalogFile
        do {
            file = try CatalogImport().read(text)
        } catch {
            throw refusal("invalid_catalog", "\(error); nothing was changed.")
        }
        // A header alone is a broken export far more often than a shop closing: it would stop
        // selling everything.
        guard file.variantCount > 0 else {
            throw refusal("invalid_catalog", "line 2: the file has no variants; nothing was changed.")
        }
        return file
    }

    private static func refusal(_ code: String, _ message: String) -> HTTPError {
        HTTPError(.badRequest, code: code, message: message)
    }
}
