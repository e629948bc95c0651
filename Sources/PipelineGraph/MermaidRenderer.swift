/// A Mermaid flowchart, as GitHub renders in pull requests and READMEs: clusters as
/// subgraphs, data edges solid and labelled with the outputs passed, `after` edges dotted,
/// exit edges thick from the guarded group.
package enum MermaidRenderer {
    package static func render(_ graph: TaskGraph) -> String {
        var lines = ["flowchart TD"] + graph.outline(
            node: { node in
                let label = node.detail.map { "\(escaped(node.label))<br/>\(escaped($0))" } ?? escaped(node.label)
                return "\(node.id)[\"\(label)\"]"
            },
            open: { ["subgraph \($0.id)[\"\(escaped($0.label))\"]"] },
            close: { _ in "end" })
        for edge in graph.edges {
            switch edge.kind {
            case .data:
                let label = edge.label.map { "|\"\(escaped($0))\"|" } ?? ""
                lines.append("  \(edge.from) -->\(label) \(edge.to)")
            case .after:
                lines.append("  \(edge.from) -.->|after| \(edge.to)")
            case .exit:
                lines.append("  \(edge.from) ==>|on exit| \(edge.to)")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Text safe inside a quoted Mermaid label: quotes, angle brackets, `#` and `&` as entities.
    private static func escaped(_ text: String) -> String {
        TaskGraph.escaping(text, ["\"": "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "&": "#38;", "\n": " ", "\r": " "])
    }
}
