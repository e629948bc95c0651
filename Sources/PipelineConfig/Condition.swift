import Diagnostics
import YAML

/// A comparison written in `when:` or `if:`, such as
/// `${tasks.evaluate.outputs.aupr} >= ${params.threshold}`.
package struct Condition: Sendable {
    package enum Operator: String, CaseIterable, Sendable {
        case equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater = ">"
    }

    package enum Operand: Sendable {
        case reference(Reference, SourceLocation)
        case string(String)
        case int(Int)
        case float(Double)
        case bool(Bool)
    }

    package let left: Operand
    package let comparison: Operator
    package let right: Operand
    package let location: SourceLocation
}

package enum ConditionParser {
    package static func parse(_ scalar: Scalar, at location: SourceLocation, diagnostics: DiagnosticEngine) -> Condition? {
        var parser = Cursor(characters: Array(scalar.text), scalar: scalar, location: location, diagnostics: diagnostics)
        guard let left = parser.operand() else { return nil }
        parser.skipSpaces()
        if parser.isAtEnd, case .reference = left {
            // A reference alone is a boolean tested for truth, as `if flag:` reads in Python.
            return Condition(left: left, comparison: .equal, right: .bool(true), location: location)
        }
        guard let comparison = parser.comparison() else { return nil }
        guard let right = parser.operand() else { return nil }
        parser.skipSpaces()
        guard parser.isAtEnd else {
            parser.error("unexpected text after the comparison; a condition is one comparison (use a list under 'when' for several)")
            return nil
        }
        return Condition(left: left, comparison: comparison, right: right, location: location)
    }

    private struct Cursor {
        let characters: [Character]
        let scalar: Scalar
        let location: SourceLocation
        let diagnostics: DiagnosticEngine
        var index = 0

        var isAtEnd: Bool { index >= characters.count }

        mutating func skipSpaces() {
            while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 }
        }

        func error(_ message: String, at offset: Int? = nil) {
            diagnostics.error(.conditionSyntax, message, at: location(of: offset ?? index))
        }

        /// The location of the character at `offset` in `characters`.
        func location(of offset: Int) -> SourceLocation {
            scalar.location(ofOffset: String(characters[..<offset]).unicodeScalars.count, in: location)
        }

        mutating func operand() -> Condition.Operand? {
            skipSpaces()
            let start = index
            guard !isAtEnd else {
                error("expected an operand: a ${...} reference, a number, a quoted string, true or false")
                return nil
            }
            let first = characters[index]
            if first == "$", index + 1 < characters.count, characters[index + 1] == "{" {
                guard let close = characters[index...].firstIndex(of: "}") else {
                    error("unterminated '${'")
                    return nil
                }
                let body = String(characters[(index + 2)..<close]).trimming(" ")
                index = close + 1
                let referenceLocation = location(of: start)
                return TemplateParser.parseReference(body, at: referenceLocation, diagnostics: diagnostics)
                    .map { .reference($0, referenceLocation) }
            }
            if first == "'" || first == "\"" {
                guard let close = characters[(index + 1)...].firstIndex(of: first) else {
                    error("unterminated string literal")
                    return nil
                }
                let text = String(characters[(index + 1)..<close])
                index = close + 1
                return .string(text)
            }
            while index < characters.count, !" \t=!<>".contains(characters[index]) { index += 1 }
            let word = String(characters[start..<index])
            guard !word.isEmpty else {
                error("expected an operand: a ${...} reference, a number, a quoted string, true or false; got '\(characters[index])'", at: start)
                return nil
            }
            switch word {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default:
                let parsed = Scalar(text: word, kind: ScalarResolution.kind(ofPlain: word))
                if let number = parsed.intValue { return .int(number) }
                if parsed.kind == .float, let number = parsed.doubleValue, number.isFinite { return .float(number) }
                error("expected an operand: a ${...} reference, a number, a quoted string, true or false; got '\(word)'", at: start)
                return nil
            }
        }

        mutating func comparison() -> Condition.Operator? {
            skipSpaces()
            for candidate in Condition.Operator.allCases {
                let symbol = Array(candidate.rawValue)
                if index + symbol.count <= characters.count, Array(characters[index..<(index + symbol.count)]) == symbol {
                    index += symbol.count
                    return candidate
                }
            }
            error("expected a comparison operator: ==, !=, <, <=, > or >=")
            return nil
        }
    }
}

extension DiagnosticID {
    static let conditionSyntax = DiagnosticID("condition-syntax")
}
