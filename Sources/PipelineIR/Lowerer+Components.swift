import Diagnostics
import PipelineConfig

// Params and components: the params as the IR holds them, the components the file defines, and the built-ins tasks use, loaded on first use.
extension Lowerer {
    func lowerParams() {
        for param in config.params {
            if param.type == .taskFinalStatus {
                diagnostics.error(.finalStatusInput, "param '\(param.name.value)' cannot be a task's final status; only an exit task's component input can", at: param.name.location)
                continue
            }
            params[param.name.value] = ParamIR(
                name: param.name.value, type: param.type,
                defaultValue: param.defaultValue.map(ConstantValues.json),
                isOptional: param.isOptional, description: param.description)
        }
    }

    func lowerComponents() {
        let builder = InlineComponentBuilder(pipelineFile: config.file, readFile: readFile, diagnostics: diagnostics)
        for component in config.components {
            guard let definition = builder.build(component) else {
                brokenComponents.insert(component.name.value)
                continue
            }
            componentIndex[component.name.value] = components.count
            components.append(definition)
        }
    }

    /// The component `uses` names, loading a built-in on first use.
    func component(_ uses: Located<String>) -> Int? {
        if let index = componentIndex[uses.value] { return index }
        if brokenComponents.contains(uses.value) { return nil }
        if uses.value.contains("/"), let builtin = BuiltinComponents.load(uses.value, diagnostics: diagnostics) {
            componentIndex[uses.value] = components.count
            components.append(builtin)
            return components.count - 1
        }
        let known = BuiltinComponents.names + config.components.map(\.name.value)
        let suggestion = Suggestions.suggestion(for: uses.value, at: uses.location, in: known)
        diagnostics.error(
            .unknownComponent, "unknown component '\(uses.value)'\(suggestion.phrase); built-in components are \(BuiltinComponents.names.joined(separator: ", "))",
            at: uses.location, fixIts: suggestion.fixIts)
        return nil
    }
}

extension DiagnosticID {
    static let unknownComponent = DiagnosticID("unknown-component")
}
