/// One problem found in the input, rendered as `file:line:col: severity: message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable {
        case error, warning, note
    }

    /// A second location that helps explain the diagnostic ("first defined here").
    public struct Note: Sendable, Equatable {
        public let message: String
        public let location: SourceLocation?

        public init(_ message: String, at location: SourceLocation?) {
            self.message = message
            self.location = location
        }
    }

    public let id: DiagnosticID
    public let severity: Severity
    public let message: String
    /// `nil` for problems that belong to no file (for example, a missing file).
    public let location: SourceLocation?
    public let notes: [Note]
    /// Edits that would fix the problem, when one is known.
    public let fixIts: [FixIt]

    public init(_ severity: Severity, _ id: DiagnosticID, _ message: String, at location: SourceLocation?, notes: [Note] = [], fixIts: [FixIt] = []) {
        self.id = id
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
        self.fixIts = fixIts
    }

    /// The same diagnostic with another severity (a warning under `--warnings-as-errors`).
    public func with(severity: Severity) -> Diagnostic {
        Diagnostic(severity, id, message, at: location, notes: notes, fixIts: fixIts)
    }

    /// The diagnostic and its notes, one line each.
    public var description: String {
        var lines = [Self.line(severity.rawValue, message, location)]
        for note in notes {
            lines.append(Self.line(Severity.note.rawValue, note.message, note.location))
        }
        return lines.joined(separator: "\n")
    }

    private static func line(_ severity: String, _ message: String, _ location: SourceLocation?) -> String {
        if let location { return "\(location): \(severity): \(message)" }
        return "pipespec: \(severity): \(message)"
    }
}
