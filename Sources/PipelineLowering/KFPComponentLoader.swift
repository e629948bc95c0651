import Diagnostics
import EmbeddedResources
import JSON
import PipelineConfig
import PipelineIR
import YAML

/// Interprets a KFP component file: the form `kfp` 2 compiles a single component to (a
/// PipelineSpec whose root DAG runs one container component; the built-in components are
/// stored in the same form), or a v1 `component.yaml`.
package enum KFPComponentLoader {
    /// Reads the file's bytes with the reader its name calls for.
    package static func load(
        _ bytes: [UInt8], file: String, reference: String, diagnostics: DiagnosticEngine
    ) -> ComponentDefinition? {
        let document = file.hasSuffix(".json")
            ? JSONReader().read(bytes, file: file, diagnostics: diagnostics)
            : YAMLReader().read(bytes, file: file, diagnostics: diagnostics)
        return document.flatMap { load($0, reference: reference, diagnostics: diagnostics) }
    }

    package static func load(_ document: Node, reference: String, diagnostics: DiagnosticEngine) -> ComponentDefinition? {
        if document["implementation"] != nil { return KFPV1ComponentLoader.load(document, reference: reference, diagnostics: diagnostics) }
        func fail(_ message: String, at node: Node? = nil) -> ComponentDefinition? {
            diagnostics.error(.invalidComponentFile, "\(message) in component file", at: (node ?? document).location)
            return nil
        }
        guard let components = document["components"]?.mapping else {
            return fail("expected a KFP component (a 'components' mapping)")
        }
        let containerComponents = components.filter { $0.value["executorLabel"] != nil }
        guard containerComponents.count == 1, components.count == 1, let entry = containerComponents.first else {
            return fail("expected exactly one container component, found \(components.count) components (is this a compiled pipeline?)", at: document["components"])
        }
        guard let label = entry.value["executorLabel"]?.string,
              let executor = document["deploymentSpec"]?["executors"]?[label]
        else {
            return fail("no executor '\(entry.value["executorLabel"]?.string ?? "")' under deploymentSpec.executors")
        }
        guard let container = executor["container"], case .object(let containerObject) = container.json else {
            return fail("only container executors are supported (not importers or resolvers)", at: executor)
        }
        let name = document["pipelineInfo"]?["name"]?.string ?? String(entry.key.trimmingPrefix("comp-"))
        guard let inputs = interface(entry.value["inputDefinitions"], diagnostics),
              let outputs = interface(entry.value["outputDefinitions"], diagnostics)
        else { return nil }
        return ComponentDefinition(name: name, reference: reference, inputs: inputs, outputs: outputs, executor: .compiled(containerObject))
    }

    private static func interface(_ node: Node?, _ diagnostics: DiagnosticEngine) -> [IOSpec]? {
        guard let node else { return [] }
        var specs: [IOSpec] = []
        for entry in node["parameters"]?.mapping ?? [] {
            guard let typeName = entry.value["parameterType"]?.string, let type = parameterType(typeName) else {
                diagnostics.error(.invalidComponentFile, "parameter '\(entry.key)' has an unknown parameterType", at: entry.value.location)
                return nil
            }
            specs.append(IOSpec(
                name: entry.key, type: .parameter(type),
                defaultValue: entry.value["defaultValue"].map { $0.json.numbersAsDoubles },
                isOptional: entry.value["isOptional"]?.scalar?.boolValue ?? false,
                description: entry.value["description"]?.string))
        }
        for entry in node["artifacts"]?.mapping ?? [] {
            guard let title = entry.value["artifactType"]?["schemaTitle"]?.string else {
                diagnostics.error(.invalidComponentFile, "artifact '\(entry.key)' has no artifactType.schemaTitle", at: entry.value.location)
                return nil
            }
            specs.append(IOSpec(
                name: entry.key, type: entry.value["isArtifactList"]?.scalar?.boolValue == true ? .artifactList(title) : .artifact(title), defaultValue: nil,
                isOptional: entry.value["isOptional"]?.scalar?.boolValue ?? false,
                description: entry.value["description"]?.string))
        }
        return specs
    }

    /// PipelineSpec's names for parameter types.
    package static func parameterType(_ name: String) -> ParameterType? {
        switch name {
        case "STRING": return .string
        case "NUMBER_INTEGER": return .int
        case "NUMBER_DOUBLE": return .float
        case "BOOLEAN": return .bool
        case "LIST": return .list
        case "STRUCT": return .struct
        default: return nil
        }
    }
}

/// The built-in components: GCPC 2.22.0's Dataproc Serverless batches and Vertex AI tabular
/// dataset creation, with exactly the executors GCPC emits.
package enum BuiltinComponents {
    /// Names usable in `uses`, sorted.
    package static let names: [String] = EmbeddedResources.builtinComponents.keys.sorted()

    package static func load(_ reference: String, diagnostics: DiagnosticEngine) -> ComponentDefinition? {
        guard let text = EmbeddedResources.builtinComponents[reference] else { return nil }
        return KFPComponentLoader.load(Array(text.utf8), file: "<built-in \(reference)>.json", reference: reference, diagnostics: diagnostics)
    }

    /// The family of a built-in (`dataproc` for `dataproc/pyspark-batch`).
    package static func family(_ reference: String) -> String? {
        reference.firstIndex(of: "/").map { String(reference[..<$0]) }
    }
}

extension DiagnosticID {
    static let invalidComponentFile = DiagnosticID("invalid-component-file")
}
