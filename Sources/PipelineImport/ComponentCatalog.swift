import Diagnostics
import JSON
import PipelineConfig
import PipelineIR
import PipelineLowering
import PipelineSpecEmitter

/// The components an import defines: one for each distinct interface and executor, the
/// settings tasks add to an executor (env, resources) taken off first. A GCPC executor is
/// its built-in; a Python function that pipespec would embed exactly so is a `python`
/// component with its source in a file; anything else is a component file, kept as the
/// spec has it.
struct ComponentCatalog {
    /// Entries of the pipeline file's `components`.
    private(set) var entries: [(key: String, value: YAMLText)] = []
    private(set) var files: [(path: String, contents: String)] = []
    /// What each distinct component is used as, by its interface and executor.
    private var known: [String: String] = [:]
    private var names = UniqueNames()
    private var fileNames = UniqueNames()
    /// The built-ins by their executor, loaded on first use.
    private var builtins: [String: String]?

    /// How tasks `use` the component `key` whose executor runs `container` (the task's
    /// settings taken off).
    mutating func use(key: String, definition: JSONObject, container: JSONObject) -> String {
        var interface = definition
        interface["executorLabel"] = nil
        let identity = Self.text(.object(["definition": .object(interface), "container": .object(container)]))
        if let name = known[identity] { return name }
        let name: String
        if let builtin = builtin(running: container, interface: definition) {
            name = builtin
        } else {
            name = claim(String(key.dropFirst(key.hasPrefix("comp-") ? "comp-".count : 0)))
            if let python = PythonComponent(container: container) {
                let source = claimFile("components", python.function, "py")
                files.append((source, python.source))
                entries.append((name, .mapping([("python", python.entry(source: source))])))
            } else {
                let file = claimFile("components", name, "json")
                files.append((file, Self.componentFile(name: name, definition: definition, container: container)))
                entries.append((name, .mapping([("file", .string(file))])))
            }
        }
        known[identity] = name
        return name
    }

    /// How tasks `use` the DAG component `key` of `spec`: a compiled pipeline file holding
    /// it as its root, with the components and executors it runs.
    mutating func use(pipeline key: String, in spec: JSONObject) -> String {
        let components = spec["components"]?.objectValue ?? [:], executors = spec[path: "deploymentSpec.executors"]?.objectValue ?? [:]
        var needed: [String] = [], queue = [key]
        while let next = queue.popLast() {
            for (_, task) in components[next]?[path: "dag.tasks"]?.objectValue?.members ?? [] {
                guard let inner = task[path: "componentRef.name"]?.stringValue, !needed.contains(inner) else { continue }
                needed.append(inner)
                queue.append(inner)
            }
        }
        let inner = JSONObject(needed.sorted().compactMap { name in components[name].map { (name, $0) } })
        let labels = Set(inner.members.compactMap { $0.value["executorLabel"]?.stringValue })
        let file: JSONValue = .object([
            "components": .object(inner),
            "deploymentSpec": .object(["executors": .object(JSONObject(executors.members.filter { labels.contains($0.key) }))]),
            "pipelineInfo": .object(["name": .string(String(key.dropFirst(key.hasPrefix("comp-") ? "comp-".count : 0)))]),
            "root": components[key] ?? .object([:]),
            "schemaVersion": "2.1.0",
        ])
        let identity = Self.text(file)
        if let name = known[identity] { return name }
        let name = claim(String(key.dropFirst(key.hasPrefix("comp-") ? "comp-".count : 0)))
        let path = claimFile("components", name, "json")
        files.append((path, String(decoding: JSONWriter.bytes(file), as: UTF8.self)))
        entries.append((name, .mapping([("file", .string(path))])))
        known[identity] = name
        return name
    }

    /// The built-in with this executor and these input and output names (a component run
    /// as a custom job has the custom-job launcher's executor, and more inputs).
    private mutating func builtin(running container: JSONObject, interface definition: JSONObject) -> String? {
        if builtins == nil {
            var index: [String: String] = [:]
            for name in BuiltinComponents.names {
                guard let builtin = BuiltinComponents.load(name, diagnostics: DiagnosticEngine()),
                      case .compiled(let executor) = builtin.executor
                else { continue }
                index[Self.text(.object(executor)) + Self.ports(builtin.inputs.map(\.name), builtin.outputs.map(\.name))] = name
            }
            builtins = index
        }
        let names = { (section: String) in
            ["parameters", "artifacts"].flatMap { definition[path: "\(section).\($0)"]?.objectValue?.members.map(\.key) ?? [] }
        }
        return builtins?[Self.text(.object(container)) + Self.ports(names("inputDefinitions"), names("outputDefinitions"))]
    }

    private static func ports(_ inputs: [String], _ outputs: [String]) -> String {
        " in:" + inputs.sorted().joined(separator: ",") + " out:" + outputs.sorted().joined(separator: ",")
    }

    /// A component name by pipespec's rules (it also names the component's file).
    private mutating func claim(_ base: String) -> String {
        names.claim(SpecImporter.entryName(base, otherwise: "component"))
    }

    /// `components/NAME.EXT`, or `components/NAME-2.EXT` when that is taken.
    private mutating func claimFile(_ directory: String, _ name: String, _ suffix: String) -> String {
        "\(directory)/\(fileNames.claim(name)).\(suffix)"
    }

    /// A compiled component file as kfp writes one: the component, its executor named
    /// after it, parameter definitions in kfp 2's forms.
    private static func componentFile(name: String, definition: JSONObject, container: JSONObject) -> String {
        var component = definition
        component["executorLabel"] = .string("exec-" + name)
        for section in ["inputDefinitions", "outputDefinitions"] {
            guard case .object(var interface)? = component[section], case .object(let parameters)? = interface["parameters"] else { continue }
            interface["parameters"] = .object(JSONObject(parameters.members.map { name, parameter in (name, v2Parameter(parameter)) }))
            component[section] = .object(interface)
        }
        let file: JSONValue = .object([
            "components": .object(["comp-" + name: .object(component)]),
            "deploymentSpec": .object(["executors": .object(["exec-" + name: .object(["container": .object(container)])])]),
            "pipelineInfo": .object(["name": .string(name)]),
            "root": .object([:]),
            "schemaVersion": "2.1.0",
        ])
        return String(decoding: JSONWriter.bytes(file), as: UTF8.self)
    }

    /// kfp 1.8's `type: INT` as kfp 2's `parameterType: NUMBER_INTEGER`.
    private static func v2Parameter(_ parameter: JSONValue) -> JSONValue {
        guard case .object(var object) = parameter, let old = object["type"]?.stringValue, object["parameterType"] == nil else { return parameter }
        object["type"] = nil
        object["parameterType"] = .string(["INT": "NUMBER_INTEGER", "DOUBLE": "NUMBER_DOUBLE"][old] ?? old)
        return .object(object)
    }

    private static func text(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.compactBytes(value), as: UTF8.self)
    }
}
