import Diagnostics
import EmbeddedResources

/// The explanation of every diagnostic ID, from `Sources/EmbeddedResources/diagnostics/`.
public enum DiagnosticCatalog {
    /// One explanation: the Markdown file, and what its first lines say.
    public struct Explanation: Sendable {
        public let id: DiagnosticID
        public let severity: Diagnostic.Severity
        /// The one-sentence summary.
        public let summary: String
        public let markdown: String
    }

    /// Every explanation, by ID name order.
    public static let all: [Explanation] = EmbeddedResources.explanations.keys.sorted().compactMap(explanation)

    /// The explanation of `name`; `nil` for an unknown ID or a file not in the expected
    /// form (`# ID`, a blank line, then `**error** · Summary.`).
    public static func explanation(_ name: String) -> Explanation? {
        guard let markdown = EmbeddedResources.explanations[name] else { return nil }
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 2, lines[0] == "# \(name)", lines[1].isEmpty else { return nil }
        for severity in [Diagnostic.Severity.error, .warning] {
            let prefix = "**\(severity.rawValue)** · "
            if lines[2].hasPrefix(prefix) {
                return Explanation(id: DiagnosticID(name), severity: severity, summary: String(lines[2].dropFirst(prefix.count)), markdown: markdown)
            }
        }
        return nil
    }

    /// The IDs of warnings, which `--silence` accepts.
    public static var warningIDs: [String] {
        all.filter { $0.severity == .warning }.map(\.id.name)
    }
}
