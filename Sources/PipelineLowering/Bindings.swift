import Diagnostics
import JSON
import PipelineConfig
import PipelineIR

/// Constant config values as protobuf `Value`s in JSON form: every number a double, as
/// kfp writes them.
enum ConstantValues {
    /// A value with no references (a default).
    static func json(_ value: Value) -> JSONValue {
        switch value.content {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .double(Double(number))
        case .float(let number): return .double(number)
        case .string(let template): return .string(template.constantText ?? "")
        case .list(let items): return .array(items.map(json))
        case .map(let entries): return .object(JSONObject(entries.map { ($0.key.value, json($0.value)) }))
        }
    }
}

/// What a reference in a task argument or condition resolves to.
enum ResolvedReference {
    case channel(Channel)
    case runtime(RuntimeValue)
    /// A field of a loop's mapping item.
    case loopItemField(Channel, String)
}

/// Binds task arguments to component inputs, checking types the way the KFP SDK does:
/// parameter types must match exactly, an integer constant may fill a float input, and
/// artifacts pass only as whole references to artifact outputs.
struct ArgumentBinder {
    let diagnostics: DiagnosticEngine
    /// Resolves `${params.X}` and `${tasks.T.outputs.O}` for the task being bound.
    let resolve: (Reference, SourceLocation) -> ResolvedReference?

    func bind(_ value: Value, to input: IOSpec, of component: ComponentDefinition) -> Binding? {
        let what = "input '\(input.name)' of \(component.reference)"
        if input.type.isArtifact {
            let expected = Self.typeName(input.type)
            guard case .string(let template) = value.content, let whole = template.wholeReference else {
                diagnostics.error(.typeMismatch, "\(what) is \(expected); pass an artifact output such as ${tasks.TASK.outputs.NAME}", at: value.location)
                return nil
            }
            guard let resolved = resolve(whole.reference, whole.location) else { return nil }
            guard case .channel(let channel) = resolved, channel.isArtifact else {
                diagnostics.error(.typeMismatch, "\(what) is \(expected), but '${\(whole.reference.spelling)}' is a parameter", at: whole.location)
                return nil
            }
            guard Self.artifactTypesFit(given: channel.type, expected: input.type) else {
                var hint = ""
                if case .artifactList = input.type, case .artifact = channel.type { hint = " (collect it from a loop with .collected)" }
                diagnostics.error(.typeMismatch, "\(what) is \(expected), but '${\(whole.reference.spelling)}' is \(Self.typeName(channel.type))\(hint)", at: whole.location)
                return nil
            }
            return .channel(channel)
        }
        guard case .parameter(let expected) = input.type else { return nil }

        if case .string(let template) = value.content, let whole = template.wholeReference {
            guard let resolved = resolve(whole.reference, whole.location) else { return nil }
            switch resolved {
            case .runtime(let runtime):
                guard expected == .string else {
                    diagnostics.error(.typeMismatch, "\(what) is \(Self.typeName(.parameter(expected))), but '${\(runtime.rawValue)}' is a string", at: whole.location)
                    return nil
                }
                return .runtime(runtime)
            case .loopItemField(let channel, let field):
                // KFP reads a field out of the item at run time, as a string.
                guard expected == .string else {
                    diagnostics.error(.typeMismatch, "\(what) is \(Self.typeName(.parameter(expected))), but '${\(whole.reference.spelling)}', a field of an item, is a string", at: whole.location)
                    return nil
                }
                return .loopItemField(channel, field: field)
            case .channel(let channel):
                guard channel.type == .parameter(expected) else {
                    diagnostics.error(.typeMismatch,
                        "\(what) is \(Self.typeName(.parameter(expected))), but '${\(whole.reference.spelling)}' is \(Self.typeName(channel.type))",
                        at: whole.location)
                    return nil
                }
                return .channel(channel)
            }
        }
        guard constantFits(value, expected, what: what) else { return nil }
        guard !value.references.isEmpty else { return .constant(ConstantValues.json(value)) }
        return interpolate(value).map(Binding.interpolated)
    }

