import PipeSpecCompiler

/// The outcome of one change during an apply.
public struct AppliedChange: Sendable {
    public var change: PlannedChange
    /// `nil` when it succeeded.
    public var failure: CloudError?
}

extension DeployEngine {
    /// The steps of an apply, in order. Templates go first, so no schedule ever sends a
    /// template that is not stored; deletions go last, schedules before their templates.
    /// A step starts only when every change of the steps before it succeeded.
    static let steps: [(kinds: Set<ResourceKind>, actions: Set<PlannedChange.Action>)] = [
        ([.templateObject], [.create, .update, .replace]),
        ([.schedulerJob, .vertexSchedule], [.create, .update, .replace]),
        ([.schedulerJob, .vertexSchedule], [.delete]),
        ([.templateObject], [.delete]),
    ]

    /// Makes exactly the changes of `plan`. With `requireFresh`, first reads the live state
    /// again and refuses the plan, changing nothing, when any resource it saw (or did not
    /// see) has changed since. `progress` hears of each change as it is done.
    public func apply(
        _ plan: Plan, requireFresh: Bool, progress: @escaping @Sendable (AppliedChange) -> Void
    ) throws(DeployFailure) -> [AppliedChange] {
        if requireFresh { try checkFresh(plan) }
        let handlers = self.handlers
        var applied: [AppliedChange] = []
        for step in Self.steps {
            let changes = plan.changes.filter { step.kinds.contains($0.kind) && step.actions.contains($0.action) }
            let outcomes = BoundedParallelism.map(changes, limit: parallelism) { change in
                var outcome = AppliedChange(change: change, failure: nil)
                do throws(CloudError) { try handlers[change.kind]!.apply(change) } catch { outcome.failure = error }
                progress(outcome)
                return outcome
            }
            applied += outcomes
            let failures = outcomes.filter { $0.failure != nil }
            if !failures.isEmpty {
                throw DeployFailure(failures.map { "\($0.change.address) (\($0.change.name)): \($0.failure!)" })
            }
        }
        return applied
    }

    /// The plan is stale when the live resources in its scopes are not those it recorded.
    func checkFresh(_ plan: Plan) throws(DeployFailure) {
        let current = try read(plan.scopes, environments: Set(plan.environments)).observations
        guard current != plan.observed else { return }
        let before = Set(plan.observed), after = Set(current)
        var messages = ["the plan is stale: live resources changed after it was made; run plan again"]
        for observation in before.subtracting(after).sorted() {
            let now = after.first { $0.kind == observation.kind && $0.name == observation.name }
            messages.append(now.map { "  \($0.name): version \(observation.version) when planned, now \($0.version)" } ?? "  \(observation.name): deleted since the plan")
        }
        for observation in after.subtracting(before).sorted() where !before.contains(where: { $0.kind == observation.kind && $0.name == observation.name }) {
            messages.append("  \(observation.name): created since the plan")
        }
        throw DeployFailure(messages)
    }
}
