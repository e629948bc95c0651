import PipelineConfig

/// A pipeline's task DAG as a picture shows it: tasks as nodes; conditions, if/elif/else
/// branches, loops, exit handlers and sub-pipelines as clusters; edges for data, for
/// `after` and for exit tasks. Knows nothing of how it is drawn.
package struct TaskGraph: Sendable {
    package struct Node: Sendable, Equatable {
        /// Unique in the graph: letters, digits and `_`.
        package var id: String
        package var label: String
        /// What the task runs: a component's name, a built-in, `importer`.
        package var detail: String?
    }

    package struct Cluster: Sendable {
        package enum Kind: String, Sendable {
            case condition, branches, loop, exitHandler = "exit handler", pipeline
        }

        package var id: String
        package var kind: Kind
        package var label: String
        package var nodes: [Node]
        package var clusters: [Cluster]

        /// A node inside, for drawings that attach an edge to a cluster through one.
        package var anchor: String? { nodes.first?.id ?? clusters.lazy.compactMap(\.anchor).first }
    }

    package struct Edge: Sendable, Equatable {
        package enum Kind: String, Sendable {
            /// A value passed: the consumer reads the producer's output.
            case data
            /// Order only (`after`).
            case after
            /// An exit task, run once the group it guards has finished.
            case exit
        }

        package var from: String
        package var to: String
        package var kind: Kind
        /// The outputs passed, for a data edge.
        package var label: String?
    }

    package var name: String
    package var nodes: [Node]
    package var clusters: [Cluster]
    package var edges: [Edge]


    /// The lines of the nodes and clusters in drawing order, each indented two spaces per
    /// level: `node`'s line for each node, `open`'s lines before a cluster's contents and
    /// `close`'s after.
    package func outline(
        node: (Node) -> String, open: (Cluster) -> [String], close: (Cluster) -> String
    ) -> [String] {
        var lines: [String] = []
        func add(_ nodes: [Node], _ clusters: [Cluster], indent: String) {
            lines += nodes.map { indent + node($0) }
            for cluster in clusters {
                lines += open(cluster).enumerated().map { (index, line) in indent + (index == 0 ? "" : "  ") + line }
                add(cluster.nodes, cluster.clusters, indent: indent + "  ")
                lines.append(indent + close(cluster))
            }
        }
        add(nodes, clusters, indent: "  ")
        return lines
    }

    /// `text` with each character found in `replacements` replaced, for a drawing's quoting.
    static func escaping(_ text: String, _ replacements: [Character: String]) -> String {
        text.reduce(into: "") { result, character in
            if let replacement = replacements[character] { result += replacement } else { result.append(character) }
        }
    }

    /// Each cluster's node to attach edges to, by the cluster's id.
    package var clusterAnchors: [String: String?] {
        var anchors: [String: String?] = [:]
        func collect(_ clusters: [Cluster]) {
            for cluster in clusters {
                anchors[cluster.id] = .some(cluster.anchor)
                collect(cluster.clusters)
            }
        }
        collect(clusters)
        return anchors
    }
}

/// Identifiers unique in one graph, from names: `t_train`, `t_us_evaluate_score`, `g_3`;
/// a name in a scope gets the same one each time, and names that would spell the same one
/// (`a-b` beside `a/b`) take `_2`, `_3`, …
struct GraphIdentifiers {
    private var assigned: [String: String] = [:]
    private var taken = UniqueNames(separator: "_")

    /// `kind` is the prefix: `t` a task, `p` a task running a pipeline, `g` a group.
    mutating func id(_ kind: String, scope: String, name: String) -> String {
        let key = "\(kind)\u{0}\(scope)\u{0}\(name)"
        if let id = assigned[key] { return id }
        let id = taken.claim(kind + "_" + String((scope + name).map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }))
        assigned[key] = id
        return id
    }
}
