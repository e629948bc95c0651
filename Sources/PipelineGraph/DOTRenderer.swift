/// A Graphviz DOT digraph: clusters as `cluster_` subgraphs, data edges solid and labelled,
/// `after` edges dashed, exit edges bold from the guarded group. Edges to or from a cluster
/// attach to a node inside it, clipped at the cluster's border (`compound`).
package enum DOTRenderer {
    package static func render(_ graph: TaskGraph) -> String {
        var lines = [
            "digraph \(quoted(graph.name)) {",
            "  compound=true;",
            "  rankdir=TB;",
            "  node [shape=box, style=rounded, fontname=\"Helvetica\"];",
            "  edge [fontname=\"Helvetica\", fontsize=10];",
        ]
        lines += graph.outline(
            node: { node in "\(node.id) [label=\(quoted(node.detail.map { "\(node.label)\n\($0)" } ?? node.label))];" },
            open: { cluster in
                ["subgraph cluster_\(cluster.id) {", "label=\(quoted(cluster.label));", "style=\(cluster.kind == .pipeline ? "solid" : "dashed");"]
            },
            close: { _ in "}" })
        let anchors = graph.clusterAnchors
        for edge in graph.edges {
            var attributes: [String] = []
            let from = endpoint(edge.from, anchors: anchors, clip: "ltail", into: &attributes)
            let to = endpoint(edge.to, anchors: anchors, clip: "lhead", into: &attributes)
            switch edge.kind {
            case .data: if let label = edge.label { attributes.append("label=\(quoted(label))") }
            case .after: attributes.append("style=dashed")
            case .exit: attributes += ["style=bold", "label=\"on exit\""]
            }
            guard let from, let to else { continue }
            lines.append("  \(from) -> \(to)" + (attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]") + ";")
        }
        lines.append("}")
        return lines.map { $0 + "\n" }.joined()
    }

    /// The node an edge attaches to: the node itself, or one inside the cluster, clipped.
    private static func endpoint(_ id: String, anchors: [String: String?], clip: String, into attributes: inout [String]) -> String? {
        guard let anchor = anchors[id] else { return id }
        attributes.append("\(clip)=cluster_\(id)")
        return anchor
    }

    private static func quoted(_ text: String) -> String {
        "\"" + TaskGraph.escaping(text, ["\"": "\\\"", "\\": "\\\\", "\n": "\\n"]) + "\""
    }
}
