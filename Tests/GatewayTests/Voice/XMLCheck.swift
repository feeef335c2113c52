import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Parses XML the way a strict reader would: `XMLParser` for well-formedness (libxml2 reports
/// errors it recovers from), then `XMLDocument` for the tree to assert on.
enum XMLCheck {
    /// The document's root element; records an issue and returns nil when `text` is not
    /// well-formed XML.
    static func root(of text: String, sourceLocation: SourceLocation = #_sourceLocation) -> XMLElement? {
        guard isWellFormed(text) else {
            Issue.record("not well-formed XML: \(text)", sourceLocation: sourceLocation)
            return nil
        }
        do {
            return try XMLDocument(xmlString: text, options: []).rootElement()
        } catch {
            Issue.record("XMLDocument refused it: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Whether `XMLParser` reads `text` to the end without an error.
    static func isWellFormed(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse() && parser.parserError == nil
    }

    /// The names of `element`'s child elements, in order.
    static func childNames(_ element: XMLElement) -> [String] {
        (element.children ?? []).compactMap { ($0 as? XMLElement)?.name }
    }

    /// The child elements of `element`.
    static func children(_ element: XMLElement) -> [XMLElement] {
        (element.children ?? []).compactMap { $0 as? XMLElement }
    }
}
