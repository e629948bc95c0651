import Diagnostics
import GitRevisions
import JSON
import PipelineLowering
import YAML

extension Compiler {
    /// The PipelineSpec a file stands for, whatever it holds: a compiled PipelineSpec or a
    /// Vertex AI PipelineJob body (JSON or YAML, from pipespec or kfp) as it is, a pipespec
    /// pipeline compiled. `REV:PATH`, when no such file exists, is the file as git revision
    /// REV has it, and a pipeline read so reads its components from REV too. `nil` after
    /// reporting why there is none.
    public func pipelineSpec(path: String, diagnostics: DiagnosticEngine) -> JSONValue? {
        var compiler = self
        var file = path == "-" ? FileSystem.standardInputName : path
        let bytes: [UInt8]
        switch FileSystem.read(path) {
        case .success(let contents):
            bytes = contents
        case .failure(let failure):
            guard let colon = path.firstIndex(of: ":"), path.first != "/", !FileSystem.exists(path) else {
                diagnostics.error(.inputUnreadable, failure.description, at: nil)
                return nil
            }
            let revision = String(path[..<colon]), inRevision = String(path[path.index(after: colon)...])
            // Git names files from the repository's top; the pipeline is compiled under that
            // name, so the files it refers to are read from the same revision.
            let prefix: String
            switch GitRevisions.currentPrefix() {
            case .success(let found): prefix = found
            case .failure(let failure):
                diagnostics.error(.inputUnreadable, "cannot read '\(path)': \(failure.description)", at: nil)
                return nil
            }
            let inRepository = SourcePaths.normalize(prefix + inRevision)
            switch GitRevisions.read(inRepository, at: revision) {
            case .success(let contents):
                bytes = contents
                file = inRepository
                compiler = Compiler { try GitRevisions.read(SourcePaths.normalize($0), at: revision).get() }
            case .failure(let failure):
                diagnostics.error(.inputUnreadable, "cannot read '\(path)': \(failure.description)", at: nil)
                return nil
            }
        }
        // Read quietly: a file that does not parse is compiled, to report why.
        let outcome: Outcome
        if let document = DocumentReader.read(bytes, file: file, diagnostics: DiagnosticEngine()) {
            let json = document.json
            if let spec = json["pipelineSpec"], spec["root"] != nil { return spec }
            if json["root"] != nil, json["pipelineInfo"] != nil { return json }
            // A pipeline is compiled from the tree just read when that was read as YAML, as
            // compiling reads it; a `.json` one is read again.
            outcome = file.hasSuffix(".json")
                ? compiler.compile(bytes, file: file, diagnostics: diagnostics)
                : compiler.compile(document, file: file, diagnostics: diagnostics)
        } else {
            outcome = compiler.compile(bytes, file: file, diagnostics: diagnostics)
        }
        guard case .compiled(let compiled) = outcome, diagnostics.errorCount == 0 else { return nil }
        return compiled.spec
    }
}
