#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import PipeSpecCompiler

/// How a command reports problems, as its diagnostic options (`DiagnosticOptions`) ask: for
/// people (text with source excerpts, in colour on a terminal) or for machines (JSON, GitHub
/// Actions annotations, SARIF), and how many.
struct Reporter: Equatable {
    enum ColorChoice: String, CaseIterable {
        case auto, always, never
    }

    var format: DiagnosticsFormatter.Format = .text
    var color: ColorChoice = .auto
    /// The errors shown at most (`nil`: 50; 0: all).
    var errorLimit: Int?
    var warningsAsErrors = false
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
