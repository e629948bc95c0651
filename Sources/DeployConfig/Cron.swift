/// Checks unix-cron expressions as Cloud Scheduler and Vertex AI read them: five fields
/// (minute, hour, day of month, month, day of week), each `*`, a number, a name (months
/// JAN–DEC, days SUN–SAT), a range `a-b`, a step `*/n` or `a-b/n`, or a list of those.
public enum Cron {
    struct Field {
        let name: String
        let range: ClosedRange<Int>
        let names: [String]
    }

    static let fields = [
        Field(name: "minute", range: 0...59, names: []),
        Field(name: "hour", range: 0...23, names: []),
        Field(name: "day of month", range: 1...31, names: []),
        Field(name: "month", range: 1...12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]),
        // 7 is Sunday too, as in most crons.
        Field(name: "day of week", range: 0...7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    ]

    /// What is wrong with `expression`, or `nil` when it is valid.
    public static func problem(in expression: String) -> String? {
        let parts = expression.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 5 else {
            return "a cron expression has 5 fields (minute hour day-of-month month day-of-week), '\(expression)' has \(parts.count)"
        }
        for (part, field) in zip(parts, fields) {
            for item in part.split(separator: ",", omittingEmptySubsequences: false) {
                if let problem = problem(inItem: String(item), of: field) { return problem }
            }
        }
        return nil
    }

    private static func problem(inItem item: String, of field: Field) -> String? {
        let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
        guard pieces.count <= 2 else { return "\(field.name) '\(item)' has more than one '/'" }
        if pieces.count == 2 {
            guard let step = Int(pieces[1]), step >= 1, step <= field.range.upperBound else {
                return "\(field.name) step '\(pieces[1])' is not a number from 1 to \(field.range.upperBound)"
            }
        }
        let base = String(pieces[0])
        if base == "*" { return nil }
        let bounds = base.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count <= 2, !base.isEmpty else { return "\(field.name) '\(item)' is not a value, range or step" }
        var values: [Int] = []
        for bound in bounds {
            guard let value = value(String(bound), of: field) else {
                let names = field.names.isEmpty ? "" : " or a name \(field.names.first!)–\(field.names.last!)"
                return "\(field.name) '\(bound)' is not a number from \(field.range.lowerBound) to \(field.range.upperBound)\(names)"
            }
            values.append(value)
        }
        if values.count == 2, values[0] > values[1] {
            return "\(field.name) range '\(base)' runs backwards"
        }
        return nil
    }

    private static func value(_ text: String, of field: Field) -> Int? {
        if let number = Int(text), text.allSatisfy(\.isASCII), field.range.contains(number) { return number }
        guard let index = field.names.firstIndex(of: text.uppercased()) else { return nil }
        return field.range.lowerBound == 0 ? index : index + 1
    }
}
