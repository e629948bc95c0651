import PipelineConfig

/// How kfp makes names from what a file writes: lowercase ASCII letters and digits kept,
/// each run of other characters one separator, none at the ends. v1 input names keep the
/// underscores written (`keepsSeparator`); Kubernetes names fold hyphens into the runs.
package enum KFPNameRule {
    package static func name(_ text: String, separator: Character, keepsSeparator: Bool) -> String {
        var result = ""
        for character in text.pythonLowercased {
            if character.isASCII && (character.isLowercase || character.isNumber) || (keepsSeparator && character == separator) {
                result.append(character)
            } else if result.last != separator {
                result.append(separator)
            }
        }
        while result.last == separator { result.removeLast() }
        guard let start = result.firstIndex(where: { $0 != separator }) else { return "" }
        return String(result[start...])
    }
}
