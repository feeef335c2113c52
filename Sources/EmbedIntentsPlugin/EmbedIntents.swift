import Foundation
import PackagePlugin

/// Compiles the training data in Intents/ into the target it is applied to (`EmbeddedIntents`),
/// so `orderbot` carries its intents wherever it runs. Every file under Intents/ is an input:
/// editing one rebuilds the target.
@main
struct EmbedIntents: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let intents = context.package.directoryURL.appendingPathComponent("Intents")
        let files = (FileManager.default.subpaths(atPath: intents.path) ?? [])
            .filter { $0.hasSuffix(".txt") }
            .sorted()
            .map { intents.appendingPathComponent($0) }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedIntents.swift")
        return [
            .buildCommand(
                displayName: "Embedding Intents/ (\(files.count) files)",
                executable: try context.tool(named: "FilesEmbedder").url,
                arguments: [intents.path, output.path, "EmbeddedIntents", "txt"],
                inputFiles: files,
                outputFiles: [output]),
        ]
    }
}
