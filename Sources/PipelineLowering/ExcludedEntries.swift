import Diagnostics
import PipelineIR

/// Entries left out of a pipeline because the schema check rejected them, so that lowering
/// can check the rest: names that exist, whose mistakes are already reported, and that
/// references may name without a further error.
package struct ExcludedEntries: Sendable {
    /// Task names, with where each is written (a task of the same name is still a duplicate).
    package var tasks: [String: SourceLocation] = [:]
    package var components: Set<String> = []
    package var params: Set<String> = []

    package init() {}

    package var isEmpty: Bool { tasks.isEmpty && components.isEmpty && params.isEmpty }
}
