import Diagnostics
import PipelineConfig
import PipelineIR

// Batch IDs across the tasks of one run.
extension GoogleCloudChecks {
    /// Two Dataproc batches of one run cannot share an ID: batch IDs written the same way
    /// must tell tasks apart, unless the tasks sit in different branches of an if/elif/else
    /// and so never both run. (`${task.id}` or `${task.name}` differ per task.)
    func checkBatchIDsDiffer() {
        var first: [String: (task: TaskID, location: SourceLocation)] = [:]
        for (task, template) in batchIDs() {
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

    /// The `batch_id` of each Dataproc task that has one, by task.
    private func batchIDs() -> [(task: TaskID, template: Template)] {
        tasks.ids.compactMap { index in
            guard BuiltinComponents.family(components[tasks[index].component].reference) == "dataproc",
                  case .string(let template)? = arguments[index]?.first(where: { $0.name.value == "batch_id" })?.value.content
            else { return nil }
            return (index, template)
        }
    }

    /// Whether two tasks are in different branches of one if/elif/else.
    private func inExclusiveBranches(_ first: TaskID, _ second: TaskID) -> Bool {
        let (a, b) = (groups.chain(to: tasks[first].group), groups.chain(to: tasks[second].group))
        let common = zip(a, b).prefix { $0 == $1 }.count
        guard common < a.count, common < b.count else { return false }
        let parent = common == 0 ? .root : a[common - 1]
        if case .branches = groups[parent].kind { return true }
        return false
    }
}

extension DiagnosticID {
    static let duplicateBatchId = DiagnosticID("duplicate-batch-id")
}
