import Diagnostics
import PipelineConfig
import Testing
import YAML

let file = "p.yaml"

func at(_ line: Int, _ column: Int) -> Diagnostics.SourceLocation {
    Diagnostics.SourceLocation(file: file, line: line, column: column)
}

/// Reads a YAML text that must be well-formed.
func readYAML(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Node {
    let engine = DiagnosticEngine()
    let node = YAMLReader().read(Array(text.utf8), file: file, diagnostics: engine)
    #expect(engine.diagnostics.isEmpty, "\(engine.diagnostics)", sourceLocation: sourceLocation)
    return try #require(node, sourceLocation: sourceLocation)
}

/// The scalar written after `key: ` on the first line of a document, and where it starts.
func scalar(
    _ written: String, key: String = "value", sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> (Scalar, Diagnostics.SourceLocation) {
    let node = try #require(readYAML("\(key): \(written)\n", sourceLocation: sourceLocation)[key], sourceLocation: sourceLocation)
    return (try #require(node.scalar, sourceLocation: sourceLocation), node.location)
}

/// The 1-based column of the first `needle` in `line`.
func column(of needle: String, in line: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Int {
    let range = try #require(line.firstRange(of: needle), sourceLocation: sourceLocation)
    return line.distance(from: line.startIndex, to: range.lowerBound) + 1
}

extension DiagnosticEngine {
    var rendered: [String] { sorted.map(\.description) }
}
