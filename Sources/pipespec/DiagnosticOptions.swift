#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Diagnostics
import PipeSpecCompiler

extension DiagnosticsFormatter.Format: CommandLineChoice {}

/// How problems are reported: for people (text with source excerpts, in colour on a terminal)
/// or for machines (JSON, GitHub Actions annotations, SARIF), and how many.
struct DiagnosticOptions: ParsableArguments {
    enum ColorChoice: String, CommandLineChoice {
        case auto, always, never
    }

    @Option(name: .customLong("diagnostics-format"), help: "text, json, github (workflow commands) or sarif (2.1.0).")
    var format: DiagnosticsFormatter.Format = .text

    @Option(help: "Colour text diagnostics: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    // Optional rather than defaulted: ArgumentParser describes a default value at every
    // start, through costly runtime lookups for an Int.
    @Option(help: ArgumentHelp("Show at most this many errors (default 50; 0: all).", valueName: "n"))
    var errorLimit: Int?

    @Flag(help: "Treat warnings as errors.")
    var warningsAsErrors = false

    @Option(name: .customLong("silence"), help: ArgumentHelp("Do not report warnings of this kind (repeatable; pipespec explain lists the kinds).", valueName: "id"))
    var silencedWarnings: [String] = []

    /// The errors shown at most; `nil` for all.
    private var shownErrors: Int? {
        let limit = errorLimit ?? 50
        return limit > 0 ? limit : nil
    }

    /// A diagnostic engine that keeps no more errors than are shown.
    func engine() -> DiagnosticEngine {
        makeEngine()
    }

    /// Makes engines that keep no more errors than are shown, from any thread.
    var makeEngine: @Sendable () -> DiagnosticEngine {
        let limit = shownErrors
        let silenced = Set(silencedWarnings.map(DiagnosticID.init))
        return { DiagnosticEngine(errorLimit: limit, silencedWarnings: silenced) }
    }

    /// Whether the diagnostics fail the command: errors, or warnings under --warnings-as-errors.
    func fails(_ diagnostics: DiagnosticEngine) -> Bool {
        diagnostics.hasErrors || fails(diagnostics.diagnostics)
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

    /// Whether `diagnostics` fail the command: errors, or warnings under --warnings-as-errors.
    func fails(_ diagnostics: [Diagnostic]) -> Bool {
        diagnostics.contains { $0.severity == .error || (warningsAsErrors && $0.severity == .warning) }
    }

    /// Writes the diagnostics to standard error, in source order.
    func report(_ diagnostics: DiagnosticEngine) {
        report(diagnostics.sorted, omitted: diagnostics.omittedErrors)
    }

    /// Writes `diagnostics` to standard error as they are ordered, and a count of the errors
    /// not kept. A machine format always writes a document, empty when all is well.
    func report(_ diagnostics: [Diagnostic], omitted: Int) {
        var shown = diagnostics.map { diagnostic -> Diagnostic in
            guard warningsAsErrors, diagnostic.severity == .warning else { return diagnostic }
            return diagnostic.with(severity: .error)
        }
        var omitted = omitted
        // Warnings shown as errors count toward the limit too.
        if let errorLimit = shownErrors {
            var errors = 0
            shown = shown.filter { diagnostic in
                guard diagnostic.severity == .error else { return true }
                errors += 1
                if errors > errorLimit { omitted += 1 }
                return errors <= errorLimit
            }
        }
        guard !shown.isEmpty || format == .json || format == .sarif else { return }
        let colors: Bool
        switch color {
        case .always: colors = true
        case .never: colors = false
        case .auto: colors = isatty(STDERR_FILENO) == 1 && (getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true)
        }
        let formatter = DiagnosticsFormatter(format: format, colors: colors, toolVersion: Compiler.version) { path in
            try? FileSystem.read(path == FileSystem.standardInputName ? "-" : path).get()
        }
        FileSystem.writeToStandardError(formatter.render(shown, omitted: omitted))
    }
}
