import Diagnostics
import PipelineConfig
import PipelineIR

/// Builds the definitions of components written in the pipeline file.
struct InlineComponentBuilder {
    let pipelineFile: String
    let readFile: (String) throws -> [UInt8]
    let diagnostics: DiagnosticEngine
    /// Lowers a pipeline file used as a component.
    let lowerPipeline: (ComponentConfig, Located<String>) -> ComponentDefinition?

    func build(_ config: ComponentConfig) -> ComponentDefinition? {
        var interface = ComponentInterface(name: config.name.value, inputs: config.inputs.map(ioSpec), outputs: config.outputs.map(ioSpec))
        let executor: Executor
        switch config.implementation {
        case .container(let container):
            guard let command = commandLine(container.command, interface), let args = commandLine(container.args, interface) else { return nil }
            executor = .container(ContainerExecutor(image: container.image.value, command: command, args: args))
        case .python(let python):
            guard let (function, helpers, annotated) = pythonFunction(python, config, declared: interface) else { return nil }
            interface = annotated
            executor = .pythonFunction(PythonFunctionExecutor(
                function: function, baseImage: python.baseImage, packages: python.packages, pip: python.pip, helpers: helpers,
                targetImage: python.targetImage))
        case .file(let path):
            let resolved = SourcePaths.resolve(path.value, relativeTo: pipelineFile)
            guard let bytes = read(resolved, at: path.location) else { return nil }
            guard let loaded = KFPComponentLoader.load(bytes, file: resolved, reference: config.name.value, diagnostics: diagnostics) else {
                diagnostics.error(.componentUnloadable, "component '\(config.name.value)' could not be loaded from '\(resolved)'", at: path.location)
                return nil
            }
            return loaded
        case .pipeline(let path):
            return lowerPipeline(config, path)
        }
        return ComponentDefinition(
            name: interface.name, reference: interface.name, inputs: interface.inputs, outputs: interface.outputs, executor: executor)
    }

    /// What a command line may refer to.
    struct ComponentInterface {
        let name: String
        let inputs: [IOSpec]
        let outputs: [IOSpec]
    }

    /// The file's bytes, or `nil` after reporting why it cannot be read where it is named.
    func read(_ path: String, at location: SourceLocation) -> [UInt8]? {
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
            // The backend fills a final status in; KFP declares it optional.
            isOptional: config.isOptional || config.type.value == .parameter(.taskFinalStatus), description: config.description)
    }

    // MARK: Container command lines

    /// `command` or `args` with `${inputs.X}`, `${outputs.X}` and run-time values resolved,
    /// and `if_present` choices checked against the inputs.
    private func commandLine(_ items: [CommandLineConfig], _ component: ComponentInterface) -> [CommandLineArgument]? {
        var valid = true
        func argument(_ template: Template) -> CommandLineArgument {
            .value(template.segments.map { segment in
                switch segment {
                case .text(let text): return .text(text)
                case .reference(let reference, let location):
                    guard let part = part(reference, component, at: location) else {
                        valid = false
                        return .text("")
                    }
                    return part
                }
            })
        }
        let arguments = items.map { item -> CommandLineArgument in
            switch item {
            case .argument(let template):
                return argument(template)
            case .ifPresent(let input, let then, let otherwise):
                if !component.inputs.contains(where: { $0.name == input.value && !$0.isRequired }) {
                    let known = component.inputs.filter { !$0.isRequired }.map(\.name)
                    let what = component.inputs.contains { $0.name == input.value } ? "'\(input.value)' is a required input" : "component '\(component.name)' has no optional input '\(input.value)'\(Suggestions.didYouMean(input.value, in: known))"
                    diagnostics.error(.ifPresentInput, "if_present names an optional input, which a task may leave out; \(what)", at: input.location)
                    valid = false
                }
                return .ifPresent(input: input.value, then: .list(then.map(argument)), otherwise: otherwise.map { .list($0.map(argument)) })
            }
        }
        return valid ? arguments : nil
    }

    private func part(_ reference: Reference, _ component: ComponentInterface, at location: SourceLocation) -> CommandLineArgument.Part? {
        switch reference {
        case .componentInput(let name, let field):
            guard let input = component.inputs.first(where: { $0.name == name }) else {
                diagnostics.error(.unknownInput, "component '\(component.name)' has no input '\(name)'\(Suggestions.didYouMean(name, in: component.inputs.map(\.name)))", at: location)
                return nil
            }
            switch (input.type, field) {
            case (.parameter, nil): return .inputValue(name)
            case (.artifact, let field): return .inputArtifact(name, field ?? .path)
            case (.artifactList, nil): return .inputArtifactList(name)
            case (.artifactList, _?):
                diagnostics.error(.artifactPropertyOnParameter, "'\(name)' is a list of artifacts, passed whole; .path, .uri and .metadata apply to one artifact", at: location)
                return nil
            case (.parameter, _?):
                diagnostics.error(.artifactPropertyOnParameter, "'\(name)' is a parameter; .path, .uri and .metadata apply to artifacts", at: location)
                return nil
            }
        case .componentOutput(let name, let field):
            guard let output = component.outputs.first(where: { $0.name == name }) else {
                diagnostics.error(.unknownOutput, "component '\(component.name)' has no output '\(name)'\(Suggestions.didYouMean(name, in: component.outputs.map(\.name)))", at: location)
                return nil
            }
            switch (output.type, field) {
            case (.parameter, nil), (.parameter, .path?): return .outputParameterFile(name)
            case (.artifact, let field): return .outputArtifact(name, field ?? .path)
            case (.artifactList, _):
                diagnostics.error(.commandReference, "'\(name)' is a list of artifacts; a container writes single artifacts", at: location)
                return nil
            case (.parameter, _?):
                diagnostics.error(.artifactPropertyOnParameter, "'\(name)' is a parameter output; only its .path can be used", at: location)
                return nil
            }
        case .executorInput: return .executorInput
        case .runtime(let value): return .runtime(value)
        case .param, .taskOutput, .collectedOutput, .loopItem:
            diagnostics.error(.commandReference, "a component's command line cannot read '${\(reference.spelling)}'; declare an input and pass the value in the task's 'with'", at: location)
            return nil
        }
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
    package static func normalize(_ path: String) -> String {
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
    static let ifPresentInput = DiagnosticID("if-present-input")
    static let unknownFunction = DiagnosticID("unknown-function")
    static let unknownFunctionParameter = DiagnosticID("unknown-function-parameter")
    static let undeclaredFunctionParameter = DiagnosticID("undeclared-function-parameter")
}
