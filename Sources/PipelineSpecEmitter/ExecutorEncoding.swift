import JSON
import PipelineConfig
import PipelineIR

/// The executor KFP runs for a task, from the IR's executor: a `container` (with the task's
/// environment and resources) or an `importer`; `nil` for a pipeline, whose tasks run
/// their own.
enum ExecutorEncoding {
    static func executor(_ executor: Executor, for task: TaskIR, names: KFPNames) -> JSONValue? {
        if case .importer(let spec) = executor { return .object(["importer": .object(importer(spec))]) }
        guard var container = container(executor) else { return nil }
        if !task.environment.isEmpty {
            container["env"] = .array(task.environment.map { .object(["name": .string($0.name), "value": .string($0.value)]) })
        }
        if let resources = task.resources { container["resources"] = ResourceEncoding.json(resources, names: names) }
        return .object(["container": .object(container)])
    }

    /// The container that runs the executor, before a task's settings; `nil` for those that
    /// run none (pipelines, importers).
    static func container(_ executor: Executor) -> JSONObject? {
        switch executor {
        case .pipeline, .compiledPipeline, .importer:
            return nil
        case .compiled(let compiled):
            return compiled
        case .customJob(let job):
            return job.launcher
        case .container(let spec):
            var container = JSONObject()
            container.append("image", .string(spec.image))
            if !spec.command.isEmpty { container.append("command", .array(spec.command.map { .string(placeholders($0)) })) }
            if !spec.args.isEmpty { container.append("args", .array(spec.args.map { .string(placeholders($0)) })) }
            return container
        case .pythonFunction(let python):
            return PythonExecutor.container(python)
        }
    }

    /// The executor's `importer` object.
    private static func importer(_ importer: ImporterExecutor) -> JSONObject {
        var object = JSONObject()
        object.append("artifactUri", .object(importer.constantURI.map { ["constant": .string($0)] } ?? ["runtimeParameter": "uri"]))
        if let metadata = importer.metadata { object.append("metadata", json(metadata)) }
        if importer.reimport { object.append("reimport", .bool(true)) }
        if let title = importer.artifactType.artifactTitle {
            object.append("typeSchema", .object(["schemaTitle": .string(title), "schemaVersion": "0.0.1"]))
        }
        return object
    }

    private static func json(_ metadata: MetadataValue) -> JSONValue {
        switch metadata {
        case .constant(let value): return value
        case .string(let parts): return .string(placeholders(.value(parts)))
        case .list(let items): return .array(items.map(json))
        case .map(let entries): return .object(JSONObject(entries.map { ($0.key, json($0.value)) }))
        }
    }

    /// The argument as KFP writes it, each value as its placeholder; `Concat` and
    /// `IfPresent` as the JSON of their structure (as Python's `json.dumps` writes it).
    static func placeholders(_ argument: CommandLineArgument) -> String {
        guard case .value(let parts) = argument else { return PythonJSON.dumps(structure(argument), sortingKeys: false) }
        return text(parts)
    }

    /// A `Concat` or `IfPresent` as a JSON structure, the arguments inside as strings or,
    /// when structures themselves, nested.
    private static func structure(_ argument: CommandLineArgument) -> JSONValue {
        func element(_ argument: CommandLineArgument) -> JSONValue {
            if case .value(let parts) = argument { return .string(text(parts)) }
            return structure(argument)
        }
        func branch(_ branch: CommandLineArgument.Branch) -> JSONValue {
            switch branch {
            case .one(let argument): return element(argument)
            case .list(let arguments): return .array(arguments.map(element))
            }
        }
        switch argument {
        case .value(let parts):
            return .string(text(parts))
        case .concat(let items):
            return .object(["Concat": .array(items.map(element))])
        case .ifPresent(let input, let then, let otherwise):
            var fields: JSONObject = ["InputName": .string(input), "Then": branch(then)]
            if let otherwise { fields.append("Else", branch(otherwise)) }
            return .object(["IfPresent": .object(fields)])
        }
    }

    private static func text(_ parts: [CommandLineArgument.Part]) -> String {
        parts.map { part in
            switch part {
            case .text(let text): return text
            case .inputValue(let name): return "{{$.inputs.parameters['\(name)']}}"
            case .inputArtifact(let name, let field): return "{{$.inputs.artifacts['\(name)'].\(field.rawValue)}}"
            case .inputArtifactList(let name): return "{{$.inputs.artifacts['\(name)']}}"
            case .outputParameterFile(let name): return "{{$.outputs.parameters['\(name)'].output_file}}"
            case .outputArtifact(let name, let field): return "{{$.outputs.artifacts['\(name)'].\(field.rawValue)}}"
            case .executorInput: return "{{$}}"
            case .runtime(let value): return value.placeholder
            }
        }.joined()
    }
}

