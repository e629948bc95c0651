import Diagnostics
import JSON
import PipelineImport
import YAML

extension Compiler {
    public enum ImportOutcome {
        /// Written into the directory, and it compiles.
        case imported
        /// The spec cannot be imported, or what was written does not compile.
        case invalidInput
        /// The spec could not be read, or the directory not written.
        case unwritable
    }

    /// Writes into `directory` the pipespec pipeline a compiled PipelineSpec or PipelineJob
    /// body (JSON or YAML) at `path` becomes, with its components' files, then compiles it.
    /// What could not be carried over, and why it could not be imported, go to `diagnostics`.
    public func importSpec(path: String, into directory: String, diagnostics: DiagnosticEngine) -> ImportOutcome {
        let bytes: [UInt8]
        switch FileSystem.read(path) {
        case .success(let contents): bytes = contents
        case .failure(let failure):
            diagnostics.error(.inputUnreadable, failure.description, at: nil)
            return .unwritable
        }
        let file = path == "-" ? FileSystem.standardInputName : path
        // kfp wrote some specs with a key twice; Python's json kept the last.
        guard let json = DocumentReader.read(bytes, file: file, diagnostics: diagnostics, keepsLastOfDuplicateKeys: true)?.json else {
            return .invalidInput
        }
        let imported: ImportedPipeline
        switch SpecImporter.importSpec(json) {
        case .success(let result): imported = result
        case .failure(let error):
            diagnostics.error(.importUnsupported, "cannot import '\(path)': \(error.description)", at: nil)
            return .invalidInput
        }
        for warning in imported.warnings { diagnostics.warning(.importIncomplete, warning, at: nil) }
        for (relative, contents) in imported.files {
            // Names come from the spec: nothing may land outside the directory.
            let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
            guard !relative.hasPrefix("/"), parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
                diagnostics.error(.importUnsupported, "cannot import '\(path)': it would write '\(relative)', outside \(directory)", at: nil)
                return .invalidInput
            }
            let target = directory + "/" + relative
            let written = FileSystem.createDirectories(String(target[..<target.lastIndex(of: "/")!]))
                .flatMap { FileSystem.writeAtomically(Array(contents.utf8), to: target) }
            if case .failure(let failure) = written {
                diagnostics.error(.outputUnwritable, failure.description, at: nil)
                return .unwritable
            }
        }
        // What was written must compile.
        guard let pipeline = imported.files.first,
              case .compiled = Compiler().compile(path: directory + "/" + pipeline.path, diagnostics: diagnostics)
        else { return .invalidInput }
        return .imported
    }
}

extension DiagnosticID {
    public static let importUnsupported = DiagnosticID("import-unsupported")
    static let importIncomplete = DiagnosticID("import-incomplete")
    public static let outputUnwritable = DiagnosticID("output-unwritable")
}
