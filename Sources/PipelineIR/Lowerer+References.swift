import Diagnostics
import PipelineConfig

// What `after` and `${...}` name: tasks, params, outputs and run-time values.
extension Lowerer {
    func addAfterDependencies(of index: Int) {
        for upstream in checkAfter(taskConfigs[index]) {
            taskDependencies[index].append(Dependency(upstream: upstream.index, location: upstream.location))
        }
    }

    /// The tasks named in `after`, reporting names that are not tasks.
    @discardableResult
    func checkAfter(_ task: TaskConfig) -> [(index: Int, location: SourceLocation)] {
        var upstreams: [(index: Int, location: SourceLocation)] = []
        for upstream in task.after {
            if upstream.value == task.name.value {
                diagnostics.error(.afterSelf, "task '\(upstream.value)' cannot run after itself", at: upstream.location)
            } else if let upstreamIndex = taskIndex[upstream.value] {
                upstreams.append((upstreamIndex, upstream.location))
            } else if groupNames.contains(upstream.value) {
                diagnostics.error(.afterGroup, "'after' names tasks; '\(upstream.value)' is an if/elif/else group", at: upstream.location)
            } else if entryLocations[upstream.value] == nil {
                let suggestion = Suggestions.suggestion(for: upstream.value, at: upstream.location, in: taskNames)
                diagnostics.error(.unknownTask, "unknown task '\(upstream.value)' in 'after'\(suggestion.phrase)", at: upstream.location, fixIts: suggestion.fixIts)
            }
        }
        return upstreams
    }

    /// Every task name in the file, including tasks that failed to lower, for suggestions.
    private var taskNames: [String] {
        entryLocations.keys.filter { !groupNames.contains($0) }
    }

    /// Resolves a reference in an argument or condition of task or group `owner`.
    func resolve(_ reference: Reference, at location: SourceLocation, from owner: String?) -> ResolvedReference? {
        switch reference {
        case .param(let name):
            guard let param = params[name] else {
                if excluded.params.contains(name) { return nil }
                diagnostics.error(.unknownParam, "unknown param '\(name)'\(Suggestions.didYouMean(name, in: params.keys))", at: location)
                return nil
            }
            return .channel(Channel(source: .param(name), type: .parameter(param.type)))
        case .taskOutput(let taskName, let outputName):
            guard let producer = taskIndex[taskName] else {
                if groupNames.contains(taskName) {
                    diagnostics.error(.groupHasNoOutputs, "'\(taskName)' is an if/elif/else group; only tasks have outputs", at: location)
                } else if entryLocations[taskName] == nil {
                    diagnostics.error(.unknownTask, "unknown task '\(taskName)'\(Suggestions.didYouMean(taskName, in: taskNames))", at: location)
                }
                return nil
            }
            if taskName == owner {
                diagnostics.error(.readsOwnOutput, "task '\(taskName)' cannot read its own outputs", at: location)
                return nil
            }
            let component = components[tasks[producer].component]
            guard let output = component.output(outputName) else {
                let outputs = component.outputs.map(\.name)
                diagnostics.error(.unknownOutput,
                    "task '\(taskName)' (\(component.reference)) has no output '\(outputName)'\(Suggestions.didYouMean(outputName, in: outputs)); its outputs are \(outputs.isEmpty ? "none" : outputs.joined(separator: ", "))",
                    at: location)
                return nil
            }
            return .channel(Channel(source: .taskOutput(task: taskName, output: outputName), type: output.type))
        case .collectedOutput(let taskName, let outputName):
            guard case .channel(let output)? = resolve(.taskOutput(task: taskName, output: outputName), at: location, from: owner),
                  let producer = taskIndex[taskName]
            else { return nil }
            let loop = tasks[producer].group
            guard case .loop = groups[loop].kind, pendingLoops[loop] != nil else {
                diagnostics.error(.collectedOutput, "'\(taskName)' is not directly inside a loop; only the outputs of a loop's own tasks are collected", at: location)
                return nil
            }
            guard let owner, let reader = taskIndex[owner], tasks[reader].group == groups[loop].parent else {
                diagnostics.error(.collectedOutput, "'${\(reference.spelling)}' can be read by a task beside the loop '\(groups[loop].displayName ?? "")' (in the same group), not inside or below it", at: location)
                return nil
            }
            guard case .parameter = output.type else {
                diagnostics.error(.collectedOutput, "'\(outputName)' of '\(taskName)' is an artifact; collecting artifacts is not supported yet", at: location)
                return nil
            }
            return .channel(Channel(source: .collected(task: taskName, output: outputName, loop: loop), type: .parameter(.list)))
        case .runtime(let value):
            return .runtime(value)
        case .loopItem(let field):
            guard let owner else {
                diagnostics.error(.itemOutsideLoop, "a condition cannot read '${\(reference.spelling)}' yet; pass the item to a task that decides", at: location)
                return nil
            }
            guard let task = taskIndex[owner], let loop = enclosingLoop(of: tasks[task].group), case .loop(let spec) = groups[loop].kind else {
                diagnostics.error(.itemOutsideLoop, "'${\(reference.spelling)}' is the item of a loop; use it in a task inside 'do'", at: location)
                return nil
            }
            let channel = spec.itemChannel(group: loop)
            return field.map { .loopItemField(channel, $0) } ?? .channel(channel)
        case .componentInput, .componentOutput, .executorInput:
            diagnostics.error(.misplacedReference, "'${\(reference.spelling)}' can only be used in a container component's command and args", at: location)
            return nil
        }
    }
}

extension DiagnosticID {
    static let afterSelf = DiagnosticID("after-self")
    static let afterGroup = DiagnosticID("after-group")
    static let unknownTask = DiagnosticID("unknown-task")
    static let unknownParam = DiagnosticID("unknown-param")
    static let groupHasNoOutputs = DiagnosticID("group-has-no-outputs")
    static let readsOwnOutput = DiagnosticID("reads-own-output")
    static let unknownOutput = DiagnosticID("unknown-output")
    static let misplacedReference = DiagnosticID("misplaced-reference")
}
