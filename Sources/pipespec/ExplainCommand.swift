import ArgumentParser
import Diagnostics
import PipeSpecCompiler

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Describe a diagnostic: what it means, an example, and the fix.",
        discussion: "Each diagnostic ends with its ID in brackets, such as [unknown-task]. Without an ID, lists them all."
    )

    @Argument(help: "A diagnostic ID, such as unknown-task.")
    var id: String?

    func run() throws {
        guard let id else {
            let width = DiagnosticCatalog.all.map(\.id.name.count).max() ?? 0
            for explanation in DiagnosticCatalog.all {
                let padding = String(repeating: " ", count: width - explanation.id.name.count)
                print("\(explanation.id)\(padding)  \(explanation.severity == .warning ? "warning" : "error  ")  \(explanation.summary)")
            }
            return
        }
        guard let explanation = DiagnosticCatalog.explanation(id) else {
            let suggestion = Suggestions.didYouMean(id, in: DiagnosticCatalog.all.map(\.id.name))
            throw ValidationError("no diagnostic '\(id)'\(suggestion); pipespec explain lists them")
        }
        print(explanation.markdown, terminator: explanation.markdown.hasSuffix("\n") ? "" : "\n")
    }
}
