/// Writes JSON deterministically: keys sorted by code point, two-space indentation, `": "`
/// between key and value, a final newline. This is the layout of Python's
/// `json.dumps(indent=2, sort_keys=True)`, which the kfp compiler uses, so our output and
/// kfp's can be diffed line by line. Non-ASCII text is written as UTF-8.
public enum JSONWriter {
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(1 << 16)
        write(value, indent: 0, into: &output)
        output.append(UInt8(ascii: "\n"))
        return output
    }

    /// The same, on one line with no spaces: for JSON that only programs read.
    public static func compactBytes(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        write(value, indent: nil, into: &output)
        return output
    }

    /// Key order: by Unicode code point, which for UTF-8 is plain byte order.
    public static func keyOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// `indent` is the current indentation, or `nil` for compact output.
    private static func write(_ value: JSONValue, indent: Int?, into output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .int(let number): output.append(contentsOf: String(number).utf8)
        case .double(let number): output.append(contentsOf: pythonRepr(number).utf8)
        case .string(let text): writeString(text, into: &output)
        case .array(let items):
            guard !items.isEmpty else {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            let inner = indent.map { $0 + 2 }
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(inner, into: &output)
                write(item, indent: inner, into: &output)
            }
            newline(indent, into: &output)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else {
                output.append(contentsOf: "{}".utf8)
                return
            }
            output.append(UInt8(ascii: "{"))
            let inner = indent.map { $0 + 2 }
            let members = object.members
            for (position, index) in sortedIndices(members).enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(inner, into: &output)
                writeString(members[index].key, into: &output)
                output.append(contentsOf: (indent == nil ? ":" : ": ").utf8)
                write(members[index].value, indent: inner, into: &output)
            }
            newline(indent, into: &output)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The members' indices in key order; sorting indices leaves the members uncopied.
    private static func sortedIndices(_ members: [(key: String, value: JSONValue)]) -> [Int] {
        let indices = Array(members.indices)
        let isSorted = zip(members, members.dropFirst()).allSatisfy { keyOrder($0.key, $1.key) }
        return isSorted ? indices : indices.sorted { keyOrder(members[$0].key, members[$1].key) }
    }

    private static func newline(_ indent: Int?, into output: inout [UInt8]) {
        guard let indent else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
    }

    /// Floats as Python's `repr` writes them: the shortest digits that round-trip, in
    /// positional notation when the decimal exponent is from -4 to 15 (`3.0`, `0.5`,
    /// `9500000000000000.0`), otherwise in scientific notation (`1e-05`, `1e+16`).
    public static func pythonRepr(_ number: Double) -> String {
        precondition(number.isFinite, "JSON cannot hold \(number); the emitter must reject it earlier")
        let swift = number.description
        guard let e = swift.firstIndex(of: "e") else { return swift }
        // Swift writes scientific notation from 2^53 on; Python only from 1e16.
        let exponent = Int(swift[swift.index(after: e)...])!
        guard (-4..<16).contains(exponent) else { return swift }
        let sign = swift.hasPrefix("-") ? "-" : ""
        let digits = swift[..<e].filter(\.isNumber)
        let integerDigits = exponent + 1
        if digits.count <= integerDigits {
            return sign + digits + String(repeating: "0", count: integerDigits - digits.count) + ".0"
        }
        return sign + digits.prefix(integerDigits) + "." + digits.dropFirst(integerDigits)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Copy runs that need no escaping in one go; most strings are a single run.
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\n"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                default:
                    output.append(contentsOf: "\\u00".utf8)
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0xF)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }
}
