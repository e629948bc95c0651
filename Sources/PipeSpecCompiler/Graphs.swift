import PipelineGraph

/// How `pipespec graph` draws a pipeline.
public enum GraphFormat: String, CaseIterable, Sendable {
    case mermaid, dot
}

extension CompiledPipeline {
    /// The task DAG, groups as clusters, drawn in `format`.
    public func graph(_ format: GraphFormat) -> String {
        let graph = TaskGraph(ir)
        switch format {
        case .mermaid: return MermaidRenderer.render(graph)
        case .dot: return DOTRenderer.render(graph)
        }
    }
}
