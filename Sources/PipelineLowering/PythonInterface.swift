import JSON
import PipelineConfig
import PipelineIR

/// What a Python function's annotations say of its component interface, read as the KFP
/// SDK reads them: parameters annotated with parameter types (`int`, `Optional[str]`,
/// `List[str]`) or `Input[ARTIFACT]` are inputs, `Output[ARTIFACT]` and `OutputPath(TYPE)`
/// parameters are outputs, and the return annotation gives the output `Output`, or one
/// output per field of a `NamedTuple`.
enum PythonInterface {
    /// What one annotation declares.
    enum Role: Equatable {
        case input(IOType)
        case output(IOType)
    }

    /// The interface, and the parameters whose annotations say nothing KFP reads.
    static func interface(of function: PythonFunction) -> (inputs: [IOSpec], outputs: [IOSpec], unreadable: [String]) {
        var inputs: [IOSpec] = [], outputs: [IOSpec] = [], unreadable: [String] = []
        for parameter in function.parameters {
            guard let annotation = parameter.annotation, let role = role(of: annotation) else {
                unreadable.append(parameter.name)
                continue
            }
            switch role {
            case .input(let type):
                let defaultValue = type.isArtifact ? nil : parameter.defaultText.flatMap(PythonLiteral.json)
                let isOptional = parameter.hasDefault || isOptionalAnnotation(annotation) || type == .parameter(.taskFinalStatus)
                inputs.append(IOSpec(name: parameter.name, type: type, defaultValue: defaultValue, isOptional: isOptional, description: nil))
            case .output(let type):
                outputs.append(IOSpec(name: parameter.name, type: type, defaultValue: nil, isOptional: false, description: nil))
            }
        }
        outputs += returnOutputs(function.returnAnnotation)
        return (inputs, outputs, unreadable)
    }

    /// The role of a parameter with this annotation; `nil` when KFP could not read it.
    static func role(of annotation: String) -> Role? {
        let (head, argument) = split(annotation)
        switch head {
        case "Input": return argument.flatMap(artifactType).map(Role.input)
        case "Output": return argument.flatMap(artifactType).map(Role.output)
        case "InputPath": return .input(argument.flatMap(pathType) ?? .artifact("system.Artifact"))
        case "OutputPath": return argument.flatMap(pathType).map(Role.output)
        case "Optional": return argument.flatMap(parameterType).map { Role.input(.parameter($0)) }
        case "PipelineTaskFinalStatus": return .input(.parameter(.taskFinalStatus))
        default: return parameterType(annotation).map { Role.input(.parameter($0)) }
        }
    }

    /// A parameter type by its Python name: `int`, `str`, `List[str]`, `typing.Dict[str, int]`.
    static func parameterType(_ annotation: String) -> ParameterType? {
        switch split(annotation).head {
        case "int": return .int
        case "float": return .float
        case "str": return .string
        case "bool": return .bool
        case "list", "List": return .list
        case "dict", "Dict": return .struct
        default: return nil
        }
    }

    /// The outputs a return annotation declares: `Output`, or a `NamedTuple`'s fields.
    private static func returnOutputs(_ annotation: String?) -> [IOSpec] {
        guard let annotation, annotation != "None" else { return [] }
        func output(_ name: String, _ type: IOType) -> IOSpec {
            IOSpec(name: name, type: type, defaultValue: nil, isOptional: false, description: nil)
        }
        let (head, argument) = split(annotation)
        guard head == "NamedTuple", let argument else {
            let type = parameterType(annotation).map(IOType.parameter) ?? artifactType(annotation)
            return type.map { [output("Output", $0)] } ?? []
        }
        // NamedTuple("Outputs", [("a", int), ("b", str)]) or NamedTuple("Outputs", a=int, b=str)
        let parts = PythonSource.topLevelParts(argument).dropFirst()
        if let list = parts.first, list.hasPrefix("[") {
            return PythonSource.topLevelParts(String(list.dropFirst().dropLast())).compactMap { pair in
                let fields = PythonSource.topLevelParts(String(pair.dropFirst().dropLast()))
                guard fields.count == 2, let name = PythonLiteral.string(fields[0]),
                      let type = parameterType(fields[1]).map(IOType.parameter) ?? artifactType(fields[1]) else { return nil }
                return output(name, type)
            }
        }
        return parts.compactMap { field in
            let pieces = field.split(separator: "=", maxSplits: 1).map { String($0).trimming(" ") }
            guard pieces.count == 2, let type = parameterType(pieces[1]).map(IOType.parameter) ?? artifactType(pieces[1]) else { return nil }
            return output(pieces[0], type)
        }
    }

