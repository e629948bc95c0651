import Diagnostics
import PipelineConfig
import PipelineIR

// Tasks and the groups conditions make, in the order they are written.
extension Lowerer {
    func addEntries(_ entries: [TaskEntry], into group: GroupID) {
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
            case .loop(let loop):
                groupNames.insert(loop.name.value)
                // Its items are resolved once every task is known (they may be an output).
                let unresolved = LoopIR(items: .list([]), parallelism: loop.parallelism, itemType: .string)
                let index = addGroup(GroupIR(displayName: loop.name.value, kind: .loop(unresolved), parent: group, members: []))
                pendingLoops[index] = loop
                addEntries(loop.tasks, into: index)
            case .exitHandler(let handler):
                groupNames.insert(handler.name.value)
                let index = addGroup(GroupIR(displayName: handler.name.value, kind: .exitHandler, parent: group, members: []))
                addEntries(handler.tasks, into: index)
                // The exit task runs beside the group it guards.
                guard claim(handler.exitTask.name) else { continue }
                addTask(handler.exitTask, into: group)
                if let task = taskIndex[handler.exitTask.name.value] { tasks[task].exitTaskOf = index }
            }
        }
    }

    /// Reserves a task or group name, reporting a name used twice.
    func claim(_ name: Located<String>) -> Bool {
        if let first = entryLocations[name.value] {
            diagnostics.error(.duplicateName, "the name '\(name.value)' is already used by another task or group", at: name.location,
                              notes: [.init("'\(name.value)' was first used here", at: first)])
            return false
        }
        entryLocations[name.value] = name.location
        return true
    }

    func addTask(_ task: TaskConfig, into group: GroupID) {
        guard let component = task.importer.map(importerComponent) ?? component(task.uses) else {
            tasksWithoutComponent.append(task)
            return
        }
        let retry = task.retry ?? config.defaults.retry
        // A pipeline's tasks run their own containers, with their own settings; a custom
        // job's container is GCPC's launcher, and its machines are set under `custom_job`.
        let otherContainers: String?
        switch components[component].executor {
        case .pipeline: otherContainers = "runs the pipeline '\(task.uses.value)', whose tasks set their own"
        case .customJob: otherContainers = "runs '\(task.uses.value)' as a custom job, whose machines and env are set under custom_job"
        default: otherContainers = nil
        }
        let runsContainer = otherContainers == nil
        if let otherContainers {
            for setting in [task.resources.map { ("resources", $0.location) }, task.environmentLocation.map { ("env", $0) }].compactMap({ $0 }) {
                diagnostics.error(.containerSetting, "\(setting.0) is set on a task's container; '\(task.name.value)' \(otherContainers)", at: setting.1)
            }
        }
        let id = TaskID(tasks.count)
        taskIndex[task.name.value] = id
        groups[group].members.append(.task(id))
        taskConfigs[id] = task
        tasks.append(TaskIR(
            name: task.name.value, displayName: task.displayName, component: component, bindings: [],
            after: task.after.map(\.value),
            caching: task.caching?.value ?? config.defaults.caching?.value ?? true,
            retry: retry.map {
                RetryPolicy(maxRetryCount: $0.maxRetries, backoffSeconds: $0.backoffSeconds ?? 0,
                            backoffFactor: $0.backoffFactor ?? 2.0, maxBackoffSeconds: $0.maxBackoffSeconds?.value ?? 3600)
            },
            resources: runsContainer ? task.resources.map { resources($0, of: task.name.value) } ?? defaultResources : nil,
            environment: runsContainer ? environment(of: task) : [], group: group, ignoresUpstreamFailure: task.ignoresUpstreamFailure, location: task.name.location))
    }

    /// The defaults' environment variables the task does not set, then the task's own.
    private func environment(of task: TaskConfig) -> [(name: String, value: String)] {
        let own = Set(task.environment.map(\.name))
        return config.defaults.environment.filter { !own.contains($0.name) } + task.environment
    }

    /// Adds the groups of an if/elif/else. Like the KFP SDK, a group with `elif` or `else`
    /// is wrapped in a branches group, made once the `if` branch and what it holds are.
    func addConditionGroup(_ group: ConditionGroupConfig, into parent: GroupID) {
        groupNames.insert(group.name.value)
        let name = group.name.value
        let first = group.branches[0]
        let hasAlternatives = group.branches.count > 1 || group.elseTasks != nil
        let ifGroup = addConditionGroup(parent: hasAlternatives ? nil : parent, displayName: name,
                                        conditions: [(first.condition, false)])
        addEntries(first.tasks, into: ifGroup)
        if !group.outputs.isEmpty, group.elseTasks == nil, let location = group.outputsLocation {
            diagnostics.error(.oneOf, "an if/elif/else with outputs needs an else branch, so that a branch that runs always gives the values", at: location)
        }
        guard hasAlternatives else { return }

        let wrapper = addGroup(GroupIR(displayName: nil, kind: .branches([]), parent: parent, members: []))
        var branches = [ifGroup]
        groups[ifGroup].parent = wrapper
        groups[wrapper].members.append(.group(ifGroup))

        var negatedSoFar = [(condition: first.condition, isNegated: true)]
        for (number, branch) in group.branches.dropFirst().enumerated() {
            let elifGroup = addConditionGroup(parent: wrapper, displayName: "\(name)-elif-\(number + 1)",
                                              conditions: negatedSoFar + [(branch.condition, false)])
            addEntries(branch.tasks, into: elifGroup)
            negatedSoFar.append((branch.condition, true))
            branches.append(elifGroup)
        }
        if let elseTasks = group.elseTasks {
            let elseGroup = addConditionGroup(parent: wrapper, displayName: "\(name)-else", conditions: negatedSoFar)
            addEntries(elseTasks, into: elseGroup)
            branches.append(elseGroup)
            if !group.outputs.isEmpty {
                pendingOneOfs[wrapper] = (group, branches)
                oneOfGroups[name] = wrapper
            }
        }
    }

    func addConditionGroup(parent: GroupID?, displayName: String?, conditions: [(condition: Condition, isNegated: Bool)]) -> GroupID {
        let index = addGroup(GroupIR(displayName: displayName, kind: .condition([]), parent: parent, members: []))
        pendingConditions[index] = conditions
        return index
    }

    func addGroup(_ group: GroupIR) -> GroupID {
        let index = GroupID(groups.count)
        groups.append(group)
        if let parent = group.parent { groups[parent].members.append(.group(index)) }
        return index
    }
}

extension DiagnosticID {
    static let duplicateName = DiagnosticID("duplicate-name")
    static let containerSetting = DiagnosticID("container-setting")
}
