import Diagnostics
import YAML

/// The shape of a value as written, which parameter types are checked against: for
/// defaults, for task arguments and for run-time values given on the command line.
package enum ValueKind: Sendable {
    case null, bool, int, float, string, list, map

    package init(_ node: Node) {
        switch node.content {
        case .sequence: self = .list
        case .mapping: self = .map
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: self = .null
            case .bool: self = .bool
            case .int: self = .int
            case .float: self = .float
            case .string: self = .string
            }
        }
    }

    package init(_ content: Value.Content) {
        switch content {
        case .null: self = .null
        case .bool: self = .bool
        case .int: self = .int
        case .float: self = .float
        case .string: self = .string
        case .list: self = .list
        case .map: self = .map
        }
    }
}

extension ParameterType {
    /// How messages name the type: "a string", "an integer", "a mapping"…
    package var phrase: String {
        switch self {
        case .string: return "a string"
        case .int: return "an integer"
        case .float: return "a number"
        case .bool: return "a boolean"
        case .list: return "a list"
        case .struct: return "a mapping"
        case .taskFinalStatus: return "a task's final status"
        }
    }

    /// Whether a value written as `kind` has this type. An integer is also a float.
    package func admits(_ kind: ValueKind) -> Bool {
        switch (self, kind) {
        case (.string, .string), (.int, .int), (.float, .int), (.float, .float), (.bool, .bool), (.list, .list), (.struct, .map):
            return true
        default:
            return false
        }
    }

    /// A hint for a number or boolean written where a string is expected: YAML took it
    /// for a number because it has no quotes.
    package func quotingHint(for text: String, kind: ValueKind) -> String {
        guard self == .string, [.int, .float, .bool].contains(kind) else { return "" }
        return Suggestions.quotingHint(text)
    }
}
