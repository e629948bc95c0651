import Foundation
import PipeSpecCompiler
import Testing

/// Every diagnostic ID is declared once in the sources, explained once, with the severity it
/// is emitted with, and the explanation's pipeline example produces it.
@Suite struct DiagnosticCatalogTests {
    /// `static let name = DiagnosticID("id")` declarations in Sources/, by ID.
    static let declared: [String: [String]] = {
        var declared: [String: [String]] = [:]
        let pattern = /static let (\w+) = DiagnosticID\("([a-z0-9-]+)"\)/
        for file in swiftSources() {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            for match in text.matches(of: pattern) where match.output.2 != "summary" {
                declared[String(match.output.2), default: []].append(String(match.output.1))
            }
        }
        return declared
    }()

    static func swiftSources() -> [String] {
        let root = Repository.path("Sources")
        let enumerator = FileManager.default.enumerator(atPath: root)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".swift") }.map { root + "/" + $0 }
    }

    /// The IDs emitted as warnings: `.warning(.name, …)` anywhere in the sources.
    static let warningNames: Set<String> = {
        var names: Set<String> = []
        for file in swiftSources() {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            for match in text.matches(of: /\.warning\(\s*\.(\w+)/) { names.insert(String(match.output.1)) }
        }
        return names
    }()

    @Test func everyDeclaredIDIsExplainedAndEveryExplanationDeclared() {
        let explained = Set(DiagnosticCatalog.all.map(\.id.name))
        #expect(Self.declared.count >= 90)
        #expect(Set(Self.declared.keys).subtracting(explained).sorted() == [])
        #expect(explained.subtracting(Self.declared.keys).sorted() == [])
        #expect(Self.declared.filter { $0.value.count > 1 }.keys.sorted() == [], "declared more than once")
    }

    @Test func everyExplanationHasItsSectionsAndTheSeverityItIsEmittedWith() {
        for explanation in DiagnosticCatalog.all {
            let markdown = explanation.markdown
            #expect(markdown.contains("\n## Example\n") && markdown.contains("\n## Fix\n"), "\(explanation.id)")
            #expect(markdown.range(of: "\n## Example\n")!.lowerBound < markdown.range(of: "\n## Fix\n")!.lowerBound, "\(explanation.id)")
            #expect(explanation.summary.hasSuffix("."), "\(explanation.id)")
            let emittedAsWarning = Self.declared[explanation.id.name]?.contains(where: Self.warningNames.contains) ?? false
            #expect((explanation.severity == .warning) == emittedAsWarning, "\(explanation.id) is explained as a \(explanation.severity)")
        }
    }

    /// A ```yaml pipeline fence is a whole pipeline that must produce its diagnostic.
    static let pipelineExamples: [(id: String, source: String)] = DiagnosticCatalog.all.flatMap { explanation in
        explanation.markdown.matches(of: /```yaml pipeline\n((?s).*?)```/).map { (explanation.id.name, String($0.output.1)) }
    }

    @Test func enoughExplanationsHaveAPipelineExample() {
        #expect(Self.pipelineExamples.count >= 60)
    }

    @Test(arguments: pipelineExamples.map(\.id))
    func thePipelineExampleProducesItsDiagnostic(id: String) throws {
        for example in Self.pipelineExamples where example.id == id {
            let result = try PipeSpecBinary.run(["validate", "--color", "never", "-"], standardInput: example.source)
            #expect(!result.crashed)
            #expect(result.standardError.contains("[\(id)]\n"), "\(id): \(result.standardError)")
        }
    }

    @Test func theBadInputsExpectOnlyKnownIDs() throws {
        let known = Set(DiagnosticCatalog.all.map(\.id.name))
        for file in BadInputTests.files {
            let text = try String(contentsOfFile: Repository.path(file), encoding: .utf8)
            for match in text.matches(of: /^# expect(?:-line)?: .*: (?:error|warning): .* \[([a-z0-9-]+)\]$/.anchorsMatchLineEndings()) {
                #expect(known.contains(String(match.output.1)), "\(file): \(match.output.1)")
            }
        }
    }
}
