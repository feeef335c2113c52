import Foundation
import PackagePlugin

/// Compiles the web pages in the target's `Sources/<target>/Site/` folder (HTML, CSS, JavaScript, SVG) into it
/// (`EmbeddedSite`), so `orderbot` serves them wherever it runs. Every file there is an input:
/// editing one rebuilds the target.
@main
struct EmbedSite: BuildToolPlugin {
    static let extensions = ["html", "css", "js", "svg", "txt", "json"]

    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let site = context.package.directoryURL.appendingPathComponent("Sources/\(target.name)/Site")
        let files = (FileManager.default.subpaths(atPath: site.path) ?? [])
            .filter { path in Self.extensions.contains { path.hasSuffix("." + $0) } }
            .sorted()
            .map { site.appendingPathComponent($0) }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedSite.swift")
        return [
            .buildCommand(
                displayName: "Embedding Site/ (\(files.count) files)",
                executable: try context.tool(named: "FilesEmbedder").url,
                arguments: [site.path, output.path, "EmbeddedSite"] + Self.extensions,
                inputFiles: files,
                outputFiles: [output]),
        ]
    }
}
