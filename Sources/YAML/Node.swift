import Diagnostics

/// A YAML node. Every node, and every mapping key, remembers where it was written.
public struct Node: Sendable {
    public enum Content: Sendable {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([MappingEntry])
    }

    public let content: Content
    public let location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    public var scalar: Scalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    public var sequence: [Node]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [MappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The text of a string scalar (plain or quoted).
    public var string: String? {
        guard let scalar, scalar.kind == .string else { return nil }
        return scalar.text
    }

    /// The value for `key` when this node is a mapping.
    public subscript(key: String) -> Node? {
        entry(key)?.value
    }

    /// The entry for `key` when this node is a mapping (to reach the key's location).
    public func entry(_ key: String) -> MappingEntry? {
        mapping?.first { $0.key == key }
    }

    /// A short name for the node's kind, as used in messages ("a mapping", "an integer").
    public var kindDescription: String {
        switch content {
        case .scalar(let scalar): return scalar.kind.description
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

public struct MappingEntry: Sendable {
    public let key: String
    public let keyLocation: SourceLocation
    public let value: Node

    public init(key: String, keyLocation: SourceLocation, value: Node) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

/// A scalar, resolved with the YAML 1.2 core schema: `yes`, `on` and `0777` stay strings
/// and integers, unlike YAML 1.1.
public struct Scalar: Sendable, Hashable {
    public enum Kind: Sendable, Hashable, CustomStringConvertible {
        case null, bool, int, float, string

        public var description: String {
            switch self {
            case .null: return "null"
            case .bool: return "a boolean"
            case .int: return "an integer"
            case .float: return "a number"
            case .string: return "a string"
            }
        }
    }

    /// How the scalar was written; needed to map an offset in `text` back to a column.
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, block
    }

    /// The scalar's text after YAML escapes and folding.
    public let text: String
    public let kind: Kind
    public let style: Style
    /// Whether `text` stands character for character on one line of the source, so that an
    /// offset in it maps to a column. Not so after escapes, folding or in block scalars.
    public let isVerbatim: Bool

    public init(text: String, kind: Kind, style: Style = .plain, isVerbatim: Bool = true) {
        self.text = text
        self.kind = kind
        self.style = style
        self.isVerbatim = isVerbatim && style != .block
    }

    /// Where the character `offset` Unicode scalars into `text` was written: exact when the
    /// text is verbatim, otherwise the scalar's own location (`node`).
    public func location(ofOffset offset: Int, in node: SourceLocation) -> SourceLocation {
        guard isVerbatim else { return node }
        let quote = style == .plain ? 0 : 1
        return SourceLocation(file: node.file, line: node.line, column: node.column + quote + offset)
    }

    public var boolValue: Bool? {
        guard kind == .bool else { return nil }
        return text.first == "t" || text.first == "T"
    }

    public var intValue: Int? {
        guard kind == .int else { return nil }
        return ScalarResolution.integer(text)
    }

    /// The numeric value of an integer or float scalar; integers too large for `Int` too.
    public var doubleValue: Double? {
        switch kind {
        case .int: return ScalarResolution.integer(text).map(Double.init) ?? Double(text)  // a decimal beyond Int
        case .float: return ScalarResolution.float(text)
        default: return nil
        }
    }
}
