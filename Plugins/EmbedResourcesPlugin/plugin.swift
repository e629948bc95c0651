import Foundation
import PackagePlugin

/// Compiles `schemas/pipeline.schema.json` and the built-in component specs into the
/// `EmbeddedResources` module as string constants, so the schema in `schemas/` stays the
/// single source of truth and the `pipespec` binary needs no files beside it.
@main
struct EmbedResourcesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let schema = context.package.directoryURL.appending(path: "schemas/pipeline.schema.json")
        let builtinDirectory = target.directoryURL.appending(path: "builtin")
        // builtin/<family>/<name>.yaml is the component `<family>/<name>`.
        let builtins = try FileManager.default
            .contentsOfDirectory(at: builtinDirectory, includingPropertiesForKeys: nil)
            .flatMap { try FileManager.default.contentsOfDirectory(at: $0, includingPropertiesForKeys: nil) }
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.path() < $1.path() }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedResources.generated.swift")
        return [
            .buildCommand(
                displayName: "Embedding the pipeline schema and \(builtins.count) built-in components",
                executable: try context.tool(named: "EmbedResourcesTool").url,
                arguments: [output.path(), schema.path()] + builtins.map { $0.path() },
                inputFiles: [schema] + builtins,
                outputFiles: [output]
            ),
        ]
    }
}
