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
    /// `root`, then `condition-N`, `condition-branches-N`, `for-loop-N` and `exit-handler-N`, numbered in the
    /// order the groups were made; a loop over a list written out first takes a number for
    /// its item (`loop-item-param-N`), and an if/elif/else wrapper and its first branch trade
    /// numbers (the wrapper reads as coming first), as the KFP SDK numbers them.
    let groups: GroupNames
    /// The input that carries each loop's item, by group.
    private let loopItems: [GroupID: String]
    /// The channel names of if/elif/else outputs: `condition-branches-N-oneof-M`, numbered
    /// in each group in the order written.
    private let oneOfs: [Channel.Source: String]

    init(_ groups: [GroupIR]) {
        var numbers = Array(repeating: 0, count: groups.count)
        var loopItems: [GroupID: String] = [:]
        var counter = 0
        for index in groups.ids.dropFirst() {
            if case .loop(let loop) = groups[index].kind {
                switch loop.items {
                case .list:
                    counter += 1
                    loopItems[index] = "pipelinechannel--loop-item-param-\(counter)"
                case .channel(let channel):
                    loopItems[index] = "pipelinechannel--\(channel.fullName)-loop-item"
                }
            }
            counter += 1
            numbers[index.index] = counter
        }
        var names = groups.ids.map { index -> String in
            switch groups[index].kind {
            case .root: return "root"
            case .branches: return "condition-branches-\(numbers[index.index])"
            case .loop: return "for-loop-\(numbers[index.index])"
            case .exitHandler: return "exit-handler-\(numbers[index.index])"
            case .condition: return "condition-\(numbers[index.index])"
            }
        }
        for (wrapper, group) in groups.enumerated() {
            guard case .branches = group.kind, case .group(let first)? = group.members.first else { continue }
            (names[wrapper], names[first.index]) = ("condition-branches-\(numbers[first.index])", "condition-\(numbers[wrapper])")
        }
        self.groups = GroupNames(names: names)
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
