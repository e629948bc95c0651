import JSON
import YAML

/// The pipeline file an import writes, built as a tree and written in block style, as
/// people write pipespec files: mappings in written order, one entry a line.
indirect enum YAMLText {
    /// A scalar, already spelled for YAML.
    case scalar(String)
    case mapping([(key: String, value: YAMLText)])
    case sequence([YAMLText])

    /// A string, plain when YAML reads it back as the same string, else double-quoted.
    static func string(_ text: String) -> YAMLText {
        .scalar(isPlain(text) ? text : quoted(text))
    }

    /// A constant: scalars as YAML writes them, lists and mappings as flow collections.
    static func constant(_ value: JSONValue) -> YAMLText {
        if case .string(let text) = value { return string(text) }
        return .scalar(flow(value))
    }

    private static func flow(_ value: JSONValue) -> String {
        switch value {
        case .object(let object): return "{" + object.members.map { quoted($0.key) + ": " + flow($0.value) }.joined(separator: ", ") + "}"
        case .array(let items): return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .string(let text): return quoted(text)
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: return String(Int(number))
        default: return String(decoding: JSONWriter.compactBytes(value), as: UTF8.self)
        }
    }

    /// The document's text, with a final newline.
    var document: String {
        lines(indent: "").joined(separator: "\n") + "\n"
    }

    private func lines(indent: String) -> [String] {
        switch self {
        case .scalar(let text):
            return [indent + text]
        case .mapping(let entries):
            return entries.flatMap { key, value -> [String] in
                let name = indent + (Self.isPlain(key) ? key : Self.quoted(key)) + ":"
                switch value {
                case .scalar(let text): return [name + " " + text]
                case .mapping(let inner) where inner.isEmpty: return [name + " {}"]
                case .sequence(let items) where items.isEmpty: return [name + " []"]
                case .mapping: return [name] + value.lines(indent: indent + "  ")
                case .sequence: return [name] + value.lines(indent: indent + "  ")
                }
            }
        case .sequence(let items):
            return items.flatMap { item -> [String] in
                let inner = item.lines(indent: indent + "  ")
                guard let first = inner.first else { return [] }
                return [indent + "- " + first.dropFirst(indent.count + 2)] + inner.dropFirst()
            }
        }
    }

    private static let reserved: Set<String> = ["true", "false", "null", "yes", "no", "on", "off", "~", "y", "n"]

    /// Whether YAML reads `text` unquoted as this very string: no indicator first, no `: `
    /// or ` #` inside, nothing a number, boolean or null.
    static func isPlain(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, first != " ", last != " ", last != ":" else { return false }
        // Read back as pipespec reads YAML (the 1.2 core schema), or as YAML 1.1 would.
        if ScalarResolution.kind(ofPlain: text) != .string || reserved.contains(text.lowercased()) { return false }
        if first.isNumber, text.allSatisfy({ $0.isNumber || "._:+-eE".contains($0) }) { return false }
        if "-?:,[]{}#&*!|>'\"%@`".contains(first) { return false }
        if text.contains(": ") || text.contains(" #") || text.contains("\t") { return false }
        return text.allSatisfy { $0.isLetter || $0.isNumber || " _./$@{}=<>!()'+,-:;*&^~[]|?%".contains($0) }
    }

    static func quoted(_ text: String) -> String {
        String(decoding: JSONWriter.compactBytes(.string(text)), as: UTF8.self)
    }
}
