import Diagnostics
import PipelineConfig
import PipelineIR

/// A task that must finish first (read from, named in `after`, or tested by a condition),
/// and where the file says so.
struct Dependency {
    var upstream: TaskID
    var location: SourceLocation
    /// The group whose output carries the value when it is not the task's own: a loop
    /// collecting it, or an if/elif/else giving one of its branches' values.
    var via: GroupID? = nil
    /// Whether a value flows (a read), or only the order (`after`).
    var carriesData = true
}

/// Checks the dependency graph: no task may depend on a task that runs only inside a
/// condition it is not in itself, or read a task that runs once per item of a loop it is not
/// in (the KFP SDK rejects both), a condition may not read a task inside its own group, an
/// exit task depends on nothing but the group it guards, and there are no cycles.
struct DependencyChecker {
    let tasks: [TaskIR]
    let groups: [GroupIR]
    /// For each task, what it reads and what it runs after.
    let taskDependencies: [TaskID: [Dependency]]
    /// For each condition group, the tasks its condition reads.
    let conditionDependencies: [GroupID: [Dependency]]
    let diagnostics: DiagnosticEngine

    func check() {
        for index in tasks.ids {
            let edges = taskDependencies[index] ?? []
            if tasks[index].exitTaskOf != nil, let edge = edges.first {
                diagnostics.error(.exitTaskDependency,
                    "exit task '\(tasks[index].name)' runs once the tasks it guards have finished, however they ended; it cannot also wait for or read '\(tasks[edge.upstream].name)'",
                    at: edge.location)
                continue
            }
            for edge in edges {
                checkScope(of: edge, downstreamGroups: ancestors(ofTask: index), subject: "task '\(tasks[index].name)'")
            }
        }
        for group in conditionDependencies.keys.sorted() {
            for edge in conditionDependencies[group]! {
                let upstreamGroups = ancestors(ofTask: edge.upstream)
                guard !upstreamGroups.contains(group) else {
                    diagnostics.error(.conditionReadsInnerTask, "the condition of \(describe(group)) reads task '\(tasks[edge.upstream].name)', which runs inside that group", at: edge.location)
                    continue
                }
                checkScope(of: edge, downstreamGroups: ancestors(ofGroup: group), subject: "the condition of \(describe(group))")
            }
        }
        checkCycles()
    }

    /// Groups enclosing task `index`, outermost first, root excluded.
    func ancestors(ofTask index: TaskID) -> [GroupID] {
        ancestors(ofGroup: tasks[index].group)
    }

    func ancestors(ofGroup group: GroupID) -> [GroupID] {
        groups.chain(to: group)
    }

    /// A dependency may not reach into a group that the dependent (a task, or a condition)
    /// is not inside: the upstream task might not run at all.
    private func checkScope(of edge: Dependency, downstreamGroups: [GroupID], subject: String) {
        // What reads a group's output waits for the group, which runs where it is.
        let upstreamGroups = edge.via.map { Array(ancestors(ofGroup: $0).dropLast()) } ?? ancestors(ofTask: edge.upstream)
        let common = zip(upstreamGroups, downstreamGroups).prefix { $0 == $1 }.count
        guard common < upstreamGroups.count else { return }
        // Waiting for a loop's task (`after`) waits for the whole loop.
        if case .loop = groups[upstreamGroups[common]].kind, !edge.carriesData { return }
        if let loop = upstreamGroups[common...].first(where: { if case .loop = groups[$0].kind { true } else { false } }) {
            diagnostics.error(.loopTaskOutsideLoop,
                "\(subject) depends on '\(tasks[edge.upstream].name)', which runs once for each item of loop '\(groups[loop].displayName ?? "")', and \(subject) is not in that loop; read every iteration's value as a list with ${tasks.\(tasks[edge.upstream].name).outputs.NAME.collected}",
                at: edge.location)
            return
        }
        diagnostics.error(.mayNotRun,
            "\(subject) depends on '\(tasks[edge.upstream].name)', which may not run: it is inside \(describe(upstreamGroups[common])) and \(subject) is not",
            at: edge.location)
    }

    /// A group as the file writes it: "group 'gate'", "elif branch 1 of group 'gate'",
    /// "the else branch of group 'gate'", "the 'when' of task 'train'".
    private func describe(_ group: GroupID) -> String {
        let value = groups[group]
        if let parent = value.parent, case .branches = groups[parent].kind,
           let position = groups[parent].members.firstIndex(where: { if case .group(group) = $0 { return true } else { return false } }),
           position > 0, case .group(let first) = groups[parent].members[0], let name = groups[first].displayName {
            if case .condition(let terms) = value.kind, terms.allSatisfy(\.isNegated) { return "the else branch of group '\(name)'" }
            return "elif branch \(position) of group '\(name)'"
        }
        if let name = value.displayName { return "group '\(name)'" }
        if case .branches = value.kind, case .group(let first)? = value.members.first, let name = groups[first].displayName {
            return "group '\(name)'"
        }
        // A task's `when` conditions nest, one group each, around the task.
        var member = value.members.first
        while case .group(let inner)? = member { member = groups[inner].members.first }
        if case .task(let task)? = member {
            return "the 'when' of task '\(tasks[task].name)'"
        }
        return "a condition group"
    }

    private func checkCycles() {
        enum State { case unvisited, active, done }
        var state = [TaskID: State]()
        let edges = upstreamEdges()
        for start in tasks.ids where state[start, default: .unvisited] == .unvisited {
            // Iterative depth-first search; `path` holds the active chain of tasks.
            var path: [(task: TaskID, next: Int)] = [(start, 0)]
            state[start] = .active
            while let top = path.last {
                let outgoing = edges[top.task] ?? []
                if top.next == outgoing.count {
                    state[top.task] = .done
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let edge = outgoing[top.next]
                switch state[edge.upstream, default: .unvisited] {
                case .unvisited:
                    state[edge.upstream] = .active
                    path.append((edge.upstream, 0))
                case .active:
                    let cycleStart = path.firstIndex { $0.task == edge.upstream }!
                    let names = path[cycleStart...].map { tasks[$0.task].name } + [tasks[edge.upstream].name]
                    diagnostics.error(.dependencyCycle, "dependency cycle: \(names.joined(separator: " → "))", at: edge.location)
                case .done:
                    continue
                }
            }
        }
    }

    /// Edges for the cycle search: a condition's dependencies hold for every task inside it.
    /// A condition reading a task inside its own group is reported by `check` already.
    private func upstreamEdges() -> [TaskID: [Dependency]] {
        Dictionary(uniqueKeysWithValues: tasks.ids.map { index in
            (index, (taskDependencies[index] ?? []) + ancestors(ofTask: index).flatMap { group in
                (conditionDependencies[group] ?? []).filter { !ancestors(ofTask: $0.upstream).contains(group) }
            })
        })
    }
}

extension DiagnosticID {
    static let conditionReadsInnerTask = DiagnosticID("condition-reads-inner-task")
    static let loopTaskOutsideLoop = DiagnosticID("loop-task-outside-loop")
    static let mayNotRun = DiagnosticID("may-not-run")
    static let dependencyCycle = DiagnosticID("dependency-cycle")
    static let exitTaskDependency = DiagnosticID("exit-task-dependency")
}
