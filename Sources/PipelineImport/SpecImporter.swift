import JSON
import PipelineConfig

/// Turns a compiled PipelineSpec back into a pipespec pipeline file: params from the root's
/// inputs, one component for each distinct executor (a built-in when it is one of GCPC's,
/// a Python function with its source written beside the pipeline, otherwise a component
/// file), and the DAG's tasks with their arguments as references.
package struct SpecImporter {
    let spec: JSONObject
    let components: JSONObject
    let executors: JSONObject
    /// A PipelineJob body's values for the params, which become their defaults.
    let runValues: JSONObject
    var catalog = ComponentCatalog()
    var warnings: [String] = []

    package static func importSpec(_ document: JSONValue) -> Result<ImportedPipeline, ImportError> {
        // A PipelineJob body holds the spec under `pipelineSpec`.
        guard case .object(let spec) = document["pipelineSpec"] ?? document, spec["root"] != nil else {
            return .failure(ImportError("not a PipelineSpec or a PipelineJob body: no 'root'"))
        }
        var importer = SpecImporter(
            spec: spec, components: spec["components"]?.objectValue ?? [:],
            executors: spec[path: "deploymentSpec.executors"]?.objectValue ?? [:],
            runValues: document[path: "runtimeConfig.parameterValues"]?.objectValue ?? document[path: "runtimeConfig.parameters"]?.objectValue ?? [:])
        do {
            return .success(try importer.run())
        } catch let error as ImportError {
            return .failure(error)
        } catch {
            return .failure(ImportError("\(error)"))
        }
    }

    private mutating func run() throws -> ImportedPipeline {
        guard let written = spec[path: "pipelineInfo.name"]?.stringValue else { throw ImportError("no pipelineInfo.name") }
        let name = Self.entryName(written, otherwise: "pipeline")
        if name != written { warnings.append("the pipeline '\(written)' is named '\(name)': pipespec names are lowercase letters, digits and '-'") }
        if let version = spec["schemaVersion"]?.stringValue, !version.hasPrefix("2.1") {
            warnings.append("schemaVersion \(version): written by an older KFP SDK; its forms are read as 2.1 forms where they agree")
        }
        let root = spec["root"]?.objectValue ?? [:]
        let tasks = try entries(of: root["dag"], scope: .root(tasks: root[path: "dag.tasks"]?.objectValue ?? [:]))
        var document: [(key: String, value: YAMLText)] = [("name", .string(name))]
        if let displayName = spec[path: "pipelineInfo.displayName"]?.stringValue { document.append(("display_name", .string(displayName))) }
        if let description = spec[path: "pipelineInfo.description"]?.stringValue { document.append(("description", .string(description))) }
        if let pipelineRoot = spec["defaultPipelineRoot"]?.stringValue { document.append(("pipeline_root", .string(pipelineRoot))) }
        let params = self.params(root["inputDefinitions"])
        if !params.isEmpty { document.append(("params", .mapping(params))) }
        if !catalog.entries.isEmpty { document.append(("components", .mapping(catalog.entries))) }
        document.append(("tasks", .mapping(tasks)))
        let outputs = try pipelineOutputs(root[path: "dag.outputs"], tasks: root[path: "dag.tasks"]?.objectValue ?? [:])
        if !outputs.isEmpty { document.append(("outputs", .mapping(outputs))) }
        let file = "# Imported from a compiled PipelineSpec by pipespec import.\n" + YAMLText.mapping(document).document
        return ImportedPipeline(files: [(name + ".yaml", file)] + catalog.files, warnings: warnings)
    }

    /// The root's inputs as params: type, default (or the job body's value), optional,
    /// description.
    private mutating func params(_ definitions: JSONValue?) -> [(key: String, value: YAMLText)] {
        var params: [(key: String, value: YAMLText)] = []
        for (name, definition) in definitions?["parameters"]?.objectValue?.members ?? [] {
            var entry: [(key: String, value: YAMLText)] = [("type", .scalar(Self.parameterType(definition) ?? "string"))]
            // What the job ran with, else the spec's default.
            let value = runValues[name].map(Self.runValue) ?? definition["defaultValue"]
            if let value {
                if let text = value.stringValue, RunIdentifiers.looksLikeOneRun(text) {
                    warnings.append("param '\(name)' defaults to '\(text)', which looks like one run's ID; pass ${pipeline.job_id} where it is used instead")
                }
                entry.append(("default", .constant(Self.escaped(value))))
            }
            if definition["isOptional"] == .bool(true), value == nil { entry.append(("optional", .scalar("true"))) }
            if let description = definition["description"]?.stringValue { entry.append(("description", .string(description))) }
            params.append((name, .mapping(entry)))
        }
        for (name, definition) in definitions?["artifacts"]?.objectValue?.members ?? [] {
            params.append((name, .scalar(Self.artifactType(definition))))
        }
        return params
    }

    /// The root DAG's outputs as `outputs`: each the top-level task output it comes from.
    private mutating func pipelineOutputs(_ outputs: JSONValue?, tasks: JSONObject) throws -> [(key: String, value: YAMLText)] {
        var entries: [(key: String, value: YAMLText)] = []
        for (name, output) in outputs?["parameters"]?.objectValue?.members ?? [] {
            guard let producer = output[path: "valueFromParameter.producerSubtask"]?.stringValue,
                  let key = output[path: "valueFromParameter.outputParameterKey"]?.stringValue
            else { throw ImportError("pipeline output '\(name)' does not come from one task; importing it is not supported yet") }
            entries.append((name, .string(try taskOutput(producer, key, in: tasks))))
        }
        for (name, output) in outputs?["artifacts"]?.objectValue?.members ?? [] {
            guard case .array(let selectors)? = output["artifactSelectors"], selectors.count == 1,
                  let producer = selectors[0]["producerSubtask"]?.stringValue, let key = selectors[0]["outputArtifactKey"]?.stringValue
            else { throw ImportError("pipeline output '\(name)' does not come from one task; importing it is not supported yet") }
            entries.append((name, .string(try taskOutput(producer, key, in: tasks))))
        }
        // pipespec names outputs as identifiers; kfp 1.8 named them after tasks.
        var names = UniqueNames(separator: "_")
        return entries.map { entry in
            let name = names.claim(Self.identifier(entry.key))
            if name != entry.key { warnings.append("pipeline output '\(entry.key)' is named '\(name)'") }
            return (name, entry.value)
        }
    }

    /// A name as an identifier: letters, digits and `_`, not starting with a digit.
    private static func identifier(_ name: String) -> String {
        let spelled = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        return spelled.first?.isNumber == false ? spelled : "output_" + spelled
    }

    /// A job body's value: a protobuf `Value`, or kfp 1.8's `{stringValue: …}`.
    private static func runValue(_ value: JSONValue) -> JSONValue {
        guard case .object(let object) = value, object.count == 1, let (key, inner) = object.members.first else { return value }
        switch key {
        case "stringValue", "doubleValue", "boolValue": return inner
        case "intValue": return inner.stringValue.flatMap(Double.init).map(JSONValue.double) ?? inner
        default: return value
        }
    }

    /// pipespec's name for a parameter's type (kfp 2 `parameterType`, kfp 1.8 `type`).
    static func parameterType(_ definition: JSONValue) -> String? {
        switch definition["parameterType"]?.stringValue ?? definition["type"]?.stringValue {
        case "STRING"?: return "string"
        case "NUMBER_INTEGER"?, "INT"?: return "int"
        case "NUMBER_DOUBLE"?, "DOUBLE"?: return "float"
        case "BOOLEAN"?: return "bool"
        case "LIST"?: return "list"
        case "STRUCT"?: return "struct"
        case "TASK_FINAL_STATUS"?: return "task_final_status"
        default: return nil
        }
    }

    /// `Dataset` for `system.Dataset`; other schema titles as they are.
    static func artifactType(_ definition: JSONValue) -> String {
        let title = definition[path: "artifactType.schemaTitle"]?.stringValue ?? "system.Artifact"
        return title.hasPrefix("system.") ? String(title.dropFirst("system.".count)) : title
    }

    /// A constant with every literal `${` written `$${`, as pipespec reads it back.
    static func escaped(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(text.replacing("${", with: "$${"))
        case .array(let items): return .array(items.map(escaped))
        case .object(let object): return .object(JSONObject(object.members.map { ($0.key, escaped($0.value)) }))
        default: return value
        }
    }
}
