import Diagnostics
import JSON
import YAML

extension Compiler {
    /// The PipelineSpec a file stands for, whatever it holds: a compiled PipelineSpec or a
    /// Vertex AI PipelineJob body (JSON or YAML, from pipespec or kfp) as it is, a pipespec
    /// pipeline compiled. `nil` after reporting why there is none.
    public func pipelineSpec(path: String, diagnostics: DiagnosticEngine) -> JSONValue? {
        let bytes: [UInt8]
        switch FileSystem.read(path) {
        case .success(let contents): bytes = contents
        case .failure(let failure):
            diagnostics.error(.inputUnreadable, failure.description, at: nil)
            return nil
        }
        let file = path == "-" ? FileSystem.standardInputName : path
        // Parsed quietly: a pipeline file's own errors are reported by compiling it.
        let document = path.hasSuffix(".json")
            ? JSONReader().read(bytes, file: file, diagnostics: DiagnosticEngine())
            : YAMLReader().read(bytes, file: file, diagnostics: DiagnosticEngine())
        if let json = document?.json {
            if let spec = json["pipelineSpec"], spec["root"] != nil { return spec }
            if json["root"] != nil, json["pipelineInfo"] != nil { return json }
        }
        guard case .compiled(let compiled) = compile(bytes, file: file, diagnostics: diagnostics), diagnostics.errorCount == 0 else { return nil }
        return compiled.spec
    }
}
