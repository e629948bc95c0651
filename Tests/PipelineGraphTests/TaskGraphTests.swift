import Diagnostics
import PipeSpecCompiler
@testable import PipelineGraph
import Testing

/// The graph model built from the IR: what becomes a node, a cluster and an edge.
@Suite struct TaskGraphTests {
    static let pipeline = """
        name: shapes
        params:
          regions: {type: list, default: [eu, us]}
        components:
          make:
            container: {image: "alpine", command: [make, "${outputs.n}"]}
            outputs: {n: int}
          use:
            container: {image: "alpine", command: [use, "${inputs.x}"]}
            inputs: {x: {type: int, default: 0}}
        tasks:
          make: {uses: make}
          gate:
            if: ${tasks.make.outputs.n} > 3
            then:
              big: {uses: use, with: {x: "${tasks.make.outputs.n}"}}
            else:
              small: {uses: use, after: make}
          per-region:
            for_each: ${params.regions}
            do:
              each: {uses: use}
          guarded:
            on_exit: {cleanup: {uses: use}}
            do:
              work: {uses: use, with: {x: "${tasks.make.outputs.n}"}}
        """

    private static func graph() throws -> TaskGraph {
        let diagnostics = DiagnosticEngine()
        guard case .compiled(let compiled) = Compiler().compile(Array(pipeline.utf8), file: "p.yaml", diagnostics: diagnostics) else {
            throw GraphTestFailure(description: "\(diagnostics.sorted.map(\.description))")
        }
        return TaskGraph(compiled.ir)
    }

    @Test func groupsBecomeClustersOfTheirKind() throws {
        let graph = try Self.graph()
        #expect(graph.nodes.map(\.id) == ["t_make", "t_cleanup"])
        let kinds = graph.clusters.map(\.kind)
        #expect(kinds == [.branches, .loop, .exitHandler])
        let branches = try #require(graph.clusters.first)
        #expect(branches.clusters.map(\.label) == ["gate: if ${tasks.make.outputs.n} > 3", "gate-else: else"])
        #expect(branches.clusters.map { $0.nodes.map(\.id) } == [["t_big"], ["t_small"]])
        #expect(graph.clusters[1].label == "per-region: for each in ${params.regions}")
    }

    @Test func edgesAreDataAfterAndExitAndOnePerPair() throws {
        let graph = try Self.graph()
        let edges = Set(graph.edges.map { "\($0.from)->\($0.to):\($0.kind.rawValue):\($0.label ?? "")" })
        let branches = try #require(graph.clusters.first?.clusters.map(\.id))
        let handler = try #require(graph.clusters.last?.id)
        #expect(branches.count == 2)
        #expect(edges == [
            // Both branches' conditions read it (the else, negated).
            "t_make->\(branches[0]):data:n", "t_make->\(branches[1]):data:n",
            "t_make->t_big:data:n",
            "t_make->t_small:after:",
            "t_make->t_work:data:n",
            "\(handler)->t_cleanup:exit:",
        ])
    }
}

struct GraphTestFailure: Error, CustomStringConvertible {
    let description: String
}

/// What each drawing writes for the same small graph.
@Suite struct RendererTests {
    static let graph = TaskGraph(
        name: "p \"q\"",
        nodes: [TaskGraph.Node(id: "t_a", label: "say \"hi\" <now>", detail: "echo")],
        clusters: [TaskGraph.Cluster(
            id: "g_1", kind: .condition, label: "gate: if ${params.n} > 1",
            nodes: [TaskGraph.Node(id: "t_b", label: "b", detail: nil)], clusters: [])],
        edges: [
            TaskGraph.Edge(from: "t_a", to: "t_b", kind: .data, label: "out"),
            TaskGraph.Edge(from: "t_a", to: "g_1", kind: .after, label: nil),
        ])

    @Test func mermaidEscapesLabelsAndNestsSubgraphs() {
        #expect(MermaidRenderer.render(Self.graph) == """
            flowchart TD
              t_a["say #quot;hi#quot; #lt;now#gt;<br/>echo"]
              subgraph g_1["gate: if ${params.n} #gt; 1"]
                t_b["b"]
              end
              t_a -->|"out"| t_b
              t_a -.->|after| g_1

            """)
    }

    @Test func dotQuotesLabelsAndClipsEdgesToClusters() {
        let dot = DOTRenderer.render(Self.graph)
        #expect(dot.hasPrefix("digraph \"p \\\"q\\\"\" {\n  compound=true;\n"))
        #expect(dot.contains("  t_a [label=\"say \\\"hi\\\" <now>\\necho\"];\n"))
        #expect(dot.contains("  subgraph cluster_g_1 {\n    label=\"gate: if ${params.n} > 1\";\n    style=dashed;\n    t_b [label=\"b\"];\n  }\n"))
        #expect(dot.contains("  t_a -> t_b [label=\"out\"];\n"))
        // An edge to a cluster attaches to a node inside it, clipped at the border.
        #expect(dot.contains("  t_a -> t_b [lhead=cluster_g_1, style=dashed];\n"))
        #expect(dot.hasSuffix("}\n"))
    }
}
