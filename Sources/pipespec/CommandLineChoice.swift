import ArgumentParser

/// An option's closed set of values, spelled by their raw values. ArgumentParser's defaults
/// for such enums describe each value through `String(describing:)`, whose runtime type
/// lookups cost a noticeable part of every start; these spell them directly.
protocol CommandLineChoice: ExpressibleByArgument, CaseIterable, RawRepresentable where RawValue == String {}

extension CommandLineChoice {
    public var defaultValueDescription: String { rawValue }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
    public static var allValueDescriptions: [String: String] { [:] }
    public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
