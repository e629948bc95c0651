import Diagnostics

/// What a `${...}` names. Which references are allowed where is decided by lowering:
/// `params` and `tasks` in task arguments and conditions, `inputs` and `outputs` in a
/// container component's command line, run-time values everywhere.
package enum Reference: Hashable, Sendable {
    case param(String)
    case taskOutput(task: String, output: String)
    /// Every value a task inside a loop produced for an output, as a list.
    case collectedOutput(task: String, output: String)
    case runtime(RuntimeValue)
    case componentInput(String, ArtifactField?)
    case componentOutput(String, ArtifactField?)
    case executorInput
    /// The item of the innermost loop around (`loop` nil) or of the loop of that name around,
    /// or one field of a mapping item.
    case loopItem(loop: String?, field: String?)

    /// The part of an artifact a container command line refers to.
    package enum ArtifactField: String, Sendable {
        case path, uri, metadata
    }

    /// How the reference is written, for messages.
    package var spelling: String {
        switch self {
        case .param(let name): return "params.\(name)"
        case .taskOutput(let task, let output): return "tasks.\(task).outputs.\(output)"
        case .collectedOutput(let task, let output): return "tasks.\(task).outputs.\(output).collected"
        case .runtime(let value): return value.rawValue
        case .componentInput(let name, let field): return "inputs.\(name)" + (field.map { ".\($0.rawValue)" } ?? "")
        case .componentOutput(let name, let field): return "outputs.\(name)" + (field.map { ".\($0.rawValue)" } ?? "")
        case .executorInput: return "executor_input"
        case .loopItem(let loop, let field): return (loop.map { "loops.\($0)." } ?? "") + "item" + (field.map { ".\($0)" } ?? "")
        }
    }
}

/// Values Vertex AI fills in when a run starts, written as `${pipeline.job_id}` and so on.
package enum RuntimeValue: String, CaseIterable, Sendable {
    case jobID = "pipeline.job_id"
    case jobName = "pipeline.job_name"
    case jobResourceName = "pipeline.job_resource_name"
    case root = "pipeline.root"
    case createTime = "pipeline.create_time"
    case scheduleTime = "pipeline.schedule_time"
    case project = "pipeline.project"
    case location = "pipeline.location"
    case serviceAccount = "pipeline.service_account"
    case taskName = "task.name"
    case taskID = "task.id"

    /// What the substituted value looks like, for static checks of names built from it.
    package var shape: ValueShape {
        switch self {
        case .jobID, .taskID: return ValueShape(length: 36, isLowercaseNameSafe: true)  // a UUID
        case .jobName: return ValueShape(length: nil, isLowercaseNameSafe: true)
        case .taskName: return ValueShape(length: nil, isLowercaseNameSafe: true)
        default: return ValueShape(length: nil, isLowercaseNameSafe: false)
        }
    }
}

/// What is known at compile time about a value substituted at run time.
package struct ValueShape: Sendable {
    /// The exact length, when it is fixed.
    package let length: Int?
    /// Whether it is made only of `[a-z0-9-]`, as resource IDs require.
    package let isLowercaseNameSafe: Bool
}
