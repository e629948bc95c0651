/// The stable name of a kind of diagnostic, such as `unknown-task`: shown after the message,
/// used as the SARIF rule ID, described by `pipespec explain ID`, and named to silence a
/// warning kind. Each is declared where it is emitted, as `DiagnosticID("name")`, and has an
/// explanation in `Sources/EmbeddedResources/diagnostics/NAME.md`.
public struct DiagnosticID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public var description: String { name }

    public static func < (lhs: DiagnosticID, rhs: DiagnosticID) -> Bool { lhs.name < rhs.name }
}

extension DiagnosticID {
    /// A summary line the formatter adds, such as "3 more errors not shown".
    public static let summary = DiagnosticID("summary")
}
