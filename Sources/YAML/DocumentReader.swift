import Diagnostics

/// Reads a file by its name: JSON when the name ends in `.json`, YAML otherwise (pipespec's
/// own files, and kfp's YAML output).
public enum DocumentReader {
    /// `keepsLastOfDuplicateKeys` applies to JSON (see `JSONReader`).
    public static func read(
        _ bytes: [UInt8], file: String, diagnostics: DiagnosticEngine, keepsLastOfDuplicateKeys: Bool = false
    ) -> Node? {
        file.hasSuffix(".json")
            ? JSONReader(keepsLastOfDuplicateKeys: keepsLastOfDuplicateKeys).read(bytes, file: file, diagnostics: diagnostics)
            : YAMLReader().read(bytes, file: file, diagnostics: diagnostics)
    }
}
