/// Collects the diagnostics of every stage, so that one run reports all the problems it can
/// find instead of stopping at the first.
public final class DiagnosticEngine {
    public private(set) var diagnostics: [Diagnostic] = []
    /// Rendered diagnostics already emitted: a problem reached twice is reported once.
    private var seen: Set<String> = []
    /// The errors kept at most; the rest are only counted, so that an input with a million
    /// mistakes costs no more to report than one with a few. `nil`: no limit.
    public let errorLimit: Int?
    /// Errors reported but not kept, past `errorLimit`.
    public private(set) var omittedErrors = 0
    public private(set) var errorCount = 0

    /// Warning kinds not reported.
    public let silencedWarnings: Set<DiagnosticID>

    public init(errorLimit: Int? = nil, silencedWarnings: Set<DiagnosticID> = []) {
        self.errorLimit = errorLimit
        self.silencedWarnings = silencedWarnings
    }

    public var hasErrors: Bool { errorCount > 0 }

    /// Whether further errors will only be counted.
    private var isFull: Bool { errorLimit.map { errorCount >= $0 } ?? false }

    public func emit(_ diagnostic: Diagnostic) {
        if diagnostic.severity == .error, isFull {
            countOmittedError()
            return
        }
        if diagnostic.severity == .warning, silencedWarnings.contains(diagnostic.id) { return }
        guard seen.insert(diagnostic.description).inserted else { return }
        if diagnostic.severity == .error { errorCount += 1 }
        diagnostics.append(diagnostic)
    }

    /// Reports an error; past the limit its message and fix-its are never worked out, so that
    /// a million mistakes cost no more than the ones shown.
    public func error(
        _ id: DiagnosticID, _ message: @autoclosure () -> String, at location: SourceLocation?,
        notes: [Diagnostic.Note] = [], fixIts: @autoclosure () -> [FixIt] = []
    ) {
        if isFull {
            countOmittedError()
            return
        }
        emit(Diagnostic(.error, id, message(), at: location, notes: notes, fixIts: fixIts()))
    }

    private func countOmittedError() {
        errorCount += 1
        omittedErrors += 1
    }

    public func warning(_ id: DiagnosticID, _ message: String, at location: SourceLocation?, notes: [Diagnostic.Note] = [], fixIts: [FixIt] = []) {
        emit(Diagnostic(.warning, id, message, at: location, notes: notes, fixIts: fixIts))
    }

    /// The diagnostics in source order; those without a location come first. The sort is
    /// stable, so problems found at one place keep the order in which stages found them.
    public var sorted: [Diagnostic] {
        diagnostics.enumerated().sorted { lhs, rhs in
            switch (lhs.element.location, rhs.element.location) {
            case (nil, nil): return lhs.offset < rhs.offset
            case (nil, _): return true
            case (_, nil): return false
            case let (l?, r?): return l == r ? lhs.offset < rhs.offset : l < r
            }
        }.map(\.element)
    }
}
