/// What `pipespec import` writes: a pipeline file and the files its components need, by
/// path relative to the output directory, and what could not be carried over.
package struct ImportedPipeline: Sendable {
    package var files: [(path: String, contents: String)]
    /// Things the pipeline file does not say as the spec did (a literal run ID baked into an
    /// argument, a setting with no pipespec counterpart).
    package var warnings: [String]
}

/// Why a spec cannot be imported.
package struct ImportError: Error, CustomStringConvertible, Sendable {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}