    /// Whether a value written in the file has the input's type (before interpolation).
    private func constantFits(_ value: Value, _ expected: ParameterType, what: String) -> Bool {
        let kind = ValueKind(value.content)
        switch value.content {
        case _ where expected.admits(kind):
            return true
        case .null:
            diagnostics.error(.nullArgument, "\(what) cannot be null; leave it out to use the component's default", at: value.location)
        case .string(let template) where template.constantText == nil:
            diagnostics.error(.typeMismatch, "\(what) is \(Self.typeName(.parameter(expected))), but a string with references is a string", at: value.location)
        default:
            let hint = expected.quotingHint(for: Self.text(of: value), kind: kind)
            diagnostics.error(.typeMismatch, "\(what) is \(Self.typeName(.parameter(expected))), got \(Self.describe(value))\(hint)", at: value.location)
        }
        return false
    }

    /// The value with each reference in its strings resolved.
    private func interpolate(_ value: Value) -> InterpolatedValue? {
        switch value.content {
        case .string(let template):
            var parts: [InterpolatedValue.StringPart] = []
            for segment in template.segments {
                switch segment {
                case .text(let text): parts.append(.text(text))
                case .reference(let reference, let location):
                    guard let resolved = resolve(reference, location) else { return nil }
                    switch resolved {
                    case .runtime(let runtime): parts.append(.runtime(runtime))
                    case .loopItemField:
                        diagnostics.error(.itemFieldInString, "'${\(reference.spelling)}' can only be passed whole to an input; pass the item, or the field to an input of its own", at: location)
                        return nil
                    case .channel(let channel):
                        if channel.isArtifact {
                            diagnostics.error(.artifactInString, "'${\(reference.spelling)}' is an artifact; it can only be passed whole to an artifact input", at: location)
                            return nil
                        }
                        parts.append(.channel(channel))
                    }
                }
            }
            return .string(parts)
        case .list(let items):
            var result: [InterpolatedValue] = []
            for item in items {
                guard let interpolated = interpolate(item) else { return nil }
                result.append(interpolated)
            }
            return .list(result)
        case .map(let entries):
            var result: [(key: String, value: InterpolatedValue)] = []
            for entry in entries {
                guard let interpolated = interpolate(entry.value) else { return nil }
                result.append((entry.key.value, interpolated))
            }
            return .map(result)
        default:
            return .constant(ConstantValues.json(value))
        }
    }

    /// A list fits a list and one artifact one artifact; `system.Artifact` fits any schema
    /// title, otherwise titles must match.
    static func artifactTypesFit(given: IOType, expected: IOType) -> Bool {
        func titlesFit(_ given: String, _ expected: String) -> Bool {
            given == expected || given == "system.Artifact" || expected == "system.Artifact"
        }
        switch (given, expected) {
        case (.artifact(let given), .artifact(let expected)), (.artifactList(let given), .artifactList(let expected)):
            return titlesFit(given, expected)
        default:
            return false
        }
    }

    static func typeName(_ type: IOType) -> String {
        switch type {
        case .parameter(let parameter): return parameter.phrase + " (\(parameter.rawValue))"
        case .artifact(let title): return "an artifact (\(title))"
        case .artifactList(let title): return "a list of artifacts (\(title))"
        }
    }

    private static func describe(_ value: Value) -> String {
        switch value.content {
        case .null: return "null"
        case .bool: return "a boolean (\(text(of: value)))"
        case .int: return "an integer (\(text(of: value)))"
        case .float: return "a number (\(text(of: value)))"
        case .string: return "a string ('\(text(of: value))')"
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }

    /// A scalar value as it reads.
    private static func text(of value: Value) -> String {
        switch value.content {
        case .bool(let flag): return String(flag)
        case .int(let number): return String(number)
        case .float(let number): return String(number)
        case .string(let template): return template.constantText ?? ""
        default: return ""
        }
    }
}

extension DiagnosticID {
    static let typeMismatch = DiagnosticID("type-mismatch")
    static let nullArgument = DiagnosticID("null-argument")
    static let artifactInString = DiagnosticID("artifact-in-string")
    static let itemFieldInString = DiagnosticID("item-field-in-string")
}
