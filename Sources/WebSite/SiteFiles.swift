import Foundation
import WebServer

/// One file of the web pages as it is served.
struct SiteFile: Sendable {
    let body: Data
    let contentType: String
    /// A strong validator of the body (`"…"`, quotes included).
    let entityTag: String

    init(body: Data, name: String) {
        self.body = body
        contentType = MediaType.forFile(named: name)
        entityTag = "\"" + SiteFiles.fingerprint(of: [body]) + "\""
    }
}

/// Where the pages' files come from: the copy compiled into orderbot (`EmbeddedSite`, read
/// once), or a folder read at every request (`WebPagesSettings.siteDirectory`).
///
/// HTML files are templates: `{{static}}` becomes `static/<version>`, the relative folder the
/// other files are served from. The version changes whenever any file does, so those files can
/// be cached for good.
enum SiteFiles: Sendable {
    case embedded(files: [String: SiteFile], version: String)
    case directory(URL)

    /// The placeholder HTML files use for the folder of the other files.
    static let staticPlaceholder = "{{static}}"
    /// The version a folder's files are served under: they change at any time, so never cached.
    static let directoryVersion = "local"

    /// The files built into orderbot.
    static func builtIn() -> SiteFiles { embedding(EmbeddedSite.files) }

    /// In-memory files (`path`, `contents`), templates filled in.
    static func embedding(_ sources: [(path: String, contents: String)]) -> SiteFiles {
        let version = String(fingerprint(of: sources.map { Data(($0.path + "\0" + $0.contents).utf8) }).prefix(12))
        var files: [String: SiteFile] = [:]
        for source in sources {
            files[source.path] = SiteFile(body: filled(Data(source.contents.utf8), path: source.path, version: version), name: source.path)
        }
        return .embedded(files: files, version: version)
    }

    /// The version in the pages' static URLs now.
    var version: String {
        switch self {
        case .embedded(_, let version): version
        case .directory: Self.directoryVersion
        }
    }

    /// Whether a request has to read the disk (and so must not run on the I/O thread).
    var readsDisk: Bool {
        if case .directory = self { true } else { false }
    }

    /// The file at `path` (`/`-separated, below the site's root), or nil. Hidden names, `..`
    /// and anything that is not a regular file are not served.
    func file(_ path: String) -> SiteFile? {
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty, !components.contains(where: { $0.isEmpty || $0.hasPrefix(".") || $0.contains("\0") }) else {
            return nil
        }
        switch self {
        case .embedded(let files, _):
            return files[path]
        case .directory(let root):
            let file = components.reduce(root) { $0.appendingPathComponent(String($1)) }.standardizedFileURL
            guard file.path.hasPrefix(root.standardizedFileURL.path + "/"),
                  (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  let contents = FileManager.default.contents(atPath: file.path)
            else { return nil }
            return SiteFile(body: Self.filled(contents, path: path, version: version), name: path)
        }
    }

    private static func filled(_ contents: Data, path: String, version: String) -> Data {
        guard path.hasSuffix(".html") else { return contents }
        let page = String(decoding: contents, as: UTF8.self)
        return Data(page.replacingOccurrences(of: staticPlaceholder, with: "static/" + version).utf8)
    }

    /// 64-bit FNV-1a over the pieces, as 16 hex digits: a validator, not a secret.
    static func fingerprint(of pieces: [Data]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for piece in pieces {
            for byte in piece {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
