import JSON
import PipelineConfig
import PipelineIR

// How KFP spells what the IR holds by meaning: channel inputs, run-time placeholders,
// interpolated strings, and the names of condition groups.

extension Channel {
    /// KFP's name for a param or output channel: the param's name, or `TASK-OUTPUT`.
    var fullName: String {
        switch source {
        case .param(let name): return name
        case .taskOutput(let task, let output), .collected(let task, let output, _): return "\(task)-\(output)"
        case .loopItem(let group): return "loop-item-\(group)"
        case .oneOf(let group, let output): return "oneof-\(group)-\(output)"
        }
    }
}

extension RuntimeValue {
    /// The PipelineSpec placeholder the backend substitutes.
    package var placeholder: String {
        switch self {
        case .jobID: return "{{$.pipeline_job_uuid}}"
        case .jobName: return "{{$.pipeline_job_name}}"
        case .jobResourceName: return "{{$.pipeline_job_resource_name}}"
        case .root: return "{{$.pipeline_root}}"
        case .createTime: return "{{$.pipeline_job_create_time_utc}}"
        case .scheduleTime: return "{{$.pipeline_job_schedule_time_utc}}"
        case .project: return "{{$.pipeline_google_cloud_project_id}}"
        case .location: return "{{$.pipeline_google_cloud_location}}"
        case .serviceAccount: return "{{$.pipeline_service_account}}"
        case .taskName: return "{{$.pipeline_task_name}}"
        case .taskID: return "{{$.pipeline_task_uuid}}"
        }
    }
}

extension InterpolatedValue {
    /// The value as a protobuf `Value`, each channel in a string written as the placeholder
    /// of the `pipelinechannel--` input that carries it (KFP's f-string interpolation).
    func json(_ names: KFPNames) -> JSONValue {
        switch self {
        case .constant(let value):
            return value
        case .string(let parts):
            return .string(parts.map { part in
                switch part {
                case .text(let text): return text
                case .channel(let channel): return names.placeholder(for: channel)
                case .runtime(let value): return value.placeholder
                }
            }.joined())
        case .list(let items):
            return .array(items.map { $0.json(names) })
        case .map(let entries):
            return .object(JSONObject(entries.map { ($0.key, $0.value.json(names)) }))
        }
    }
}

/// KFP's names of a pipeline's groups.
struct GroupNames {
    let names: [String]

    subscript(group: GroupID) -> String { names[group.index] }
}

/// KFP's names for groups and for the inputs that carry channels into them.
struct KFPNames {
    /// `root`, then `condition-NAME`, `condition-branches-NAME`, `for-loop-NAME` and
    /// `exit-handler-NAME`, in KFP's shapes but named after the group as written (or, for
    /// the condition a task's `when` makes, after the task; for an if/elif/else wrapper,
    /// after its first branch) rather than numbered, so that adding or removing one group
    /// renames no other. A name some task or earlier group already has takes `-2`, `-3`, …
    let groups: GroupNames
    /// The input that carries each loop's item, by group.
    private let loopItems: [GroupID: String]
    /// The channel names of if/elif/else outputs: `condition-branches-NAME-oneof-M`,
    /// numbered in each group in the order written.
    private let oneOfs: [Channel.Source: String]

    init(_ groups: [GroupIR], tasks: [TaskIR]) {
        var taken = UniqueNames(used: Set(tasks.map(\.name) + ["root"]))
        var names = Array(repeating: "", count: groups.count)
        /// What the group is called in the file, or what stands for it.
        func label(_ index: GroupID) -> String {
            let group = groups[index]
            if case .branches = group.kind, case .group(let first)? = group.members.first { return label(first) }
            if let name = group.displayName { return name }
            switch group.members.first {
            case .task(let task)?: return tasks.indices.contains(task.index) ? tasks[task].name : "\(index.index)"
            case .group(let child)?: return label(child)
            case nil: return "\(index.index)"
            }
        }
        for index in groups.ids {
            let base: String
            switch groups[index].kind {
            case .root: names[index.index] = "root"; continue
            case .branches: base = "condition-branches-" + label(index)
            case .loop: base = "for-loop-" + label(index)
            case .exitHandler: base = "exit-handler-" + label(index)
            case .condition: base = "condition-" + label(index)
            }
            names[index.index] = taken.claim(base)
        }
        self.groups = GroupNames(names: names)
        var loopItems: [GroupID: String] = [:]
        for index in groups.ids {
            guard case .loop(let loop) = groups[index].kind else { continue }
            switch loop.items {
            case .list: loopItems[index] = "pipelinechannel--loop-item-param-" + names[index.index].dropFirst("for-loop-".count)
            case .channel(let channel): loopItems[index] = "pipelinechannel--\(channel.fullName)-loop-item"
            }
        }
        self.loopItems = loopItems
        var oneOfs: [Channel.Source: String] = [:]
        for wrapper in groups.ids {
            guard case .branches(let outputs) = groups[wrapper].kind else { continue }
            for (number, output) in outputs.enumerated() {
                oneOfs[.oneOf(group: wrapper, output: output.name)] = "pipelinechannel--\(self.groups[wrapper])-oneof-\(number + 1)"
            }
        }
        self.oneOfs = oneOfs
    }

    /// The input that carries `channel` into a task or group: `pipelinechannel--NAME`.
    func input(for channel: Channel) -> String {
        if case .loopItem(let group) = channel.source, let name = loopItems[group] { return name }
        if let name = oneOfs[channel.source] { return name }
        return "pipelinechannel--" + channel.fullName
    }

    /// The placeholder of the input that carries `channel`, for a value read when the task runs.
    func placeholder(for channel: Channel) -> String {
        "{{$.inputs.parameters['\(input(for: channel))']}}"
    }

    /// The input of loop `group` that its iterator fills with the item.
    func itemInput(ofLoop group: GroupID) -> String? {
        loopItems[group]
    }
}
