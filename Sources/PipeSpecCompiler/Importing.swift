import Diagnostics
import JSON
import PipelineImport
import YAML

/// A pipeline file made from a compiled spec, and the files beside it.
public struct ImportedFiles: Sendable {
    /// The pipeline file first, then its components' files, by path relative to the output
    /// directory.
    public let files: [(path: String, contents: String)]
    public let warnings: [String]
}

extension Compiler {
    /// The pipespec pipeline a compiled PipelineSpec or PipelineJob body (JSON, or YAML) at
    /// `path` becomes; `nil` after reporting why there is none.
    public func importSpec(path: String, diagnostics: DiagnosticEngine) -> ImportedFiles? {
        let bytes: [UInt8]
        switch FileSystem.read(path) {
        case .success(let contents): bytes = contents
        case .failure(let failure):
            diagnostics.error(.inputUnreadable, failure.description, at: nil)
            return nil
        }
        let file = path == "-" ? FileSystem.standardInputName : path
        let document = path.hasSuffix(".json")
            ? JSONReader(keepsLastOfDuplicateKeys: true).read(bytes, file: file, diagnostics: diagnostics)
            : YAMLReader().read(bytes, file: file, diagnostics: diagnostics)
        guard let json = document?.json else { return nil }
        switch SpecImporter.importSpec(json) {
        case .success(let imported): return ImportedFiles(files: imported.files, warnings: imported.warnings)
        case .failure(let error):
            diagnostics.error(.importUnsupported, "cannot import '\(path)': \(error.description)", at: nil)
            return nil
        }
    }
}

extension DiagnosticID {
    public static let importUnsupported = DiagnosticID("import-unsupported")
}
