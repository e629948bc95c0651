/// Collects the diagnostics of every stage, so that one run reports all the problems it can
/// find instead of stopping at the first.
public final class DiagnosticEngine {
    public private(set) var diagnostics: [Diagnostic] = []
    /// Rendered diagnostics already emitted: a problem reached twice is reported once.
    private var seen: Set<String> = []

    public init() {}

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    public var errorCount: Int { diagnostics.count { $0.severity == .error } }

    public func emit(_ diagnostic: Diagnostic) {
        guard seen.insert(diagnostic.description).inserted else { return }
        diagnostics.append(diagnostic)
    }

    public func error(_ message: String, at location: SourceLocation?, notes: [Diagnostic.Note] = []) {
        emit(Diagnostic(.error, message, at: location, notes: notes))
    }

    public func warning(_ message: String, at location: SourceLocation?, notes: [Diagnostic.Note] = []) {
        emit(Diagnostic(.warning, message, at: location, notes: notes))
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
