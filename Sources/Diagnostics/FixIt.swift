/// An edit that fixes a diagnostic: `original`, which starts at `location`, becomes
/// `replacement`. Renderers check the source still holds `original` there (a quoted scalar
/// is looked into) before they show or export the edit.
public struct FixIt: Sendable, Equatable {
    public let location: SourceLocation
    public let original: String
    public let replacement: String

    public init(at location: SourceLocation, replacing original: String, with replacement: String) {
        self.location = location
        self.original = original
        self.replacement = replacement
    }
}
