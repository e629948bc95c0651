/// Values that belong to one run, baked into a template: a UUID, a timestamp-like run of
/// digits, or the placeholder tutorials leave for one (`YOUR_EXECUTION_ID`).
enum RunIdentifiers {
    static func looksLikeOneRun(_ text: String) -> Bool {
        let upper = text.uppercased()
        if ["EXECUTION_ID", "RUN_ID", "JOB_ID"].contains(where: upper.contains) { return true }
        var digits = 0, hexRun = 0
        for character in text {
            digits = character.isNumber ? digits + 1 : 0
            hexRun = character.isHexDigit || character == "-" ? hexRun + 1 : 0
            if digits >= 8 || hexRun >= 36 { return true }
        }
        return false
    }
}
