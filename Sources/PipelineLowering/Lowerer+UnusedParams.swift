import Diagnostics
import PipelineConfig
import PipelineIR

// The warning for params nothing reads.
extension Lowerer {
    /// Params no argument, default or condition mentions; found from the file's text, so
    /// a reference in an argument that failed to bind still counts as a use.
    func warnAboutUnusedParams() {
        var mentioned = Set<String>()
        func collect(_ references: [(reference: Reference, location: SourceLocation)]) {
            for case (.param(let name), _) in references { mentioned.insert(name) }
        }
        func collect(_ condition: Condition) {
            for comparison in condition.comparisons {
                for case .reference(let reference, let location) in [comparison.left, comparison.right] { collect([(reference, location)]) }
            }
        }
        func collect(_ resources: ResourcesConfig) {
            for value in [resources.cpuLimit, resources.cpuRequest, resources.memoryLimit, resources.memoryRequest,
                          resources.acceleratorType, resources.acceleratorCount] {
                collect(value?.references ?? [])
            }
        }
        func collect(_ entries: [TaskEntry]) {
            for entry in entries {
                switch entry {
                case .task(let task):
                    task.arguments.forEach { collect($0.value.references) }
                    task.when.forEach(collect)
                    task.resources.map(collect)
                case .conditionGroup(let group):
                    for branch in group.branches {
                        collect(branch.condition)
                        collect(branch.tasks)
                    }
                    collect(group.elseTasks ?? [])
                case .loop(let loop):
                    collect(loop.items.references)
                    collect(loop.tasks)
                case .exitHandler(let handler):
                    collect(handler.tasks)
                    collect([.task(handler.exitTask)])
                }
            }
        }
        collect(config.tasks)
        config.defaults.arguments.forEach { $0.arguments.forEach { collect($0.value.references) } }
        config.defaults.resources.map(collect)
        for param in config.params where !mentioned.contains(param.name.value) {
            diagnostics.warning(.unusedParam, "param '\(param.name.value)' is never used", at: param.name.location)
        }
    }
}

extension DiagnosticID {
    static let unusedParam = DiagnosticID("unused-param")
}
