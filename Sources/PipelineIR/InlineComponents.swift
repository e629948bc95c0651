import Diagnostics
import JSON
import PipelineConfig

/// Builds the definitions of components written in the pipeline file.
struct InlineComponentBuilder {
    let pipelineFile: String
    let readFile: (String) throws -> [UInt8]
    let diagnostics: DiagnosticEngine

    func build(_ config: ComponentConfig) -> ComponentDefinition? {
        let inputs = config.inputs.map(ioSpec)
        let outputs = config.outputs.map(ioSpec)
        var definition = ComponentDefinition(
            name: config.name.value, reference: config.name.value, inputs: inputs, outputs: outputs, container: JSONObject())
        switch config.implementation {
        case .container(let container):
            guard let command = render(container.command, definition), let args = render(container.args, definition) else { return nil }
            definition.container.append("image", .string(container.image.value))
            if !command.isEmpty { definition.container.append("command", .array(command.map(JSONValue.string))) }
            if !args.isEmpty { definition.container.append("args", .array(args.map(JSONValue.string))) }
        case .python(let python):
            guard let function = loadFunction(python, config) else { return nil }
            definition.container = PythonExecutor.container(function: function, baseImage: python.baseImage, packages: python.packages)
        case .file(let path):
            let resolved = SourcePaths.resolve(path.value, relativeTo: pipelineFile)
            guard let bytes = read(resolved, at: path.location) else { return nil }
            guard let loaded = KFPComponentLoader.load(bytes, file: resolved, reference: config.name.value, diagnostics: diagnostics) else {
                diagnostics.error(.componentUnloadable, "component '\(config.name.value)' could not be loaded from '\(resolved)'", at: path.location)
                return nil
            }
            return loaded
        }
        return definition
    }

    /// The file's bytes, or `nil` after reporting why it cannot be read where it is named.
    private func read(_ path: String, at location: SourceLocation) -> [UInt8]? {
        do {
            return try readFile(path)
        } catch {
            diagnostics.error(.pythonSourceError, "\(error)", at: location)
            return nil
        }
    }

    private func ioSpec(_ config: IOConfig) -> IOSpec {
        IOSpec(
            name: config.name.value, type: config.type.value,
            defaultValue: config.defaultValue.map(ConstantValues.json),
            isOptional: config.isOptional, description: config.description)
    }

    // MARK: Container command lines

    /// `command` or `args` with `${inputs.X}`, `${outputs.X}` and run-time values replaced by
    /// KFP placeholders.
    private func render(_ templates: [Template], _ component: ComponentDefinition) -> [String]? {
        var valid = true
        let rendered = templates.map { template -> String in
            template.segments.map { segment -> String in
                switch segment {
                case .text(let text): return text
                case .reference(let reference, let location):
                    guard let placeholder = placeholder(reference, component, at: location) else {
                        valid = false
                        return ""
                    }
                    return placeholder
                }
            }.joined()
        }
        return valid ? rendered : nil
    }

    private func placeholder(_ reference: Reference, _ component: ComponentDefinition, at location: SourceLocation) -> String? {
        switch reference {
        case .componentInput(let name, let field):
            guard let input = component.input(name) else {
                diagnostics.error(.unknownInput, "component '\(component.name)' has no input '\(name)'\(Suggestions.didYouMean(name, in: component.inputs.map(\.name)))", at: location)
                return nil
            }
            switch (input.type, field) {
            case (.parameter, nil): return "{{$.inputs.parameters['\(name)']}}"
            case (.artifact, let field): return "{{$.inputs.artifacts['\(name)'].\((field ?? .path).rawValue)}}"
            case (.parameter, _?):
                diagnostics.error(.artifactPropertyOnParameter, "'\(name)' is a parameter; .path, .uri and .metadata apply to artifacts", at: location)
                return nil
            }
        case .componentOutput(let name, let field):
            guard let output = component.output(name) else {
                diagnostics.error(.unknownOutput, "component '\(component.name)' has no output '\(name)'\(Suggestions.didYouMean(name, in: component.outputs.map(\.name)))", at: location)
                return nil
            }
            switch (output.type, field) {
            case (.parameter, nil), (.parameter, .path?): return "{{$.outputs.parameters['\(name)'].output_file}}"
            case (.artifact, let field): return "{{$.outputs.artifacts['\(name)'].\((field ?? .path).rawValue)}}"
            case (.parameter, _?):
                diagnostics.error(.artifactPropertyOnParameter, "'\(name)' is a parameter output; only its .path can be used", at: location)
                return nil
            }
        case .executorInput: return "{{$}}"
        case .runtime(let value): return value.placeholder
        case .param, .taskOutput:
            diagnostics.error(.commandReference, "a component's command line cannot read '${\(reference.spelling)}'; declare an input and pass the value in the task's 'with'", at: location)
            return nil
        }
    }

    // MARK: Python functions

