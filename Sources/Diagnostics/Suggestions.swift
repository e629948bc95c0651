/// "Did you mean" suggestions for misspelled names.
public enum Suggestions {
    /// The candidate closest to `name`, if it is close enough to be a plausible typo.
    public static func closest<S: Sequence>(to name: String, in candidates: S) -> String? where S.Element == String {
        let target = Array(name.unicodeScalars)
        // Allow roughly one edit per three characters, at least one, at most three.
        let limit = min(3, max(1, target.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(target, Array(candidate.unicodeScalars), limit: limit)
            guard distance <= limit else { continue }
            if best == nil || distance < best!.distance || (distance == best!.distance && candidate < best!.name) {
                best = (candidate, distance)
            }
        }
        return best?.name
    }

    /// `" (did you mean 'x'?)"`, or the empty string when nothing is close.
    public static func didYouMean<S: Sequence>(_ name: String, in candidates: S) -> String where S.Element == String {
        suggestion(for: name, at: nil, in: candidates).phrase
    }

    /// The closest candidate to a misspelled name written at `location`, as a phrase for the
    /// message and as a fix-it.
    public static func suggestion<S: Sequence>(for name: String, at location: SourceLocation?, in candidates: S) -> Suggestion where S.Element == String {
        Suggestion(name: name, match: closest(to: name, in: candidates), location: location)
    }

    /// `"; write "12" in quotes for a string"`: YAML reads an unquoted `12`, `1.10` or `true`
    /// as a number or boolean, which is often not what was meant.
    public static func quotingHint(_ text: String) -> String {
        "; write \"\(text)\" in quotes for a string"
    }

    /// The quoting hint as a suggestion, with the quotes as a fix-it.
    public static func quoting(_ text: String, at location: SourceLocation) -> Suggestion {
        Suggestion(name: text, match: nil, location: location, phrase: quotingHint(text), replacement: "\"\(text)\"")
    }

    /// Levenshtein distance with transpositions counted as one edit; stops early past `limit`.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}

/// What might have been meant: a close name for a misspelled one, or a quoted string for a
/// number, as words for the message and as a fix-it.
public struct Suggestion: Sendable {
    public let name: String
    public let match: String?
    /// Where `name` is written, when it is written whole at one place.
    public let location: SourceLocation?
    /// `" (did you mean 'x'?)"`, or the empty string when nothing is close.
    public let phrase: String
    private let replacement: String?

    init(name: String, match: String?, location: SourceLocation?, phrase: String? = nil, replacement: String? = nil) {
        self.name = name
        self.match = match
        self.location = location
        self.phrase = phrase ?? match.map { " (did you mean '\($0)'?)" } ?? ""
        self.replacement = replacement ?? match
    }

    /// The edit from the name to what was meant.
    public var fixIts: [FixIt] {
        guard let replacement, let location else { return [] }
        return [FixIt(at: location, replacing: name, with: replacement)]
    }
}
