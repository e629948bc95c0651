import JSON

/// JSON as Python's `json.dumps` writes it: `", "` and `": "` between parts, every character
/// beyond ASCII escaped, and keys sorted (`sort_keys=True`, as KFP writes a loop's list of
/// items) or in the order given (as it writes `IfPresent` and `Concat` placeholders).
enum PythonJSON {
    static func dumps(_ value: JSONValue, sortingKeys: Bool = true) -> String {
        var output = ""
        write(value, sortingKeys: sortingKeys, to: &output)
        return output
    }

    private static func write(_ value: JSONValue, sortingKeys: Bool, to output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .double(let number): output += JSONWriter.pythonRepr(number)
        case .string(let text): writeString(text, to: &output)
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += ", " }
                write(item, sortingKeys: sortingKeys, to: &output)
            }
            output += "]"
        case .object(let object):
            output += "{"
            // Python compares keys by code point.
            let members = sortingKeys
                ? object.members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
                : object.members
            for (index, member) in members.enumerated() {
                if index > 0 { output += ", " }
                writeString(member.key, to: &output)
                output += ": "
                write(member.value, sortingKeys: sortingKeys, to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            case 0x20..<0x7F: output.unicodeScalars.append(Unicode.Scalar(unit)!)
            default:
                let hex = String(unit, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        output += "\""
    }
}
