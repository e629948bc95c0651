import Diagnostics
import JSON
import PipelineConfig

/// Lowers a decoded pipeline to the IR: resolves components, params, task references and
/// conditions; builds the groups that conditions create, in the order they are written;
/// checks types, required inputs, dependencies across groups and cycles.
package enum Lowering {
    /// `readFile` reads the files a pipeline points at (Python sources, component files), by
    /// path relative to the working directory; its errors describe why a file cannot be read.
    /// `excluded` names entries left out of `config` for errors already reported.
    package static func lower(
        _ config: PipelineConfig, readFile: @escaping (String) throws -> [UInt8], diagnostics: DiagnosticEngine,
        excluding excluded: ExcludedEntries = ExcludedEntries()
    ) -> PipelineIR? {
        Lowerer(config: config, readFile: readFile, diagnostics: diagnostics, excluded: excluded).lower()
    }
}

private final class Lowerer {
    let config: PipelineConfig
    let readFile: (String) throws -> [UInt8]
    let diagnostics: DiagnosticEngine
    let excluded: ExcludedEntries

    var params: [String: ParamIR] = [:]
    var components: [ComponentDefinition] = []
    var componentIndex: [String: Int] = [:]
    /// Components that failed to build; tasks using them are not reported again.
    var brokenComponents: Set<String> = []
    var tasks: [TaskIR] = []
    var taskConfigs: [TaskConfig] = []
    var taskIndex: [String: Int] = [:]
    var groups: [GroupIR] = [GroupIR(displayName: nil, kind: .root, parent: nil, members: [])]
    /// Conditions of each condition group, resolved once all tasks are known.
    var pendingConditions: [Int: [(condition: Condition, isNegated: Bool)]] = [:]
    /// Tasks and if/elif/else groups share one namespace.
    var entryLocations: [String: SourceLocation] = [:]
    /// Names of if/elif/else groups.
    var groupNames: Set<String> = []
    var taskDependencies: [[Dependency]] = []
    /// Tasks whose component could not be found or built; they are not lowered.
    var tasksWithoutComponent: [TaskConfig] = []
    /// The `batch_id` of each Dataproc task, to check they differ.
    var batchIDs: [(task: Int, template: Template)] = []
    var conditionDependencies: [Int: [Dependency]] = [:]

    init(config: PipelineConfig, readFile: @escaping (String) throws -> [UInt8], diagnostics: DiagnosticEngine, excluded: ExcludedEntries) {
        self.config = config
        self.readFile = readFile
        self.diagnostics = diagnostics
        self.excluded = excluded
        // Excluded entries exist, broken: what refers to them is not reported again.
        entryLocations = excluded.tasks
        brokenComponents = excluded.components
    }

    func lower() -> PipelineIR? {
        let errorsBefore = diagnostics.errorCount
        lowerParams()
        lowerComponents()
        addEntries(config.tasks, into: 0)
        checkArgumentDefaults()
        taskDependencies = Array(repeating: [], count: tasks.count)
        for index in tasks.indices {
            bindArguments(of: index)
            addAfterDependencies(of: index)
        }
        // Their other mistakes need the component; `after` does not.
        for task in tasksWithoutComponent { checkAfter(task) }
        for group in groups.indices { resolveConditions(of: group) }
        checkBatchIDsDiffer()
        if diagnostics.errorCount == errorsBefore {
            DependencyChecker(tasks: tasks, groups: groups, taskDependencies: taskDependencies,
                              conditionDependencies: conditionDependencies, diagnostics: diagnostics).check()
        }
        // A param may be used only by an excluded task.
        if excluded.isEmpty { warnAboutUnusedParams() }
        guard diagnostics.errorCount == errorsBefore else { return nil }
        return PipelineIR(
            name: config.name.value, displayName: config.displayName, description: config.description,
            pipelineRoot: config.pipelineRoot?.value,
            params: config.params.compactMap { params[$0.name.value] },
            components: components, tasks: tasks, groups: groups)
    }

