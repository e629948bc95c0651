import Foundation
import PackagePlugin

/// Compiles `schemas/pipeline.schema.json` and `schemas/deploy.schema.json` (as the Swift that
/// builds their compiled form), the built-in component specs and the diagnostics' explanations
/// (as string constants) into the `EmbeddedResources` module, so the schemas in `schemas/`
/// stay the single source of truth and the `pipespec` binary needs no files beside it.
@main
struct EmbedResourcesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let schemas = ["pipeline", "deploy"].map { context.package.directoryURL.appending(path: "schemas/\($0).schema.json") }
        let builtinDirectory = target.directoryURL.appending(path: "builtin")
        // builtin/<family>/<name>.yaml is the component `<family>/<name>`.
        let builtins = try FileManager.default
            .contentsOfDirectory(at: builtinDirectory, includingPropertiesForKeys: nil)
            .flatMap { try FileManager.default.contentsOfDirectory(at: $0, includingPropertiesForKeys: nil) }
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.path() < $1.path() }
        // diagnostics/<id>.md explains the diagnostic `<id>`.
        let explanations = try FileManager.default
            .contentsOfDirectory(at: target.directoryURL.appending(path: "diagnostics"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
            .sorted { $0.path() < $1.path() }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.generated.swift")
        return [
            .buildCommand(
                displayName: "Embedding the schemas, \(builtins.count) built-in components and \(explanations.count) explanations",
                executable: try context.tool(named: "EmbedResourcesTool").url,
                arguments: [output.path()] + (schemas + builtins + explanations).map { $0.path() },
                inputFiles: schemas + builtins + explanations,
                outputFiles: [output]
            ),
        ]
    }
}
