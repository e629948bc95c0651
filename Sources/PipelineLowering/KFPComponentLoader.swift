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
        DocumentReader.read(bytes, file: file, diagnostics: diagnostics).flatMap { load($0, reference: reference, diagnostics: diagnostics) }
    }

    package static func load(_ document: Node, reference: String, diagnostics: DiagnosticEngine) -> ComponentDefinition? {
        if document["implementation"] != nil { return KFPV1ComponentLoader.load(document, reference: reference, diagnostics: diagnostics) }
        func fail(_ message: String, at node: Node? = nil) -> ComponentDefinition? {
            diagnostics.error(.invalidComponentFile, "\(message) in component file", at: (node ?? document).location)
            return nil
        }
        guard document["components"]?.mapping != nil, let root = document["root"], case .object(let rootObject) = root.json else {
            return fail("expected a compiled KFP component or pipeline (with 'components' and 'root')")
        }
        guard let name = document["pipelineInfo"]?["name"]?.string else { return fail("no pipelineInfo.name") }
        // As kfp tells them apart: a component file has an executor named after it; any
        // other file is a pipeline, used as a DAG of its own.
        let sanitized = KFPNameRule.name(name, separator: "-", keepsSeparator: false)
        guard let executor = document["deploymentSpec"]?["executors"]?["exec-" + sanitized] else {
            guard let inputs = interface(root["inputDefinitions"], diagnostics), let outputs = interface(root["outputDefinitions"], diagnostics),
                  case .object(let components)? = document["components"]?.json
            else { return nil }
            let executors: JSONObject
            if case .object(let object)? = document["deploymentSpec"]?["executors"]?.json { executors = object } else { executors = JSONObject() }
            return ComponentDefinition(
                name: name, reference: reference, inputs: inputs, outputs: outputs,
                executor: .compiledPipeline(CompiledPipelineSpec(root: rootObject, components: components, executors: executors)))
        }
        guard let container = executor["container"], case .object(let containerObject) = container.json else {
            return fail("only container executors are supported (not importers or resolvers)", at: executor)
        }
        let component = document["components"]?["comp-" + sanitized] ?? root
        guard let inputs = interface(component["inputDefinitions"], diagnostics),
              let outputs = interface(component["outputDefinitions"], diagnostics)
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
        case "TASK_FINAL_STATUS": return .taskFinalStatus
        default: return nil
        }
    }
}

/// The built-in components: GCPC 2.22.0's container components for Vertex AI Pipelines,
/// with exactly the executors GCPC emits (generated by scripts/generate-builtins).
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
