import Diagnostics
import YAML

/// A condition written in `when:` or `if:`: comparisons such as
/// `${tasks.evaluate.outputs.aupr} >= ${params.threshold}`, joined with `and`, `or`, `not`
/// and parentheses.
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

    package struct Comparison: Sendable {
        package let left: Operand
        package let comparison: Operator
        package let right: Operand
        package let location: SourceLocation
    }

    package indirect enum Expression: Sendable {
        case comparison(Comparison)
        case not(Expression)
        case all([Expression])
        case any([Expression])
    }

    package let expression: Expression
    package let location: SourceLocation

    /// Every comparison, in the order written.
    package var comparisons: [Comparison] {
        func collect(_ expression: Expression) -> [Comparison] {
            switch expression {
            case .comparison(let comparison): return [comparison]
            case .not(let inner): return collect(inner)
            case .all(let parts), .any(let parts): return parts.flatMap(collect)
            }
        }
        return collect(expression)
    }
}

package enum ConditionParser {
    package static func parse(_ scalar: Scalar, at location: SourceLocation, diagnostics: DiagnosticEngine) -> Condition? {
        var parser = Cursor(characters: Array(scalar.text), scalar: scalar, location: location, diagnostics: diagnostics)
        guard let expression = parser.anyOf() else { return nil }
        parser.skipSpaces()
        guard parser.isAtEnd else {
            parser.error("unexpected text after the condition; join comparisons with and, or, not and parentheses")
            return nil
        }
        return Condition(expression: expression, location: location)
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

        /// `a or b or …`; `or` binds loosest.
        mutating func anyOf() -> Condition.Expression? {
            guard let first = allOf() else { return nil }
            var parts = [first]
            while keyword("or") {
                guard let next = allOf() else { return nil }
                parts.append(next)
            }
            return parts.count == 1 ? first : .any(parts)
        }

        /// `a and b and …`.
        mutating func allOf() -> Condition.Expression? {
            guard let first = negation() else { return nil }
            var parts = [first]
            while keyword("and") {
                guard let next = negation() else { return nil }
                parts.append(next)
            }
            return parts.count == 1 ? first : .all(parts)
        }

        mutating func negation() -> Condition.Expression? {
            if keyword("not") { return negation().map(Condition.Expression.not) }
            skipSpaces()
            if index < characters.count, characters[index] == "(" {
                let open = index
                index += 1
                guard let inner = anyOf() else { return nil }
                skipSpaces()
                guard index < characters.count, characters[index] == ")" else {
                    error("expected ')' to close the '(' here", at: open)
                    return nil
                }
                index += 1
                return inner
            }
            return comparisonExpression()
        }

        /// One comparison, or a reference alone: a boolean tested for truth, as `if flag:`
        /// reads in Python.
        mutating func comparisonExpression() -> Condition.Expression? {
            skipSpaces()
            let start = location(of: index)
            guard let left = operand() else { return nil }
            skipSpaces()
            if case .reference = left, isAtEnd || characters[index] == ")" || lookingAtKeyword("and") || lookingAtKeyword("or") {
                return .comparison(Condition.Comparison(left: left, comparison: .equal, right: .bool(true), location: start))
            }
            guard let comparison = comparison(), let right = operand() else { return nil }
            return .comparison(Condition.Comparison(left: left, comparison: comparison, right: right, location: start))
        }

        /// Consumes `word` when it comes next, as a whole word.
        mutating func keyword(_ word: String) -> Bool {
            skipSpaces()
            guard lookingAtKeyword(word) else { return false }
            index += word.count
            return true
        }

        func lookingAtKeyword(_ word: String) -> Bool {
            let letters = Array(word)
            guard index + letters.count <= characters.count, Array(characters[index..<(index + letters.count)]) == letters else { return false }
            let end = index + letters.count
            return end == characters.count || " \t(".contains(characters[end])
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
            while index < characters.count, !" \t=!<>()".contains(characters[index]) { index += 1 }
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
