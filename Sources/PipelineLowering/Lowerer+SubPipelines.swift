import Diagnostics
import PipelineConfig
import PipelineIR

// Pipeline files used as components: lowered on their own, their params the component's
// inputs and their outputs its outputs.
extension Lowerer {
    /// How deeply pipelines may use pipelines; a deeper chain is a cycle in all likelihood
    /// (through links or spellings of one path).
    static let maximumNesting = 32

    func subPipeline(_ component: ComponentConfig, path: Located<String>) -> ComponentDefinition? {
        let file = SourcePaths.resolve(path.value, relativeTo: config.file)
        let chain = usedBy + [config.file]
        if chain.contains(file) || chain.count >= Self.maximumNesting {
            let cycle = (chain.drop { $0 != file } + [file]).joined(separator: " → ")
            diagnostics.error(.subPipelineCycle,
                chain.contains(file) ? "component '\(component.name.value)' makes a cycle of pipelines: \(cycle)" : "pipelines nest more than \(Self.maximumNesting) deep here",
                at: path.location)
            return nil
        }
        let bytes: [UInt8]
        do {
            bytes = try readFile(file)
        } catch {
            diagnostics.error(.subPipelineUnreadable, "\(error)", at: path.location)
            return nil
        }
        guard let config = decodePipeline(bytes, file),
              let pipeline = Lowerer(config: config, readFile: readFile, decodePipeline: decodePipeline,
                                     diagnostics: diagnostics, excluded: ExcludedEntries(), usedBy: chain).lower()
        else {
            diagnostics.error(.subPipelineInvalid, "component '\(component.name.value)' is the pipeline in '\(file)', which has errors", at: path.location)
            return nil
        }
        return ComponentDefinition(
            name: component.name.value, reference: component.name.value,
            inputs: pipeline.params,
            outputs: pipeline.outputs.map { IOSpec(name: $0.name, type: $0.channel.type, defaultValue: nil, isOptional: false, description: nil) },
            executor: .pipeline(pipeline))
    }
}

extension DiagnosticID {
    static let subPipelineCycle = DiagnosticID("sub-pipeline-cycle")
    static let subPipelineUnreadable = DiagnosticID("sub-pipeline-unreadable")
    static let subPipelineInvalid = DiagnosticID("sub-pipeline-invalid")
}