    /// An artifact class (`Dataset`, `dsl.Model`, `VertexDataset`) or `List` of one.
    private static func artifactType(_ annotation: String) -> IOType? {
        let (head, argument) = split(annotation)
        if head == "List" || head == "list" {
            guard let argument, case .artifact(let title)? = artifactType(argument) else { return nil }
            return .artifactList(title)
        }
        if IOType.systemArtifactNames.contains(head) { return .artifact("system." + head) }
        let google = ["VertexDataset", "VertexModel", "VertexEndpoint", "VertexBatchPredictionJob", "BQTable", "BQMLModel", "UnmanagedContainerModel"]
        if google.contains(head) { return .artifact("google." + head) }
        return nil
    }

    /// The type `InputPath(...)` / `OutputPath(...)` name: a parameter type, or an artifact
    /// class by name (`'Dataset'`).
    private static func pathType(_ argument: String) -> IOType? {
        if let parameter = parameterType(argument) { return .parameter(parameter) }
        if let name = PythonLiteral.string(argument) { return artifactType(name) ?? .artifact("system.Artifact") }
        return artifactType(argument)
    }

    private static func isOptionalAnnotation(_ annotation: String) -> Bool {
        split(annotation).head == "Optional"
    }

    /// `dsl.Input[dsl.Dataset]` as ("Input", "dsl.Dataset") and `OutputPath(int)` as
    /// ("OutputPath", "int"): the outer name without its module, and what is in its brackets.
    private static func split(_ annotation: String) -> (head: String, argument: String?) {
        let text = annotation.trimming(" ")
        let name = text.prefix { $0 != "[" && $0 != "(" }
        let head = String(name.split(separator: ".").last ?? name[...]).trimming(" ")
        guard name.endIndex < text.endIndex else { return (head, nil) }
        let closing: Character = text[name.endIndex] == "[" ? "]" : ")"
        guard text.last == closing else { return (head, nil) }
        return (head, String(text[text.index(after: name.endIndex)..<text.index(before: text.endIndex)]).trimming(" "))
    }
}

/// Python literals as protobuf values in JSON form (numbers as doubles, as kfp writes
/// defaults): numbers, strings, `True`, `False`, and lists and dicts of them. `None`, and
/// anything computed, has no value.
enum PythonLiteral {
    static func json(_ text: String) -> JSONValue? {
        let text = text.trimming(" \n\t")
        if let string = string(text) { return .string(string) }
        switch text {
        case "True": return .bool(true)
        case "False": return .bool(false)
        default: break
        }
        if let number = Double(text.replacing("_", with: "")), number.isFinite { return .double(number) }
        if (text.hasPrefix("[") && text.hasSuffix("]")) || (text.hasPrefix("(") && text.hasSuffix(")")) {
            let items = PythonSource.topLevelParts(String(text.dropFirst().dropLast())).map(json)
            return items.contains { $0 == nil } ? nil : .array(items.map { $0! })
        }
        if text.hasPrefix("{"), text.hasSuffix("}") {
            var object = JSONObject()
            for entry in PythonSource.topLevelParts(String(text.dropFirst().dropLast())) {
                guard let colon = entry.firstIndex(of: ":"), let key = string(String(entry[..<colon]).trimming(" ")),
                      let value = json(String(entry[entry.index(after: colon)...])) else { return nil }
                object.append(key, value)
            }
            return .object(object)
        }
        return nil
    }

    /// A plain string literal's text (`'x'` or `"x"`, simple escapes).
    static func string(_ text: String) -> String? {
        let text = text.trimming(" ")
        guard text.count >= 2, let quote = text.first, quote == "'" || quote == "\"", text.last == quote else { return nil }
        var result = "", escaped = false
        for character in text.dropFirst().dropLast() {
            if escaped {
                result.append(["n": "\n", "t": "\t", "\\": "\\", "'": "'", "\"": "\""][character] ?? character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == quote {
                return nil
            } else {
                result.append(character)
            }
        }
        return result
    }
}
