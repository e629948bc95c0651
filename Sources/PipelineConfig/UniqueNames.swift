/// Names unique within one set: a name taken already gets `-2`, `-3`, … (as kfp names a
/// second `comp-x` `comp-x-2`), with `separator` before the number.
package struct UniqueNames: Sendable {
    private var used: Set<String>
    private let separator: String

    package init(used: Set<String> = [], separator: String = "-") {
        self.used = used
        self.separator = separator
    }

    package mutating func claim(_ name: String) -> String {
        var candidate = name
        var suffix = 2
        while used.contains(candidate) {
            candidate = "\(name)\(separator)\(suffix)"
            suffix += 1
        }
        used.insert(candidate)
        return candidate
    }
}
