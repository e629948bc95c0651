import Diagnostics
import PipelineConfig
import Testing
import YAML

/// Parses the condition written as `when: <written>`.
func condition(_ written: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (condition: Condition?, diagnostics: [String]) {
    let (value, location) = try scalar(written, key: "when", sourceLocation: sourceLocation)
    let engine = DiagnosticEngine()
    let parsed = ConditionParser.parse(value, at: location, diagnostics: engine)
    #expect((parsed == nil) == engine.hasErrors, sourceLocation: sourceLocation)
    return (parsed, engine.rendered)
}

/// A readable form of an operand; references carry their column.
func describe(_ operand: Condition.Operand) -> String {
    switch operand {
    case .reference(let reference, let location): return "ref \(reference.spelling)@\(location.line):\(location.column)"
    case .string(let text): return "string '\(text)'"
    case .int(let number): return "int \(number)"
    case .float(let number): return "float \(number)"
    case .bool(let flag): return "bool \(flag)"
    }
}

/// `left op right` of each comparison, with `not (…)`, `(… and …)` and `(… or …)` around.
func describe(_ expression: Condition.Expression) -> String {
    switch expression {
    case .comparison(let comparison): return "\(describe(comparison.left)) \(comparison.comparison.rawValue) \(describe(comparison.right))"
    case .not(let inner): return "not (\(describe(inner)))"
    case .all(let parts): return "(" + parts.map(describe).joined(separator: " and ") + ")"
    case .any(let parts): return "(" + parts.map(describe).joined(separator: " or ") + ")"
    }
}

/// `left op right` of a condition, or its diagnostics when it does not parse.
func summary(_ written: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> String {
    let (parsed, diagnostics) = try condition(written, sourceLocation: sourceLocation)
    guard let parsed else { return diagnostics.joined(separator: "\n") }
    return describe(parsed.expression)
}

@Suite struct ConditionParserTests {
    @Test(arguments: Condition.Operator.allCases)
    func everyOperatorParses(comparison: Condition.Operator) throws {
        #expect(try summary("${params.a} \(comparison.rawValue) 1") == "ref params.a@1:7 \(comparison.rawValue) int 1")
        // Spaces around the operator are optional.
        #expect(try summary("${params.a}\(comparison.rawValue)1") == "ref params.a@1:7 \(comparison.rawValue) int 1")
    }

    @Test(arguments: [
        ("1", "int 1"), ("-2", "int -2"), ("+3", "int 3"), ("0x10", "int 16"), ("0o10", "int 8"),
        ("2.5", "float 2.5"), ("-0.5", "float -0.5"), ("1e3", "float 1000.0"), (".5", "float 0.5"),
        ("'full'", "string 'full'"), ("\"full\"", "string 'full'"), ("''", "string ''"), ("'a == b'", "string 'a == b'"),
        ("'it\"s'", "string 'it\"s'"), ("true", "bool true"), ("false", "bool false"),
    ])
    func literalsOnTheRight(literal: String, expected: String) throws {
        #expect(try summary("${params.a} == \(literal)") == "ref params.a@1:7 == \(expected)")
    }

    @Test func aReferenceAloneIsTestedForTruth() throws {
        #expect(try summary("${params.full_run}") == "ref params.full_run@1:7 == bool true")
        #expect(try summary("${tasks.check.outputs.ok}  ") == "ref tasks.check.outputs.ok@1:7 == bool true")
        // A constant alone is no test at all.
        #expect(try summary("true").contains("expected a comparison operator"))
    }

    @Test func theLocationIsTheWholeScalar() throws {
        let parsed = try #require(try condition("${params.a} == 1").condition)
        #expect(parsed.location == at(1, 7))
    }

    @Test func aReferenceCanBeOnEitherSide() throws {
        // A plain scalar cannot start with a quote, so this one is double-quoted.
        let parsed = try #require(try condition("\"'full' != ${params.mode}\"").condition)
        guard case .comparison(let quoted) = parsed.expression else { Issue.record("not one comparison"); return }
        #expect(describe(quoted.left) == "string 'full'")
        #expect(quoted.comparison == .notEqual)
        guard case .reference(.param("mode"), _) = quoted.right else {
            Issue.record("expected a reference to params.mode, got \(describe(quoted.right))")
            return
        }
        #expect(try summary("0.5 < ${tasks.eval.outputs.auc}") == "float 0.5 < ref tasks.eval.outputs.auc@1:13")
        #expect(try summary("${tasks.eval.outputs.auc} >= ${params.threshold}") == "ref tasks.eval.outputs.auc@1:7 >= ref params.threshold@1:36")
    }

    @Test func referenceColumnsCountTheOpeningQuote() throws {
        #expect(try summary("\"${params.a} == ${params.b}\"") == "ref params.a@1:8 == ref params.b@1:23")
        #expect(try summary("'${params.a} == 1'") == "ref params.a@1:8 == int 1")
    }

    @Test func spacesInsideReferenceBracesAreIgnored() throws {
        #expect(try summary("${ params.a } > 1") == "ref params.a@1:7 > int 1")
    }

    @Test(arguments: [
        // Trailing text: a condition is exactly one comparison.
        ("${params.a} == 1 && ${params.b} == 2", 24, "unexpected text after the condition; join comparisons with and, or, not and parentheses"),
        ("${params.a} == 1 1", 24, "unexpected text after the condition; join comparisons with and, or, not and parentheses"),
        // No operator.
        ("${params.a} 1", 19, "expected a comparison operator: ==, !=, <, <=, > or >="),
        ("${params.a} = 1", 19, "expected a comparison operator: ==, !=, <, <=, > or >="),
        ("${params.a} =< 1", 19, "expected a comparison operator: ==, !=, <, <=, > or >="),
        ("${params.a} 1", 19, "expected a comparison operator: ==, !=, <, <=, > or >="),
        // Bad operands.
        ("${params.a} == full", 22, "expected an operand: a ${...} reference, a number, a quoted string, true or false; got 'full'"),
        ("${params.a} == True", 22, "expected an operand: a ${...} reference, a number, a quoted string, true or false; got 'True'"),
        ("${params.a} == .inf", 22, "expected an operand: a ${...} reference, a number, a quoted string, true or false; got '.inf'"),
        ("${params.a} == 1_000", 22, "expected an operand: a ${...} reference, a number, a quoted string, true or false; got '1_000'"),
        ("maybe < 1", 7, "expected an operand: a ${...} reference, a number, a quoted string, true or false; got 'maybe'"),
        ("${params.a} ==", 21, "expected an operand: a ${...} reference, a number, a quoted string, true or false"),
        ("${params.a} == 'full", 22, "unterminated string literal"),
        ("${params.a == 1", 7, "unterminated '${'"),
        ("${params.a} == ${params.b", 22, "unterminated '${'"),
    ])
    func malformedConditionsAreReportedWithAColumn(written: String, column: Int, message: String) throws {
        let (parsed, diagnostics) = try condition(written)
        #expect(parsed == nil)
        #expect(diagnostics == ["p.yaml:1:\(column): error: \(message)"])
    }

    @Test func errorColumnsInQuotedScalarsCountTheQuote() throws {
        let (_, diagnostics) = try condition("'${params.a} == full'")
        #expect(diagnostics == ["p.yaml:1:23: error: expected an operand: a ${...} reference, a number, a quoted string, true or false; got 'full'"])
    }

    @Test func badReferencesAreReportedByTheReferenceParser() throws {
        let (parsed, diagnostics) = try condition("${params.a} == ${param.b}")
        #expect(parsed == nil)
        #expect(diagnostics == [
            "p.yaml:1:22: error: unknown reference '${param.b}' (did you mean 'params'?); a reference starts with params, tasks, item, pipeline or task",
        ])
    }
}

@Suite struct CompoundConditionTests {
    @Test func andBindsTighterThanOrAndNotTighterStill() throws {
        #expect(try summary("${params.a} > 1 or ${params.b} == 'x' and not ${params.c}") ==
            "(ref params.a@1:7 > int 1 or (ref params.b@1:26 == string 'x' and not (ref params.c@1:53 == bool true)))")
        #expect(try summary("(${params.a} > 1 or ${params.b} < 2) and ${params.d}") ==
            "((ref params.a@1:8 > int 1 or ref params.b@1:27 < int 2) and ref params.d@1:48 == bool true)")
    }

    @Test(arguments: [
        ("(${params.a} > 1", "p.yaml:1:7: error: expected ')' to close the '(' here"),
        ("${params.a} > 1 and", "p.yaml:1:26: error: expected an operand: a ${...} reference, a number, a quoted string, true or false"),
        ("${params.a} > 1 ${params.b}", "p.yaml:1:23: error: unexpected text after the condition; join comparisons with and, or, not and parentheses"),
    ])
    func malformedCompoundConditionsAreReportedWhereTheyGoWrong(written: String, expected: String) throws {
        #expect(try condition(written).diagnostics == [expected])
    }
}
