import ArgumentParser
import Diagnostics
import PipeSpecCompiler

extension DiagnosticsFormatter.Format: CommandLineChoice {}
extension Reporter.ColorChoice: CommandLineChoice {}

/// The options every command takes for its diagnostics; `reporter` reports as they ask.
struct DiagnosticOptions: ParsableArguments {
    @Option(name: .customLong("diagnostics-format"), help: "text, json, github (workflow commands) or sarif (2.1.0).")
    var format: DiagnosticsFormatter.Format = .text

    @Option(help: "Colour text diagnostics: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: Reporter.ColorChoice = .auto

    // Optional rather than defaulted: ArgumentParser describes a default value at every
    // start, through costly runtime lookups for an Int.
    @Option(help: ArgumentHelp("Show at most this many errors (default 50; 0: all).", valueName: "n"))
    var errorLimit: Int?

    @Flag(help: "Treat warnings as errors.")
    var warningsAsErrors = false

    @Option(name: .customLong("silence"), help: ArgumentHelp("Do not report warnings of this kind (repeatable; pipespec explain lists the kinds).", valueName: "id"))
    var silencedWarnings: [String] = []

    var reporter: Reporter {
        Reporter(format: format, color: color, errorLimit: errorLimit, warningsAsErrors: warningsAsErrors, silencedWarnings: silencedWarnings)
    }

    func validate() throws {
        for name in silencedWarnings {
            guard let explanation = DiagnosticCatalog.explanation(name) else {
                throw ValidationError("--silence \(name): no diagnostic of that name\(Suggestions.didYouMean(name, in: DiagnosticCatalog.warningIDs))")
            }
            guard explanation.severity == .warning else {
                throw ValidationError("--silence \(name): only warnings can be silenced, and \(name) is an error")
            }
        }
    }
}
