import JSON
import PipelineIR

// A compiled pipeline file used as a component: its DAG as the file writes it.
extension TaskGraph.Cluster {
    /// The tasks of a compiled DAG, its DAG components as clusters inside; the edges between
    /// them (data where a task reads another's output, order for the rest of its
    /// `dependentTasks`) go into `edges`.
    static func compiled(
        _ spec: CompiledPipelineSpec, id: String, label: String, scope: String,
        identifiers: inout GraphIdentifiers, edges: inout [TaskGraph.Edge]
    ) -> TaskGraph.Cluster {
        let components = Dictionary(spec.components.members, uniquingKeysWith: { first, _ in first })
        let contents = dagContents(spec.root["dag"], components: components, scope: scope, identifiers: &identifiers, edges: &edges)
        return TaskGraph.Cluster(id: id, kind: .pipeline, label: label, nodes: contents.nodes, clusters: contents.clusters)
    }

    private static func dagContents(
        _ dag: JSONValue?, components: [String: JSONValue], scope: String, identifiers: inout GraphIdentifiers,
        edges: inout [TaskGraph.Edge]
    ) -> (nodes: [TaskGraph.Node], clusters: [TaskGraph.Cluster]) {
        let tasks = dag?["tasks"]?.objectValue?.members ?? []
        var nodes: [TaskGraph.Node] = [], clusters: [TaskGraph.Cluster] = []
        let inner = Dictionary(tasks.map { key, task -> (String, JSONValue?) in
            (key, task[path: "componentRef.name"]?.stringValue.flatMap { components[$0]?["dag"] })
        }, uniquingKeysWith: { first, _ in first })
        func id(_ key: String) -> String { identifiers.id(inner[key]! != nil ? "p" : "t", scope: scope, name: key) }
        for (key, task) in tasks {
            let name = task[path: "taskInfo.name"]?.stringValue ?? key
            if let dag = inner[key] ?? nil {
                let contents = dagContents(dag, components: components, scope: scope + key + "/", identifiers: &identifiers, edges: &edges)
                let kind: TaskGraph.Cluster.Kind = task[path: "triggerPolicy.condition"] != nil ? .condition
                    : task["parameterIterator"] != nil || task["artifactIterator"] != nil ? .loop : .pipeline
                clusters.append(TaskGraph.Cluster(id: id(key), kind: kind, label: name, nodes: contents.nodes, clusters: contents.clusters))
            } else {
                nodes.append(TaskGraph.Node(id: id(key), label: name, detail: nil))
            }
            var readFrom: Set<String> = []
            for section in ["parameters", "artifacts"] {
                for (_, source) in task[path: "inputs.\(section)"]?.objectValue?.members ?? [] {
                    for (kind, outputKey) in [("taskOutputParameter", "outputParameterKey"), ("taskOutputArtifact", "outputArtifactKey")] {
                        guard let producer = source[kind]?["producerTask"]?.stringValue, inner[producer] != nil else { continue }
                        readFrom.insert(producer)
                        edges.append(TaskGraph.Edge(from: id(producer), to: id(key), kind: .data, label: source[kind]?[outputKey]?.stringValue))
                    }
                }
            }
            if case .array(let dependencies)? = task["dependentTasks"] {
                for case .string(let upstream) in dependencies where !readFrom.contains(upstream) && inner[upstream] != nil {
                    edges.append(TaskGraph.Edge(from: id(upstream), to: id(key), kind: .after, label: nil))
                }
            }
        }
        return (nodes, clusters)
    }
}