    private func loadFunction(_ python: PythonConfig, _ config: ComponentConfig) -> PythonFunction? {
        let path = SourcePaths.resolve(python.source.value, relativeTo: pipelineFile)
        guard let bytes = read(path, at: python.source.location) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        let name = python.function.value
        guard let function = PythonSource.function(named: name, in: text) else {
            let known = PythonSource.functionNames(in: text)
            let suggestion = Suggestions.suggestion(for: name, at: python.function.location, in: known)
            diagnostics.error(.unknownFunction, "'\(path)' has no top-level function '\(name)'\(suggestion.phrase)", at: python.function.location, fixIts: suggestion.fixIts)
            return nil
        }
        guard checkSignature(function, config, path: path, at: python.function.location) else { return nil }
        return function
    }

    /// Declared inputs and artifact outputs must be parameters of the function, and every
    /// parameter without a default must be declared, or the KFP executor fails at run time.
    private func checkSignature(_ function: PythonFunction, _ config: ComponentConfig, path: String, at location: SourceLocation) -> Bool {
        let note = Diagnostic.Note("'\(function.name)' is defined here", at: SourceLocation(file: path, line: function.line, column: 1))
        let parameterNames = Set(function.parameters.map(\.name))
        var valid = true
        let artifactOutputs = config.outputs.filter { if case .artifact = $0.type.value { return true } else { return false } }
        for declared in config.inputs + artifactOutputs where !parameterNames.contains(declared.name.value) {
            let suggestion = Suggestions.suggestion(for: declared.name.value, at: declared.name.location, in: parameterNames)
            diagnostics.error(
                .unknownFunctionParameter, "'\(declared.name.value)' is declared but '\(function.name)' has no parameter of that name\(suggestion.phrase)",
                at: declared.name.location, notes: [note], fixIts: suggestion.fixIts)
            valid = false
        }
        let declaredNames = Set((config.inputs + config.outputs).map(\.name.value))
        for parameter in function.parameters where !parameter.hasDefault && !declaredNames.contains(parameter.name) {
            diagnostics.error(.undeclaredFunctionParameter,
                "parameter '\(parameter.name)' of '\(function.name)' is not declared under 'inputs' or 'outputs'",
                at: location, notes: [note])
            valid = false
        }
        return valid
    }
}

/// The executor kfp 2.15 emits for a Python function component: install the packages and
/// the KFP SDK, write the function to a file, run it with `kfp.dsl.executor_main`.
enum PythonExecutor {
    /// The KFP SDK installed in the container to run the function.
    static let kfpVersion = "2.15.2"
    static let defaultBaseImage = "python:3.11"

    static func container(function: PythonFunction, baseImage: String?, packages: [String]) -> JSONObject {
        var installs: [String] = []
        let installsKFP = !packages.contains { $0.hasPrefix("kfp") }
        if !packages.isEmpty {
            installs.append(pipInstall(packages))
            if installsKFP { installs.append(" && ") }
        }
        if installsKFP {
            installs.append(pipInstall(["kfp==\(kfpVersion)", "--no-deps", "typing-extensions>=3.7.4,<5; python_version<\"3.9\""]))
        }
        let installScript = """

            if ! [ -x "$(command -v pip)" ]; then
                python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip
            fi

            PIP_DISABLE_PIP_VERSION_CHECK=1 \(installs.joined(separator: " ")) && "$0" "$@"

            """
        // kfp writes this script with line continuations, which leave runs of 25 spaces.
        let gap = String(repeating: " ", count: 25)
        let runScript = "program_path=$(mktemp -d)\n\nprintf \"%s\" \"$0\" > \"$program_path/ephemeral_component.py\"\n"
            + "_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main\(gap)--component_module_path\(gap)"
            + "\"$program_path/ephemeral_component.py\"\(gap)\"$@\"\n"
        let program = "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\n" + function.source + "\n"
        var container = JSONObject()
        container.append("image", .string(baseImage ?? defaultBaseImage))
        container.append("command", .array(["sh", "-c", installScript, "sh", "-ec", runScript, program].map(JSONValue.string)))
        container.append("args", .array(["--executor_input", "{{$}}", "--function_to_execute", function.name].map(JSONValue.string)))
        return container
    }

    private static func pipInstall(_ parts: [String]) -> String {
        "python3 -m pip install --quiet --no-warn-script-location " + parts.map(pythonRepr).joined(separator: " ")
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

/// Paths in a pipeline file are relative to the file.
package enum SourcePaths {
    package static func resolve(_ path: String, relativeTo file: String) -> String {
        guard !path.hasPrefix("/") else { return normalize(path) }
        let directory = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return normalize(directory.isEmpty ? path : directory + "/" + path)
    }

    /// Removes `.` and folds `name/..` without touching the file system.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != "..", !last.isEmpty { parts.removeLast() } else { parts.append(part) }
            case "" where !parts.isEmpty: continue
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }
}

extension DiagnosticID {
    static let componentUnloadable = DiagnosticID("component-unloadable")
    static let pythonSourceError = DiagnosticID("python-source-error")
    static let artifactPropertyOnParameter = DiagnosticID("artifact-property-on-parameter")
    static let commandReference = DiagnosticID("command-reference")
    static let unknownFunction = DiagnosticID("unknown-function")
    static let unknownFunctionParameter = DiagnosticID("unknown-function-parameter")
    static let undeclaredFunctionParameter = DiagnosticID("undeclared-function-parameter")
}
