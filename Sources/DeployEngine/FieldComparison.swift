import JSON

/// Compares API bodies the way the APIs mean them: key order never matters, numbers compare
/// by value (`3` and `3.0`), an integer written as a string equals that integer (how
/// protobuf's JSON form writes int64 fields), and a missing scalar equals its proto3 default
/// (`0`, `false`, `""`), which APIs leave out of what they return.
enum FieldComparison {
    static func equal(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): return true
        case (nil, let value?), (let value?, nil): return isDefault(value)
        case let (.object(a)?, .object(b)?):
            return a.members.allSatisfy { equal($0.value, b[$0.key]) } && b.members.allSatisfy { a[$0.key] != nil || isDefault($0.value) }
        case let (.array(a)?, .array(b)?):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case let (a?, b?):
            if let x = number(a), let y = number(b) { return x == y }
            return a == b
        }
    }

    static func isDefault(_ value: JSONValue) -> Bool {
        switch value {
        case .bool(false), .string(""): return true
        default: return number(value) == 0
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        case .string(let text) where !text.isEmpty && text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }): return Double(text)
        default: return nil
        }
    }

    /// The leaves that differ between `old` and `new` under `path`, a pipeline spec summarized.
    static func changes(_ old: JSONValue?, _ new: JSONValue?, path: String) -> [FieldChange] {
        if equal(old, new) { return [] }
        if path.hasSuffix("pipelineSpec"), let old, let new {
            let details = SpecSummary(spec: new).changes(from: SpecSummary(spec: old))
            return [FieldChange(path: path, old: nil, new: nil, summary: details.isEmpty ? "changed" : details.joined(separator: "; "))]
        }
        if case .object(let a)? = old, case .object(let b)? = new {
            let keys = Set(a.members.map(\.key)).union(b.members.map(\.key)).sorted()
            return keys.flatMap { changes(a[$0], b[$0], path: path.isEmpty ? $0 : "\(path).\($0)") }
        }
        return [FieldChange(path: path, old: old, new: new)]
    }
}