/// The executor kfp 2.15 emits for a Python function component: install the packages and
/// the KFP SDK, write the function to a file, run it with `kfp.dsl.executor_main`.
package enum PythonExecutor {
    /// The KFP SDK installed in the container to run the function.
    static let kfpVersion = "2.15.2"
    package static let defaultBaseImage = "python:3.11"

    package static func container(_ executor: PythonFunctionExecutor) -> JSONObject {
        let function = executor.function
        let arguments: [JSONValue] = ["--executor_input", "{{$}}", "--function_to_execute", .string(function.name)]
        var container = JSONObject()
        if let targetImage = executor.targetImage {
            // A containerized component: the image holds the function and the KFP SDK.
            container.append("image", .string(targetImage))
            container.append("command", .array((installCommand(executor) + ["python3", "-m", "kfp.dsl.executor_main"]).map(JSONValue.string)))
            container.append("args", .array(arguments))
            return container
        }
        // kfp writes this script with line continuations, which leave runs of 25 spaces.
        let gap = String(repeating: " ", count: 25)
        let runScript = "program_path=$(mktemp -d)\n\nprintf \"%s\" \"$0\" > \"$program_path/ephemeral_component.py\"\n"
            + "_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main\(gap)--component_module_path\(gap)"
            + "\"$program_path/ephemeral_component.py\"\(gap)\"$@\"\n"
        // The helpers before the function, as kfp writes `additional_funcs`.
        let helpers = executor.helpers.isEmpty ? "" : "\n\n" + executor.helpers.map(\.source).joined(separator: "\n\n")
        let program = "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *" + helpers + "\n\n" + function.source + "\n"
        container.append("image", .string(executor.baseImage ?? defaultBaseImage))
        container.append("command", .array((installCommand(executor) + ["sh", "-ec", runScript, program]).map(JSONValue.string)))
        container.append("args", .array(arguments))
        return container
    }

    /// `sh -c SCRIPT` installing the packages, and the KFP SDK unless they include it or
    /// the image is a containerized component's; nothing when there is nothing to install.
    private static func installCommand(_ executor: PythonFunctionExecutor) -> [String] {
        let packages = executor.packages
        let options = indexOptions(executor.pip)
        var installs: [String] = []
        let installsKFP = executor.targetImage == nil && !packages.contains { $0.hasPrefix("kfp") }
        guard installsKFP || !packages.isEmpty else { return [] }
        if !packages.isEmpty {
            installs.append(pipInstall(packages, options: options))
            if installsKFP { installs.append(" && ") }
        }
        if installsKFP {
            installs.append(pipInstall(["kfp==\(kfpVersion)", "--no-deps", "typing-extensions>=3.7.4,<5; python_version<\"3.9\""], options: options))
        }
        let script = """

            if ! [ -x "$(command -v pip)" ]; then
                python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip
            fi

            PIP_DISABLE_PIP_VERSION_CHECK=1 \(installs.joined(separator: " ")) && "$0" "$@"

            """
        return ["sh", "-c", script]
    }

    private static func pipInstall(_ parts: [String], options: String) -> String {
        "python3 -m pip install --quiet --no-warn-script-location " + options + parts.map(pythonRepr).joined(separator: " ")
    }

    /// pip's index options as kfp writes them, each followed by a space: the first URL as
    /// `--index-url`, the others as `--extra-index-url`, then the trusted hosts (by default
    /// the URLs themselves).
    private static func indexOptions(_ pip: PipOptions) -> String {
        guard let index = pip.indexURLs.first else { return "" }
        let extras = pip.indexURLs.dropFirst()
        let trusted = pip.trustedHosts ?? pip.indexURLs
        let options = ["--index-url \(index)"] + extras.map { "--extra-index-url \($0)" } + trusted.map { "--trusted-host \($0)" }
        return options.joined(separator: " ") + " "
    }

    /// A string as Python's `repr` writes it (the quoting kfp uses for package names).
    static func pythonRepr(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case quote: result += "\\\(quote)"
            default: result.append(character)
            }
        }
        result.append(quote)
        return result
    }
}

