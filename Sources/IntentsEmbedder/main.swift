// Build-time tool behind the EmbedIntents plugin: turns every `.txt` file under Intents/ into a
// Swift source file, so the training data is compiled into the binary.
//
// Usage: IntentsEmbedder INTENTS_DIRECTORY OUTPUT_FILE
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: IntentsEmbedder INTENTS_DIRECTORY OUTPUT_FILE\n".utf8))
    exit(64)
}
let root = URL(fileURLWithPath: arguments[1])
let output = URL(fileURLWithPath: arguments[2])

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

let paths = (FileManager.default.subpaths(atPath: root.path) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
var source = """
    // Generated at build time from Intents/ by the EmbedIntents plugin. Do not edit: edit Intents/.

    /// The files of Intents/ as they were when the binary was built: path below Intents/ and contents.
    enum EmbeddedIntents {
        static let files: [(path: String, contents: String)] = [

    """
for path in paths {
    guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
        FileHandle.standardError.write(Data("IntentsEmbedder: cannot read Intents/\(path)\n".utf8))
        exit(1)
    }
    guard let text = String(data: data, encoding: .utf8) else {
        FileHandle.standardError.write(Data("IntentsEmbedder: Intents/\(path) is not UTF-8\n".utf8))
        exit(1)
    }
    source += "        (\(swiftLiteral(path)), \(swiftLiteral(text))),\n"
}
source += "    ]\n}\n"
do {
    try source.write(to: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("IntentsEmbedder: cannot write \(output.path): \(error)\n".utf8))
    exit(1)
}
