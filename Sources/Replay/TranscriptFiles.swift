import Foundation

/// Finds transcript files: the files named, and every `*.txt` under the directories named.
public enum TranscriptFiles {
    /// The transcripts at `paths`, each directory's sorted by path, in the order the paths were given.
    public static func find(_ paths: [String]) throws(TranscriptFilesError) -> [String] {
        var found: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw TranscriptFilesError.notFound(path)
            }
            found += isDirectory.boolValue ? inside(path) : [path]
        }
        return found
    }

    private static func inside(_ directory: String) -> [String] {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let relative = FileManager.default.enumerator(atPath: base)?.compactMap { $0 as? String } ?? []
        return relative.filter { $0.hasSuffix(".txt") }.sorted().map { "\(base)/\($0)" }
    }
}

/// A transcript path that cannot be used.
public enum TranscriptFilesError: Error, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(String)

    public var description: String {
        switch self {
        case .notFound(let path): "no such file or directory: \(path)"
        }
    }
}
