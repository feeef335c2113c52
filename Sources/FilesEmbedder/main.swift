// Build-time tool behind the EmbedIntents and EmbedSite plugins: turns the text files under a
// folder into a Swift source file, so they are compiled into the binary and it runs anywhere.
//
// Usage: FilesEmbedder DIRECTORY OUTPUT_FILE TYPE_NAME EXTENSION...
// Writes `enum TYPE_NAME { static let files: [(path: String, contents: String)] }` with every file
// below DIRECTORY whose name ends in one of the extensions (no dot), sorted by path.
import Foundation

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("FilesEmbedder: \(message)\n".utf8))
    exit(status)
}

let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    fail("usage: FilesEmbedder DIRECTORY OUTPUT_FILE TYPE_NAME EXTENSION...", status: 64)
}
let root = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])
let typeName = arguments[3]
let extensions = Set(arguments[4...].map { "." + $0 })

func swiftLiteral(_ text: String) -> String {
    var literal = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": literal += "\\\\"
        case "\"": literal += "\\\""
        case "\n": literal += "\\n"
        case "\r": literal += "\\r"
        case "\t": literal += "\\t"
        default:
            if scalar.value < 0x20 {
                literal += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                literal.unicodeScalars.append(scalar)
            }
        }
    }
    return literal + "\""
}

let paths = (FileManager.default.subpaths(atPath: root.path) ?? [])
    .filter { path in extensions.contains { path.hasSuffix($0) } }
    .sorted()
var source = """
    // Generated at build time from \(root.lastPathComponent)/ by FilesEmbedder. Do not edit: edit the files.

    /// The files of \(root.lastPathComponent)/ as they were when the binary was built: path below it and contents.
    enum \(typeName) {
        static let files: [(path: String, contents: String)] = [

    """
for path in paths {
    guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
        fail("cannot read \(root.lastPathComponent)/\(path)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        fail("\(root.lastPathComponent)/\(path) is not UTF-8")
    }
    source += "        (\(swiftLiteral(path)), \(swiftLiteral(text))),\n"
}
source += "    ]\n}\n"
do {
    try source.write(to: output, atomically: true, encoding: .utf8)
} catch {
    fail("cannot write \(output.path): \(error)")
}
