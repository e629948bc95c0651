import PipelineConfig
import PipelineIR

extension TaskGraph {
    /// The graph of a lowered pipeline, sub-pipelines drawn inside the tasks that run them.
    package init(_ ir: PipelineIR) {
        var builder = Builder()
        let contents = builder.contents(of: .root, in: Builder.Place(ir, scope: ""))
        self.init(name: ir.name, nodes: contents.nodes, clusters: contents.clusters, edges: builder.edges)
    }
}

/// Walks one pipeline's groups, and the pipelines its tasks run, collecting edges on the way.
private struct Builder {
    /// One pipeline being drawn: the top one, or one a task runs (`scope` names the tasks
    /// on the way down).
    struct Place {
        let ir: PipelineIR
        let scope: String
        let tasks: [String: TaskID]

        init(_ ir: PipelineIR, scope: String) {
            self.ir = ir
            self.scope = scope
            tasks = Dictionary(ir.tasks.ids.map { (ir.tasks[$0].name, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private(set) var edges: [TaskGraph.Edge] = []
    private var edgeIndex: [String: Int] = [:]
    var identifiers = GraphIdentifiers()

    mutating func contents(of group: GroupID, in place: Place) -> (nodes: [TaskGraph.Node], clusters: [TaskGraph.Cluster]) {
        let ir = place.ir
        var nodes: [TaskGraph.Node] = [], clusters: [TaskGraph.Cluster] = []
        for member in ir.groups[group].members {
            switch member {
            case .task(let task):
                let value = ir.tasks[task]
                addEdges(into: value, in: place)
                let component = ir.components[value.component]
                let id = endpoint(value.name, in: place)
                let label = value.displayName ?? value.name
                let innerScope = place.scope + value.name + "/"
                if case .compiledPipeline(let compiled) = component.executor {
                    var inner: [TaskGraph.Edge] = []
                    clusters.append(TaskGraph.Cluster.compiled(
                        compiled, id: id, label: "\(label): pipeline \(component.name)", scope: innerScope,
                        identifiers: &identifiers, edges: &inner))
                    inner.forEach { add($0) }
                } else if case .pipeline(let inner) = component.executor {
                    let contents = contents(of: .root, in: Place(inner, scope: innerScope))
                    clusters.append(TaskGraph.Cluster(
                        id: id, kind: .pipeline, label: "\(label): pipeline \(component.name)",
                        nodes: contents.nodes, clusters: contents.clusters))
                } else {
                    nodes.append(TaskGraph.Node(id: id, label: label, detail: component.reference == label ? nil : component.reference))
                }
            case .group(let child):
                let id = groupID(child, in: place)
                for channel in Self.channels(of: ir.groups[child]) { addDataEdge(from: channel, to: id, in: place) }
                let contents = contents(of: child, in: place)
                clusters.append(TaskGraph.Cluster(
                    id: id, kind: Self.kind(ir.groups[child].kind),
                    label: Self.label(child, in: ir), nodes: contents.nodes, clusters: contents.clusters))
            }
        }
        return (nodes, clusters)
    }

    // MARK: Edges

    private mutating func addEdges(into task: TaskIR, in place: Place) {
        let id = endpoint(task.name, in: place)
        for channel in task.channels { addDataEdge(from: channel, to: id, in: place) }
        for name in task.after where place.tasks[name] != nil {
            add(TaskGraph.Edge(from: endpoint(name, in: place), to: id, kind: .after, label: nil))
        }
        if let guarded = task.exitTaskOf {
            add(TaskGraph.Edge(from: groupID(guarded, in: place), to: id, kind: .exit, label: nil))
        }
    }

    private mutating func addDataEdge(from channel: Channel, to consumer: String, in place: Place) {
        switch channel.source {
        case .taskOutput(let task, let output), .collected(let task, let output, _):
            add(TaskGraph.Edge(from: endpoint(task, in: place), to: consumer, kind: .data, label: output))
        case .oneOf(let group, let output):
            guard case .branches(let outputs) = place.ir.groups[group].kind, let oneOf = outputs.first(where: { $0.name == output }) else { return }
            for branch in oneOf.branches { addDataEdge(from: branch, to: consumer, in: place) }
        case .param, .loopItem:
            return
        }
    }

    /// One edge for each pair and kind, its labels joined.
    mutating func add(_ edge: TaskGraph.Edge) {
        let key = "\(edge.from)\u{0}\(edge.to)\u{0}\(edge.kind.rawValue)"
        guard let index = edgeIndex[key] else {
            edgeIndex[key] = edges.count
            edges.append(edge)
            return
        }
        if let label = edge.label, !(edges[index].label?.split(separator: ",").map { $0.trimmingSpaces } ?? []).contains(label) {
            edges[index].label = edges[index].label.map { "\($0), \(label)" } ?? label
        }
    }

    // MARK: Names

    /// The node of a task, or the cluster of a task that runs a pipeline.
    private mutating func endpoint(_ task: String, in place: Place) -> String {
        let runsPipeline = place.tasks[task].map { task -> Bool in
            switch place.ir.components[place.ir.tasks[task].component].executor {
            case .pipeline, .compiledPipeline: return true
            default: return false
            }
        } ?? false
        return identifiers.id(runsPipeline ? "p" : "t", scope: place.scope, name: task)
    }

    private mutating func groupID(_ group: GroupID, in place: Place) -> String {
        identifiers.id("g", scope: place.scope, name: "\(group.index)")
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
