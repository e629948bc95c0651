import Diagnostics
import JSON
import PipelineConfig
import PipelineIR
import YAML

/// Interprets a KFP v1 `component.yaml` (`name`, `inputs`, `outputs`,
/// `implementation.container`), the way kfp 2 loads one: names made snake_case, v1 types
/// mapped to parameter and artifact types, defaults cast to their types, and the v1
/// placeholders (`inputValue`, `inputPath`, `outputPath`, `concat`, `if`/`isPresent`, …)
/// made command-line arguments.
enum KFPV1ComponentLoader {
    static func load(_ document: Node, reference: String, diagnostics: DiagnosticEngine) -> ComponentDefinition? {
        func fail(_ message: String, at node: Node) -> ComponentDefinition? {
            diagnostics.error(.invalidComponentFile, message, at: node.location)
            return nil
        }
        guard let container = document["implementation"]?["container"] else {
            return fail("expected 'implementation.container' (only container components are supported)", at: document["implementation"] ?? document)
        }
        guard let image = container["image"]?.string else { return fail("the container has no 'image'", at: container) }
        if let env = container["env"] { return fail("'env' in a component file is not supported; set it on the task", at: env) }
        guard let inputs = all((document["inputs"]?.sequence ?? []).map { ioSpec($0, isInput: true, diagnostics) }),
              let outputs = all((document["outputs"]?.sequence ?? []).map { ioSpec($0, isInput: false, diagnostics) })
        else { return nil }
        let parser = PlaceholderParser(inputs: inputs, outputs: outputs, diagnostics: diagnostics)
        guard let command = all((container["command"]?.sequence ?? []).map(parser.argument)),
              let args = all((container["args"]?.sequence ?? []).map(parser.argument))
        else { return nil }
        return ComponentDefinition(
            name: document["name"]?.string ?? "name", reference: reference, inputs: inputs, outputs: outputs,
            executor: .container(ContainerExecutor(image: image, command: command, args: args)))
    }

    /// The values, when none is missing (each missing one was reported).
    private static func all<Element>(_ values: [Element?]) -> [Element]? {
        let present = values.compactMap { $0 }
        return present.count == values.count ? present : nil
    }

    /// kfp's names for v1 inputs and outputs: lowercase, runs of other characters as `_`.
    static func sanitized(_ name: String) -> String {
        KFPNameRule.name(name, separator: "_", keepsSeparator: true)
    }

    private static func ioSpec(_ node: Node, isInput: Bool, _ diagnostics: DiagnosticEngine) -> IOSpec? {
        guard let name = node["name"]?.string else {
            diagnostics.error(.invalidComponentFile, "an \(isInput ? "input" : "output") without a 'name'", at: node.location)
            return nil
        }
        let type = ioType(node["type"]?.string)
        let defaultNode = isInput ? node["default"] : nil
        var defaultValue: JSONValue?
        if let defaultNode {
            guard let value = castDefault(defaultNode, to: type) else {
                diagnostics.error(.invalidComponentFile, "the default of '\(name)' is not \(ArgumentBinder.typeName(type))", at: defaultNode.location)
                return nil
            }
            defaultValue = value
        }
        let isOptional = isInput && (node["optional"]?.scalar?.boolValue == true || defaultNode != nil || type == .parameter(.taskFinalStatus))
        return IOSpec(name: sanitized(name), type: type, defaultValue: type.isArtifact ? nil : defaultValue, isOptional: isOptional, description: nil)
    }

    /// A v1 type as kfp maps it: the parameter types by their Python and v1 names, `google.`
    /// and KFP's artifact types, and anything else (no type, a mapping) a plain artifact.
    static func ioType(_ name: String?) -> IOType {
        guard let name else { return .artifact("system.Artifact") }
        // `typing.List[str]` is a list: the outer generic counts.
        let outer = name.split(separator: "[").first.map { String($0.split(separator: ".").last ?? $0) } ?? name
        let parameters: [String: ParameterType] = [
            "integer": .int, "int": .int, "double": .float, "float": .float, "string": .string, "str": .string, "text": .string,
            "bool": .bool, "boolean": .bool, "dict": .struct, "list": .list, "jsonobject": .struct, "jsonarray": .list,
        ]
        if outer == "PipelineTaskFinalStatus" { return .parameter(.taskFinalStatus) }
        if let parameter = parameters[outer.lowercased()] { return .parameter(parameter) }
        if name.hasPrefix("google."), name.dropFirst(7).allSatisfy(\.isLetter) { return .artifact(name) }
        // KFP's classes by name, in any case.
        let system = IOType.systemArtifactNames.first { $0.lowercased() == name.lowercased() } ?? "Artifact"
        return .artifact("system." + system)
    }

