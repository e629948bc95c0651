/// How kfp makes names from what a file writes: lowercase ASCII letters and digits kept,
/// each run of other characters one separator, none at the ends. v1 input names keep the
/// underscores written (`keepsSeparator`); Kubernetes names fold hyphens into the runs.
enum KFPNameRule {
    static func name(_ text: String, separator: Character, keepsSeparator: Bool) -> String {
        var result = ""
        for character in text.lowercased() {
            if character.isASCII && (character.isLowercase || character.isNumber) || (keepsSeparator && character == separator) {
                result.append(character)
            } else if result.last != separator {
                result.append(separator)
            }
        }
        return String(result.drop { $0 == separator }.reversed().drop { $0 == separator }.reversed())
    }
}
