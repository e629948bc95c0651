import Diagnostics
import PipelineConfig
import PipelineIR

// Task arguments: defaults merged in and bound to component inputs.
extension Lowerer {
    /// Checks `defaults.with`: each selector names known components, each argument an input
    /// of at least one of them. Components the tasks use are already loaded; other built-ins
    /// are loaded only when an argument is not found among those.
    func checkArgumentDefaults() {
        for (selector, arguments) in config.defaults.arguments {
            let references = matchingReferences(selector.value)
            guard !references.isEmpty else {
                let known = BuiltinComponents.names + config.components.map(\.name.value)
                let suggestion = Suggestions.suggestion(for: selector.value, at: selector.location, in: known)
                diagnostics.error(.unmatchedSelector, "'\(selector.value)' matches no component\(suggestion.phrase)", at: selector.location, fixIts: suggestion.fixIts)
                continue
            }
            func inputNames(_ references: [String]) -> Set<String> {
                Set(references.compactMap { componentIndex[$0] }.flatMap { components[$0].inputs.map(\.name) })
            }
            // A component that failed to build has no known inputs; it was reported already.
            if references.contains(where: brokenComponents.contains) { continue }
            var known = inputNames(references)
            for argument in arguments where !known.contains(argument.name.value) {
                for reference in references where componentIndex[reference] == nil {
                    _ = component(Located(reference, at: selector.location))
                }
                known = inputNames(references)
                if !known.contains(argument.name.value) {
                    let suggestion = Suggestions.suggestion(for: argument.name.value, at: argument.name.location, in: known)
                    diagnostics.error(.unknownInput, "no component matching '\(selector.value)' has an input '\(argument.name.value)'\(suggestion.phrase)",
                                      at: argument.name.location, fixIts: suggestion.fixIts)
                }
            }
        }
    }

    /// The components a `defaults.with` selector applies to: one name, or a family (`dataproc/*`).
    func matchingReferences(_ selector: String) -> [String] {
        if selector.hasSuffix("/*") {
            let prefix = selector.dropLast()
            return BuiltinComponents.names.filter { $0.hasPrefix(prefix) }
        }
        let isKnown = BuiltinComponents.names.contains(selector) || config.components.contains { $0.name.value == selector }
            || excluded.components.contains(selector)
        return isKnown ? [selector] : []
    }

    /// The task's own arguments, then defaults for its component, then for its family.
    func effectiveArguments(_ task: TaskConfig, _ component: ComponentDefinition) -> [Argument] {
        var arguments = task.arguments
        var given = Set(arguments.map(\.name.value))
        let family = BuiltinComponents.family(component.reference).map { $0 + "/*" }
        for selector in [component.reference, family].compactMap({ $0 }) {
            for (defaultsSelector, defaults) in config.defaults.arguments where defaultsSelector.value == selector {
                for argument in defaults where component.input(argument.name.value) != nil && given.insert(argument.name.value).inserted {
                    arguments.append(argument)
                }
            }
        }
        return arguments
    }

    func bindArguments(of index: TaskID) {
        guard let task = taskConfigs[index] else { return }
        let component = components[tasks[index].component]
        let binder = ArgumentBinder(diagnostics: diagnostics) { [unowned self] reference, location in
            resolve(reference, at: location, from: .task(task.name.value))
        }
        let arguments = effectiveArguments(task, component)
        var bindings: [(input: String, binding: Binding)] = []
        for argument in arguments {
            guard let input = component.input(argument.name.value) else {
                let suggestion = Suggestions.suggestion(for: argument.name.value, at: argument.name.location, in: component.inputs.map(\.name))
                diagnostics.error(.unknownInput, "\(component.reference) has no input '\(argument.name.value)'\(suggestion.phrase)",
                                  at: argument.name.location, fixIts: suggestion.fixIts)
                continue
            }
            if input.type == .parameter(.taskFinalStatus) {
                diagnostics.error(.finalStatusInput, "'\(input.name)' receives the final status of the tasks an exit handler guards; it takes no argument", at: argument.name.location)
                continue
            }
            if let binding = binder.bind(argument.value, to: input, of: component) {
                bindings.append((input.name, binding))
            }
        }
        for input in component.inputs where input.type == .parameter(.taskFinalStatus) {
            guard let group = tasks[index].exitTaskOf else {
                diagnostics.error(.finalStatusInput,
                    "task '\(task.name.value)' uses \(component.reference), whose input '\(input.name)' is a task's final status; only the task under an exit handler's 'on_exit' receives one",
                    at: task.name.location)
                continue
            }
            bindings.append((input.name, .finalStatus(group: group)))
        }
        for argument in arguments {
            for (reference, location) in argument.value.references {
                taskDependencies[index, default: []] += dependencies(on: reference, at: location, from: .task(task.name.value)).filter { $0.upstream != index }
            }
        }
        let given = Set(arguments.map(\.name.value))
        for input in component.inputs where input.isRequired && !given.contains(input.name) {
            diagnostics.error(.missingInput, "task '\(task.name.value)' is missing required input '\(input.name)' of \(component.reference)", at: task.name.location)
        }
        tasks[index].bindings = bindings
        taskArguments[index] = arguments
    }
}

extension DiagnosticID {
    static let unmatchedSelector = DiagnosticID("unmatched-selector")
    static let unknownInput = DiagnosticID("unknown-input")
    static let missingInput = DiagnosticID("missing-input")
    static let finalStatusInput = DiagnosticID("final-status-input")
}
