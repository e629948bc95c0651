import PipelineConfig
@testable import PipelineIR
@testable import PipelineSpecEmitter
import Testing

/// Conditions in the CEL form of the kfp 2.15 compiler.
@Suite struct CELConditionTests {
    static let names = KFPNames([GroupIR(displayName: nil, kind: .root, parent: nil, members: [])])
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