    /// A v1 default (often a string, whatever the type) as a value of the input's type.
    private static func castDefault(_ node: Node, to type: IOType) -> JSONValue? {
        guard case .parameter(let parameter) = type else { return node.json }
        let text = node.scalar?.text
        switch parameter {
        case .int: return text.flatMap { Int($0.trimming(" ")) }.map { .double(Double($0)) }
        case .float: return text.flatMap { Double($0.trimming(" ")) }.map(JSONValue.double)
        case .string, .taskFinalStatus: return text.map(JSONValue.string) ?? node.json
        case .bool:
            switch text?.lowercased() {
            case "y", "yes", "t", "true", "on", "1": return .bool(true)
            case "n", "no", "f", "false", "off", "0": return .bool(false)
            default: return nil
            }
        case .list, .struct:
            guard let text, node.scalar?.kind == .string else { return node.json.numbersAsDoubles }
            return JSONReader().read(Array(text.utf8), file: "<default>", diagnostics: DiagnosticEngine(errorLimit: 0))?.json.numbersAsDoubles ?? .string(text)
        }
    }

    /// Turns the v1 placeholders of a command line into arguments.
    private struct PlaceholderParser {
        let inputs: [IOSpec]
        let outputs: [IOSpec]
        let diagnostics: DiagnosticEngine

        func argument(_ node: Node) -> CommandLineArgument? {
            if let text = node.scalar?.text { return .value([.text(text)]) }
            guard let entries = node.mapping, entries.count == 1, let key = entries.first?.key else {
                return fail("a command-line element is a string or a one-key placeholder such as {inputValue: NAME}", at: node)
            }
            let value = entries[0].value
            switch key {
            case "inputValue":
                return input(value) { $0.isArtifact ? nil : .inputValue($1) }
            case "inputPath", "inputUri":
                let field: Reference.ArtifactField = key == "inputPath" ? .path : .uri
                return input(value) { $0.isArtifact ? .inputArtifact($1, field) : nil }
            case "outputPath", "outputUri":
                guard let name = value.string, let output = outputs.first(where: { $0.name == KFPV1ComponentLoader.sanitized(name) }) else {
                    return fail("'\(value.string ?? "")' is not an output of the component", at: value)
                }
                switch (output.type, key) {
                case (.parameter, "outputPath"): return .value([.outputParameterFile(output.name)])
                case (.artifact, _): return .value([.outputArtifact(output.name, key == "outputPath" ? .path : .uri)])
                default: return fail("output '\(name)' is a parameter; it has no URI", at: value)
                }
            case "concat":
                guard let items = value.sequence else { return fail("'concat' takes a list", at: value) }
                return KFPV1ComponentLoader.all(items.map(argument)).map(CommandLineArgument.concat)
            case "if":
                guard let inputName = value["cond"]?["isPresent"]?.string, let thenNode = value["then"] else {
                    return fail("'if' takes 'cond: {isPresent: NAME}' and 'then'", at: value)
                }
                return ifPresent(inputName, then: thenNode, otherwise: value["else"], at: value)
            case "ifPresent":
                guard let inputName = value["inputName"]?.string, let thenNode = value["then"] else {
                    return fail("'ifPresent' takes 'inputName' and 'then'", at: value)
                }
                return ifPresent(inputName, then: thenNode, otherwise: value["else"], at: value)
            case "executorInput":
                return .value([.executorInput])
            default:
                return fail("unknown placeholder '\(key)'", at: node)
            }
        }

        private func ifPresent(_ inputName: String, then: Node, otherwise: Node?, at node: Node) -> CommandLineArgument? {
            let name = KFPV1ComponentLoader.sanitized(inputName)
            guard inputs.contains(where: { $0.name == name }) else { return fail("'\(inputName)' is not an input of the component", at: node) }
            guard let thenBranch = branch(then) else { return nil }
            guard let otherwise else { return .ifPresent(input: name, then: thenBranch, otherwise: nil) }
            return branch(otherwise).map { .ifPresent(input: name, then: thenBranch, otherwise: $0) }
        }

        private func branch(_ node: Node) -> CommandLineArgument.Branch? {
            guard let items = node.sequence else { return argument(node).map(CommandLineArgument.Branch.one) }
            return KFPV1ComponentLoader.all(items.map(argument)).map(CommandLineArgument.Branch.list)
        }

        /// A placeholder of an input, when `part` fits the input's kind.
        private func input(_ node: Node, _ part: (IOType, String) -> CommandLineArgument.Part?) -> CommandLineArgument? {
            guard let name = node.string, let input = inputs.first(where: { $0.name == KFPV1ComponentLoader.sanitized(name) }) else {
                return fail("'\(node.string ?? "")' is not an input of the component", at: node)
            }
            guard let placeholder = part(input.type, input.name) else {
                return fail(input.type.isArtifact ? "input '\(name)' is an artifact; use inputPath or inputUri" : "input '\(name)' is a parameter; use inputValue", at: node)
            }
            return .value([placeholder])
        }

        private func fail(_ message: String, at node: Node) -> CommandLineArgument? {
            diagnostics.error(.invalidComponentFile, message, at: node.location)
            return nil
        }
    }
}
