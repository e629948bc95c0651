import PipelineConfig
@testable import PipelineIR
@testable import PipelineSpecEmitter
import Testing

/// Conditions in the CEL form of the kfp 2.15 compiler.
@Suite struct CELConditionTests {
    static let names = KFPNames([GroupIR(displayName: nil, kind: .root, parent: nil, members: [])], tasks: [])
    static let score = ConditionTerm.Operand.channel(Channel(source: .taskOutput(task: "evaluate", output: "aupr"), type: .parameter(.float)))
    static let rows = ConditionTerm.Operand.channel(Channel(source: .param("min_rows"), type: .parameter(.int)))
    static let mode = ConditionTerm.Operand.channel(Channel(source: .param("mode"), type: .parameter(.string)))

    static func term(_ left: ConditionTerm.Operand, _ comparison: Condition.Operator, _ right: ConditionTerm.Operand, negated: Bool = false) -> ConditionTerm {
        ConditionTerm(left: left, comparison: comparison, right: right, isNegated: negated)
    }

    @Test func floatsAreReadAsTheyAre() {
        #expect(CELCondition.render([Self.term(Self.score, .greaterOrEqual, .float(0.5))], names: Self.names)
            == "inputs.parameter_values['pipelinechannel--evaluate-aupr'] >= 0.5")
    }

    @Test func integersAreCastAndWidenedAgainstFloats() {
        #expect(CELCondition.render([Self.term(Self.rows, .greater, .int(3))], names: Self.names)
            == "int(inputs.parameter_values['pipelinechannel--min_rows']) > 3")
        #expect(CELCondition.render([Self.term(Self.rows, .less, .float(2.5))], names: Self.names)
            == "double(int(inputs.parameter_values['pipelinechannel--min_rows'])) < 2.5")
        #expect(CELCondition.render([Self.term(.int(1), .lessOrEqual, Self.score)], names: Self.names)
            == "double(1) <= inputs.parameter_values['pipelinechannel--evaluate-aupr']")
    }

    @Test func stringsAreSingleQuotedAndEscaped() {
        #expect(CELCondition.render([Self.term(Self.mode, .equal, .string("full"))], names: Self.names)
            == "inputs.parameter_values['pipelinechannel--mode'] == 'full'")
        #expect(CELCondition.render([Self.term(Self.mode, .notEqual, .string(#"it's a \ test"#))], names: Self.names)
            == #"inputs.parameter_values['pipelinechannel--mode'] != 'it\'s a \\ test'"#)
    }

    @Test func elseBranchesAreConjunctionsOfNegations() {
        let rendered = CELCondition.render([
            Self.term(Self.score, .greater, .float(0.9), negated: true),
            Self.term(.bool(true), .equal, .bool(false)),
        ], names: Self.names)
        #expect(rendered == "!(inputs.parameter_values['pipelinechannel--evaluate-aupr'] > 0.9) && true == false")
    }
}

@Suite struct CompoundCELTests {
    static let names = CELConditionTests.names
    static let a = ConditionTerm.Operand.channel(Channel(source: .param("a"), type: .parameter(.int)))
    static let b = ConditionTerm.Operand.channel(Channel(source: .param("b"), type: .parameter(.string)))

    static func compare(_ left: ConditionTerm.Operand, _ op: Condition.Operator, _ right: ConditionTerm.Operand) -> ConditionTerm.Expression {
        .comparison(left: left, comparison: op, right: right)
    }

    @Test func orInsideAndIsParenthesizedAndNotWrapsItsOperand() {
        let expression = ConditionTerm.Expression.all([
            .any([Self.compare(Self.a, .greater, .int(1)), Self.compare(Self.b, .equal, .string("x"))]),
            .not(Self.compare(Self.b, .notEqual, .string("y"))),
        ])
        #expect(CELCondition.render([ConditionTerm(expression, isNegated: false)], names: Self.names)
            == "(int(inputs.parameter_values['pipelinechannel--a']) > 1 || inputs.parameter_values['pipelinechannel--b'] == 'x') && !(inputs.parameter_values['pipelinechannel--b'] != 'y')")
    }

    @Test func anOrTermBesideOthersIsParenthesizedAndANegatedOneWrapped() {
        let any = ConditionTerm.Expression.any([Self.compare(Self.a, .less, .int(0)), Self.compare(Self.a, .greater, .int(9))])
        let rendered = CELCondition.render([ConditionTerm(any, isNegated: true), ConditionTerm(any, isNegated: false)], names: Self.names)
        let read = "int(inputs.parameter_values['pipelinechannel--a'])"
        #expect(rendered == "!(\(read) < 0 || \(read) > 9) && (\(read) < 0 || \(read) > 9)")
    }
}
