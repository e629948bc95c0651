import Diagnostics
import PipelineConfig
import PipelineIR

/// What reads a reference: it decides which values are in reach.
enum Reader: Equatable {
    case task(String)
    /// A group's condition or loop items.
    case group(GroupID)
    case pipelineOutputs
}

// What `after` and `${...}` name: tasks, params, outputs and run-time values.
extension Lowerer {
    func addAfterDependencies(of index: TaskID) {
        guard let task = taskConfigs[index] else { return }
        for upstream in checkAfter(task) {
            taskDependencies[index, default: []].append(Dependency(upstream: upstream.task, location: upstream.location, carriesData: false))
        }
    }

    /// The tasks named in `after`, reporting names that are not tasks.
    @discardableResult
    func checkAfter(_ task: TaskConfig) -> [(task: TaskID, location: SourceLocation)] {
        var upstreams: [(task: TaskID, location: SourceLocation)] = []
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

    /// The item of `loop`, or a field of it: only mapping items written out, and items known
    /// only at run time, have fields.
    private func item(of loop: GroupID, _ spec: LoopIR, field: String?, at location: SourceLocation) -> ResolvedReference? {
        let channel = spec.itemChannel(group: loop)
        guard let field else { return .channel(channel) }
        if case .list = spec.items, spec.itemType != .struct {
            diagnostics.error(.itemField,
                "an item of loop '\(groups[loop].displayName ?? "")' is \(spec.itemType.phrase) (\(spec.itemType.rawValue)), which has no field '\(field)'; only mapping items have fields",
                at: location)
            return nil
        }
        return .loopItemField(channel, field)
    }

    /// The outermost group around `producer` that the reader is not in: the loop whose
    /// iterations a `.collected` output gathers.
    func collectingLoop(of producer: TaskID, for reader: Reader) -> GroupID? {
        let outside = group(of: reader).map { groups.chain(to: $0) } ?? []
        return groups.chain(to: tasks[producer].group).first { !outside.contains($0) }
    }

    /// The tasks a reference makes its reader wait for.
    func dependencies(on reference: Reference, at location: SourceLocation, from reader: Reader) -> [Dependency] {
        switch reference {
        case .taskOutput(let task, let output):
            if let producer = taskIndex[task] { return [Dependency(upstream: producer, location: location)] }
            guard let wrapper = oneOfGroups[task], case .branches(let outputs) = groups[wrapper].kind,
                  let oneOf = outputs.first(where: { $0.name == output })
            else { return [] }
            return oneOf.branches.compactMap { $0.producer.flatMap { taskIndex[$0] } }.map {
                Dependency(upstream: $0, location: location, via: wrapper)
            }
        case .collectedOutput(let task, _):
            guard let producer = taskIndex[task], let loop = collectingLoop(of: producer, for: reader) else { return [] }
            return [Dependency(upstream: producer, location: location, via: loop)]
        default:
            return []
        }
    }

    /// The group whose DAG the reader is in: a task's group, a group's parent (where its
    /// condition or items are evaluated), the root for pipeline outputs.
    func group(of reader: Reader) -> GroupID? {
        switch reader {
        case .task(let name): return taskIndex[name].map { tasks[$0].group }
        case .group(let group): return groups[group].parent
        case .pipelineOutputs: return .root
        }
    }

    /// Every task name in the file, including tasks that failed to lower, for suggestions.
    private var taskNames: [String] {
        entryLocations.keys.filter { !groupNames.contains($0) }
    }

    /// Resolves a reference read by `reader`.
    func resolve(_ reference: Reference, at location: SourceLocation, from reader: Reader) -> ResolvedReference? {
        switch reference {
        case .param(let name):
            guard let param = params[name] else {
                if excluded.params.contains(name) { return nil }
                diagnostics.error(.unknownParam, "unknown param '\(name)'\(Suggestions.didYouMean(name, in: params.keys))", at: location)
                return nil
            }
            return .channel(Channel(source: .param(name), type: param.type))
        case .taskOutput(let taskName, let outputName):
            if let wrapper = oneOfGroups[taskName] {
                return oneOfOutput(outputName, of: wrapper, named: taskName, at: location, from: reader)
            }
            guard let producer = taskIndex[taskName] else {
                if groupNames.contains(taskName) {
                    diagnostics.error(.groupHasNoOutputs, "'\(taskName)' is a group without outputs; only tasks, and if/elif/else groups that declare 'outputs', have outputs", at: location)
                } else if entryLocations[taskName] == nil {
                    diagnostics.error(.unknownTask, "unknown task '\(taskName)'\(Suggestions.didYouMean(taskName, in: taskNames))", at: location)
                }
                return nil
            }
            if case .task(taskName) = reader {
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
            guard case .channel(let output)? = resolve(.taskOutput(task: taskName, output: outputName), at: location, from: reader),
                  let producer = taskIndex[taskName]
            else { return nil }
            guard enclosingLoop(of: tasks[producer].group) != nil else {
                diagnostics.error(.collectedOutput, "'\(taskName)' is not inside a loop; only the outputs of tasks in loops are collected", at: location)
                return nil
            }
            guard let loop = collectingLoop(of: producer, for: reader), group(of: reader) == groups[loop].parent else {
                diagnostics.error(.collectedOutput, "'${\(reference.spelling)}' is read beside the loop that runs '\(taskName)' (in the same group), not inside or below it", at: location)
                return nil
            }
            guard groups.chain(to: tasks[producer].group).drop(while: { $0 != loop }).allSatisfy({ pendingLoops[$0] != nil }) else {
                diagnostics.error(.collectedOutput, "'\(taskName)' is inside a group that is not a loop; only outputs of tasks in loops (directly, or in loops nested in them) are collected", at: location)
                return nil
            }
            let type: IOType
            switch output.type {
            case .parameter: type = .parameter(.list)
            case .artifact(let title): type = .artifactList(title)
            case .artifactList:
                diagnostics.error(.collectedOutput, "'\(outputName)' of '\(taskName)' is a list of artifacts already; lists of them are not collected", at: location)
                return nil
            }
            return .channel(Channel(source: .collected(task: taskName, output: outputName, loop: loop), type: type))
        case .runtime(let value):
            return .runtime(value)
        case .loopItem(let loopName?, let field):
            guard let readerGroup = group(of: reader),
                  let loop = groups.chain(to: readerGroup).last(where: { pendingLoops[$0]?.name.value == loopName }),
                  case .loop(let spec) = groups[loop].kind
            else {
                let known = pendingLoops.values.map(\.name.value)
                diagnostics.error(.itemOutsideLoop,
                    known.contains(loopName) ? "'${\(reference.spelling)}' is read outside the loop '\(loopName)'; use it inside its 'do'" : "no loop is named '\(loopName)'\(Suggestions.didYouMean(loopName, in: known))",
                    at: location)
                return nil
            }
            return item(of: loop, spec, field: field, at: location)
        case .loopItem(nil, let field):
            guard let readerGroup = group(of: reader), let loop = enclosingLoop(of: readerGroup), case .loop(let spec) = groups[loop].kind else {
                diagnostics.error(.itemOutsideLoop, "'${\(reference.spelling)}' is the item of a loop; use it inside 'do'", at: location)
                return nil
            }
            return item(of: loop, spec, field: field, at: location)
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
