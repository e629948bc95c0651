import PipelineConfig
import PipelineIR

extension TaskGraph {
    /// The graph of a lowered pipeline, sub-pipelines drawn inside the tasks that run them.
    package init(_ ir: PipelineIR) {
        var builder = Builder()
        let contents = builder.contents(of: .root, in: ir, prefix: "")
        self.init(name: ir.name, nodes: contents.nodes, clusters: contents.clusters, edges: builder.edges)
    }
}

/// Walks one pipeline's groups, and the pipelines its tasks run, collecting edges on the way.
private struct Builder {
    var edges: [TaskGraph.Edge] = []

    mutating func contents(of group: GroupID, in ir: PipelineIR, prefix: String) -> (nodes: [TaskGraph.Node], clusters: [TaskGraph.Cluster]) {
        var nodes: [TaskGraph.Node] = [], clusters: [TaskGraph.Cluster] = []
        for member in ir.groups[group].members {
            switch member {
            case .task(let task):
                let value = ir.tasks[task]
                addEdges(into: value, in: ir, prefix: prefix)
                let component = ir.components[value.component]
                if case .compiledPipeline(let compiled) = component.executor {
                    clusters.append(TaskGraph.Cluster.compiled(
                        compiled, id: Self.endpoint(value.name, in: ir, prefix: prefix),
                        label: "\(value.displayName ?? value.name): pipeline \(component.name)",
                        prefix: prefix + TaskGraph.identifier(value.name) + "__", edges: &edges))
                } else if case .pipeline(let inner) = component.executor {
                    let innerPrefix = prefix + TaskGraph.identifier(value.name) + "__"
                    let contents = contents(of: .root, in: inner, prefix: innerPrefix)
                    clusters.append(TaskGraph.Cluster(
                        id: Self.endpoint(value.name, in: ir, prefix: prefix), kind: .pipeline,
                        label: "\(value.displayName ?? value.name): pipeline \(component.name)",
                        nodes: contents.nodes, clusters: contents.clusters))
                } else {
                    let label = value.displayName ?? value.name
                    nodes.append(TaskGraph.Node(
                        id: Self.endpoint(value.name, in: ir, prefix: prefix), label: label,
                        detail: component.reference == label ? nil : component.reference))
                }
            case .group(let child):
                for channel in Self.channels(of: ir.groups[child]) {
                    addDataEdge(from: channel, to: Self.groupID(child, prefix: prefix), in: ir, prefix: prefix)
                }
                let contents = contents(of: child, in: ir, prefix: prefix)
                clusters.append(TaskGraph.Cluster(
                    id: Self.groupID(child, prefix: prefix), kind: Self.kind(ir.groups[child].kind),
                    label: Self.label(child, in: ir), nodes: contents.nodes, clusters: contents.clusters))
            }
        }
        return (nodes, clusters)
    }

    // MARK: Edges

    private mutating func addEdges(into task: TaskIR, in ir: PipelineIR, prefix: String) {
        let id = Self.endpoint(task.name, in: ir, prefix: prefix)
        for channel in task.channels { addDataEdge(from: channel, to: id, in: ir, prefix: prefix) }
        for name in task.after where ir.tasks.contains(where: { $0.name == name }) {
            add(TaskGraph.Edge(from: Self.endpoint(name, in: ir, prefix: prefix), to: id, kind: .after, label: nil))
        }
        if let guarded = task.exitTaskOf {
            add(TaskGraph.Edge(from: Self.groupID(guarded, prefix: prefix), to: id, kind: .exit, label: nil))
        }
    }

    private mutating func addDataEdge(from channel: Channel, to consumer: String, in ir: PipelineIR, prefix: String) {
        switch channel.source {
        case .taskOutput(let task, let output), .collected(let task, let output, _):
            add(TaskGraph.Edge(from: Self.endpoint(task, in: ir, prefix: prefix), to: consumer, kind: .data, label: output))
        case .oneOf(let group, let output):
            guard case .branches(let outputs) = ir.groups[group].kind, let oneOf = outputs.first(where: { $0.name == output }) else { return }
            for branch in oneOf.branches { addDataEdge(from: branch, to: consumer, in: ir, prefix: prefix) }
        case .param, .loopItem:
            return
        }
    }

    /// One edge for each pair and kind, its labels joined.
    private mutating func add(_ edge: TaskGraph.Edge) {
        guard let index = edges.firstIndex(where: { $0.from == edge.from && $0.to == edge.to && $0.kind == edge.kind }) else {
            edges.append(edge)
            return
        }
        if let label = edge.label, !(edges[index].label?.split(separator: ",").map { $0.trimmingSpaces } ?? []).contains(label) {
            edges[index].label = edges[index].label.map { "\($0), \(label)" } ?? label
        }
    }

    // MARK: Names

    /// The node of a task, or the cluster of a task that runs a pipeline.
    static func endpoint(_ task: String, in ir: PipelineIR, prefix: String) -> String {
        let runsPipeline = ir.tasks.first { $0.name == task }.map { task -> Bool in
            switch ir.components[task.component].executor {
            case .pipeline, .compiledPipeline: return true
            default: return false
            }
        } ?? false
        return (runsPipeline ? "p_" : "t_") + prefix + TaskGraph.identifier(task)
    }

    static func groupID(_ group: GroupID, prefix: String) -> String {
        "g_\(prefix)\(group.index)"
    }

    private static func kind(_ kind: GroupIR.Kind) -> TaskGraph.Cluster.Kind {
        switch kind {
        case .root, .condition: return .condition
        case .branches: return .branches
        case .loop: return .loop
        case .exitHandler: return .exitHandler
        }
    }

    /// What a group reads before its tasks run: its condition's channels, its items.
    private static func channels(of group: GroupIR) -> [Channel] {
        switch group.kind {
        case .condition(let terms): return terms.flatMap(\.channels)
        case .loop(let loop):
            if case .channel(let items) = loop.items { return [items] }
            return []
        case .root, .branches, .exitHandler: return []
        }
    }

    // MARK: Labels

    private static func label(_ index: GroupID, in ir: PipelineIR) -> String {
        let group = ir.groups[index]
        let name = group.displayName.map { $0 + ": " } ?? ""
        switch group.kind {
        case .root:
            return ir.name
        case .condition(let terms):
            let held = terms.filter { !$0.isNegated }.map { ConditionText.render($0.expression) }
            let isLaterBranch = group.parent.map { parent in
                if case .branches = ir.groups[parent].kind { return ir.groups[parent].members.first.map { member in
                    if case .group(let first) = member { return first != index }
                    return false
                } ?? false }
                return false
            } ?? false
            if held.isEmpty { return name + "else" }
            return name + (isLaterBranch ? "elif " : "if ") + held.joined(separator: " and ")
        case .branches:
            return "if / elif / else"
        case .loop(let loop):
            switch loop.items {
            case .list(let items): return name + "for each of \(items.count) items"
            case .channel(let items): return name + "for each in " + ConditionText.reference(items)
            }
        case .exitHandler:
            return name + "exit handler"
        }
    }
}

private extension Substring {
    var trimmingSpaces: String { String(drop { $0 == " " }) }
}