    // MARK: Params and components

    private func lowerParams() {
        for param in config.params {
            params[param.name.value] = ParamIR(
                name: param.name.value, type: param.type,
                defaultValue: param.defaultValue.map(ConstantValues.json),
                isOptional: param.isOptional, description: param.description)
        }
    }

    private func lowerComponents() {
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
    private func component(_ uses: Located<String>) -> Int? {
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

    // MARK: Tasks and groups

    private func addEntries(_ entries: [TaskEntry], into group: Int) {
        for entry in entries {
            guard claim(entry.name) else { continue }
            switch entry {
            case .task(let task):
                var parent = group
                for condition in task.when {
                    parent = addConditionGroup(parent: parent, displayName: nil, conditions: [(condition, false)])
                }
                addTask(task, into: parent)
            case .conditionGroup(let conditionGroup):
                addConditionGroup(conditionGroup, into: group)
            }
        }
    }

    /// Reserves a task or group name, reporting a name used twice or one of the names
    /// given to generated groups (`condition-3`, `condition-branches-2`), which share the
    /// DAG's namespace.
    private func claim(_ name: Located<String>) -> Bool {
        let generated = ["condition-branches-", "condition-"].first { name.value.hasPrefix($0) }.map { name.value.dropFirst($0.count) }
        if let number = generated, !number.isEmpty, number.allSatisfy(\.isNumber) {
            diagnostics.error(.reservedName, "'\(name.value)' is the kind of name pipespec gives to condition groups; choose another name", at: name.location)
            entryLocations[name.value] = name.location  // so references to it are not reported again
            return false
        }
        if let first = entryLocations[name.value] {
            diagnostics.error(.duplicateName, "the name '\(name.value)' is already used by another task or group", at: name.location,
                              notes: [.init("'\(name.value)' was first used here", at: first)])
            return false
        }
        entryLocations[name.value] = name.location
        return true
    }

    private func addTask(_ task: TaskConfig, into group: Int) {
        guard let component = component(task.uses) else {
            tasksWithoutComponent.append(task)
            return
        }
        let retry = task.retry ?? config.defaults.retry
        taskIndex[task.name.value] = tasks.count
        groups[group].members.append(.task(tasks.count))
        taskConfigs.append(task)
        tasks.append(TaskIR(
            name: task.name.value, displayName: task.displayName, component: component, bindings: [],
            after: task.after.map(\.value),
            caching: task.caching?.value ?? config.defaults.caching?.value ?? true,
            retry: retry.map {
                RetryPolicy(maxRetryCount: $0.maxRetries, backoffSeconds: $0.backoffSeconds ?? 0,
                            backoffFactor: $0.backoffFactor ?? 2.0, maxBackoffSeconds: $0.maxBackoffSeconds?.value ?? 3600)
            },
            resources: task.resources.map {
                ResourceRequests(cpuLimit: $0.cpuLimit?.value, cpuRequest: $0.cpuRequest?.value,
                                 memoryLimit: $0.memoryLimit?.value, memoryRequest: $0.memoryRequest?.value,
                                 acceleratorType: $0.accelerator?.type, acceleratorCount: $0.accelerator?.count)
            },
            environment: task.environment, group: group, location: task.name.location))
    }

    /// Adds the groups of an if/elif/else. Like the KFP SDK, a group with `elif` or `else`
    /// is wrapped in a branches group, made once the `if` branch and what it holds are.
    private func addConditionGroup(_ group: ConditionGroupConfig, into parent: Int) {
        groupNames.insert(group.name.value)
        let name = group.name.value
        let first = group.branches[0]
        let hasAlternatives = group.branches.count > 1 || group.elseTasks != nil
        let ifGroup = addConditionGroup(parent: hasAlternatives ? nil : parent, displayName: name,
                                        conditions: [(first.condition, false)])
        addEntries(first.tasks, into: ifGroup)
        guard hasAlternatives else { return }

        let wrapper = addGroup(GroupIR(displayName: nil, kind: .branches, parent: parent, members: []))
        groups[ifGroup].parent = wrapper
        groups[wrapper].members.append(.group(ifGroup))

        var negatedSoFar = [(condition: first.condition, isNegated: true)]
        for (number, branch) in group.branches.dropFirst().enumerated() {
            let elifGroup = addConditionGroup(parent: wrapper, displayName: "\(name)-elif-\(number + 1)",
                                              conditions: negatedSoFar + [(branch.condition, false)])
            addEntries(branch.tasks, into: elifGroup)
            negatedSoFar.append((branch.condition, true))
        }
        if let elseTasks = group.elseTasks {
            let elseGroup = addConditionGroup(parent: wrapper, displayName: "\(name)-else", conditions: negatedSoFar)
            addEntries(elseTasks, into: elseGroup)
        }
    }

    private func addConditionGroup(parent: Int?, displayName: String?, conditions: [(condition: Condition, isNegated: Bool)]) -> Int {
        let index = addGroup(GroupIR(displayName: displayName, kind: .condition([]), parent: parent, members: []))
        pendingConditions[index] = conditions
        return index
    }

    private func addGroup(_ group: GroupIR) -> Int {
        let index = groups.count
        groups.append(group)
        if let parent = group.parent { groups[parent].members.append(.group(index)) }
        return index
    }

    // MARK: Arguments

    /// Checks `defaults.with`: each selector names known components, each argument an input
    /// of at least one of them. Components the tasks use are already loaded; other built-ins
    /// are loaded only when an argument is not found among those.
    private func checkArgumentDefaults() {
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
    private func matchingReferences(_ selector: String) -> [String] {
        if selector.hasSuffix("/*") {
            let prefix = selector.dropLast()
            return BuiltinComponents.names.filter { $0.hasPrefix(prefix) }
        }
        let isKnown = BuiltinComponents.names.contains(selector) || config.components.contains { $0.name.value == selector }
            || excluded.components.contains(selector)
        return isKnown ? [selector] : []
    }

    /// The task's own arguments, then defaults for its component, then for its family.
    private func effectiveArguments(_ task: TaskConfig, _ component: ComponentDefinition) -> [Argument] {
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

    private func bindArguments(of index: Int) {
        let task = taskConfigs[index]
        let component = components[tasks[index].component]
        let binder = ArgumentBinder(diagnostics: diagnostics) { [unowned self] reference, location in
            resolve(reference, at: location, from: task.name.value)
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
            if let binding = binder.bind(argument.value, to: input, of: component) {
                bindings.append((input.name, binding))
            }
        }
        for argument in arguments {
            for case (.taskOutput(let upstream, _), let location) in argument.value.references {
                if let upstreamIndex = taskIndex[upstream], upstreamIndex != index {
                    taskDependencies[index].append(Dependency(upstream: upstreamIndex, location: location))
                }
            }
        }
        let given = Set(arguments.map(\.name.value))
        for input in component.inputs where input.isRequired && !given.contains(input.name) {
            diagnostics.error(.missingInput, "task '\(task.name.value)' is missing required input '\(input.name)' of \(component.reference)", at: task.name.location)
        }
        tasks[index].bindings = bindings
        GoogleCloudChecks(diagnostics: diagnostics).check(arguments, of: component)
        if BuiltinComponents.family(component.reference) == "dataproc",
           case .string(let template)? = arguments.first(where: { $0.name.value == "batch_id" })?.value.content {
            batchIDs.append((index, template))
        }
    }

    /// Two Dataproc batches of one run cannot share an ID: batch IDs written the same way
    /// must tell tasks apart, unless the tasks sit in different branches of an if/elif/else
    /// and so never both run. (`${task.id}` or `${task.name}` differ per task.)
    private func checkBatchIDsDiffer() {
        var first: [String: (task: Int, location: SourceLocation)] = [:]
        for (task, template) in batchIDs {
            guard !template.references.contains(where: { [.runtime(.taskID), .runtime(.taskName)].contains($0.reference) }) else { continue }
            let spelling = template.segments.map { segment -> String in
                switch segment {
                case .text(let text): return text
                case .reference(let reference, _): return "${\(reference.spelling)}"
                }
            }.joined()
            guard let earlier = first[spelling] else {
                first[spelling] = (task, template.location)
                continue
            }
            if !inExclusiveBranches(earlier.task, task) {
                let notes: [Diagnostic.Note] = earlier.location == template.location
                    ? [.init("both take their batch_id from here", at: template.location)]
                    : [.init("the batch_id of '\(tasks[earlier.task].name)'", at: earlier.location),
                       .init("the batch_id of '\(tasks[task].name)'", at: template.location)]
                diagnostics.error(.duplicateBatchId,
                    "task '\(tasks[task].name)' has the same batch_id as task '\(tasks[earlier.task].name)'; the batches of one run need different IDs",
                    at: tasks[task].location, notes: notes)
            }
        }
    }

    /// Whether two tasks are in different branches of one if/elif/else.
    private func inExclusiveBranches(_ first: Int, _ second: Int) -> Bool {
        let (a, b) = (groups.chain(to: tasks[first].group), groups.chain(to: tasks[second].group))
        let common = zip(a, b).prefix { $0 == $1 }.count
        guard common < a.count, common < b.count else { return false }
        let parent = common == 0 ? 0 : a[common - 1]
        if case .branches = groups[parent].kind { return true }
        return false
    }

    private func addAfterDependencies(of index: Int) {
        for upstream in checkAfter(taskConfigs[index]) {
            taskDependencies[index].append(Dependency(upstream: upstream.index, location: upstream.location))
        }
    }

    /// The tasks named in `after`, reporting names that are not tasks.
    @discardableResult
    private func checkAfter(_ task: TaskConfig) -> [(index: Int, location: SourceLocation)] {
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
    private func resolve(_ reference: Reference, at location: SourceLocation, from owner: String?) -> ResolvedReference? {
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
        case .runtime(let value):
            return .runtime(value)
        case .componentInput, .componentOutput, .executorInput:
            diagnostics.error(.misplacedReference, "'${\(reference.spelling)}' can only be used in a container component's command and args", at: location)
            return nil
        }
    }

    // MARK: Conditions

    private func resolveConditions(of group: Int) {
        guard let conditions = pendingConditions[group] else { return }
        var terms: [ConditionTerm] = []
        for (condition, isNegated) in conditions {
            guard let left = operand(condition.left, condition), let right = operand(condition.right, condition) else { continue }
            guard checkComparable(left, right, condition) else { continue }
            // An elif or else branch restates earlier conditions, negated; their dependencies
            // are checked once, in the branch that states them.
            for case .reference(.taskOutput(let upstream, _), let location) in [condition.left, condition.right] where !isNegated {
                if let upstreamIndex = taskIndex[upstream] {
                    conditionDependencies[group, default: []].append(Dependency(upstream: upstreamIndex, location: location))
                }
            }
            terms.append(ConditionTerm(left: left, comparison: condition.comparison, right: right, isNegated: isNegated))
        }
        groups[group].kind = .condition(terms)
    }

    private func operand(_ operand: Condition.Operand, _ condition: Condition) -> ConditionTerm.Operand? {
        switch operand {
        case .string(let text): return .string(text)
        case .int(let number): return .int(number)
        case .float(let number): return .float(number)
        case .bool(let flag): return .bool(flag)
        case .reference(let reference, let location):
            switch resolve(reference, at: location, from: nil) {
            case nil: return nil
            case .runtime(let value):
                diagnostics.error(.conditionOperand, "a condition cannot test '${\(value.rawValue)}'; compare params and task outputs", at: location)
                return nil
            case .channel(let channel):
                switch channel.type {
                case .parameter(.list), .parameter(.struct), .artifact:
                    diagnostics.error(.conditionOperand, "'${\(reference.spelling)}' is \(ArgumentBinder.typeName(channel.type)); conditions compare strings, numbers and booleans", at: location)
                    return nil
                case .parameter:
                    return .channel(channel)
                }
            }
        }
    }

    /// Operands must have the same type, except that integers and floats compare.
    private func checkComparable(_ left: ConditionTerm.Operand, _ right: ConditionTerm.Operand, _ condition: Condition) -> Bool {
        let types = [left.type, right.type]
        if case .channel = left {} else if case .channel = right {} else {
            diagnostics.error(.conditionConstant, "a condition must test a ${params.NAME} or ${tasks.TASK.outputs.NAME}, not only constants", at: condition.location)
            return false
        }
        let numeric: Set<ParameterType> = [.int, .float]
        guard types[0] == types[1] || (numeric.contains(types[0]) && numeric.contains(types[1])) else {
            diagnostics.error(.conditionTypeMismatch, "cannot compare \(types[0].phrase) (\(types[0].rawValue)) with \(types[1].phrase) (\(types[1].rawValue))", at: condition.location)
            return false
        }
        return true
    }

    /// Params no argument, default or condition mentions; found from the file's text, so
    /// a reference in an argument that failed to bind still counts as a use.
    private func warnAboutUnusedParams() {
        var mentioned = Set<String>()
        func collect(_ references: [(reference: Reference, location: SourceLocation)]) {
            for case (.param(let name), _) in references { mentioned.insert(name) }
        }
        func collect(_ condition: Condition) {
            for case .reference(let reference, let location) in [condition.left, condition.right] { collect([(reference, location)]) }
        }
        func collect(_ entries: [TaskEntry]) {
            for entry in entries {
                switch entry {
                case .task(let task):
                    task.arguments.forEach { collect($0.value.references) }
                    task.when.forEach(collect)
                case .conditionGroup(let group):
                    for branch in group.branches {
                        collect(branch.condition)
                        collect(branch.tasks)
                    }
                    collect(group.elseTasks ?? [])
                }
            }
        }
        collect(config.tasks)
        config.defaults.arguments.forEach { $0.arguments.forEach { collect($0.value.references) } }
        for param in config.params where !mentioned.contains(param.name.value) {
            diagnostics.warning(.unusedParam, "param '\(param.name.value)' is never used", at: param.name.location)
        }
    }
}

extension DiagnosticID {
    static let unknownComponent = DiagnosticID("unknown-component")
    static let reservedName = DiagnosticID("reserved-name")
    static let duplicateName = DiagnosticID("duplicate-name")
    static let unmatchedSelector = DiagnosticID("unmatched-selector")
    static let unknownInput = DiagnosticID("unknown-input")
    static let missingInput = DiagnosticID("missing-input")
    static let duplicateBatchId = DiagnosticID("duplicate-batch-id")
    static let afterSelf = DiagnosticID("after-self")
    static let afterGroup = DiagnosticID("after-group")
    static let unknownTask = DiagnosticID("unknown-task")
    static let unknownParam = DiagnosticID("unknown-param")
    static let groupHasNoOutputs = DiagnosticID("group-has-no-outputs")
    static let readsOwnOutput = DiagnosticID("reads-own-output")
    static let unknownOutput = DiagnosticID("unknown-output")
    static let misplacedReference = DiagnosticID("misplaced-reference")
    static let conditionOperand = DiagnosticID("condition-operand")
    static let conditionConstant = DiagnosticID("condition-constant")
    static let conditionTypeMismatch = DiagnosticID("condition-type-mismatch")
    static let unusedParam = DiagnosticID("unused-param")
}
