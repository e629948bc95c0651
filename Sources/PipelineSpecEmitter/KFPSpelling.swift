import JSON
import PipelineConfig
import PipelineIR

// How KFP spells what the IR holds by meaning: channel inputs, run-time placeholders,
// interpolated strings, and the names of condition groups.

extension Channel {
    /// KFP's name for the channel: the param's name, or `TASK-OUTPUT`.
    var fullName: String {
        switch source {
        case .param(let name): return name
        case .taskOutput(let task, let output): return "\(task)-\(output)"
        }
    }

    /// The input KFP adds to carry the channel into a task or group.
    var pipelineChannelName: String { "pipelinechannel--" + fullName }
}

extension RuntimeValue {
    /// The PipelineSpec placeholder the backend substitutes.
    var placeholder: String {
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
    var json: JSONValue {
        switch self {
        case .constant(let value):
            return value
        case .string(let parts):
            return .string(parts.map { part in
                switch part {
                case .text(let text): return text
                case .channel(let channel): return "{{$.inputs.parameters['\(channel.pipelineChannelName)']}}"
                case .runtime(let value): return value.placeholder
                }
            }.joined())
        case .list(let items):
            return .array(items.map(\.json))
        case .map(let entries):
            return .object(JSONObject(entries.map { ($0.key, $0.value.json) }))
        }
    }
}

enum GroupNames {
    /// KFP's name for each group: `root`, then `condition-N` and `condition-branches-N`
    /// numbered in the order the groups were made, except that an if/elif/else wrapper and
    /// its first branch trade numbers, as the KFP SDK numbers them (the wrapper reads as
    /// coming first).
    static func kfp(_ groups: [GroupIR]) -> [String] {
        var names = groups.indices.map { index -> String in
            if index == 0 { return "root" }
            if case .branches = groups[index].kind { return "condition-branches-\(index)" }
            return "condition-\(index)"
        }
        for (wrapper, group) in groups.enumerated() {
            guard case .branches = group.kind, case .group(let first)? = group.members.first else { continue }
            (names[wrapper], names[first]) = ("condition-branches-\(first)", "condition-\(wrapper)")
        }
        return names
    }
}
