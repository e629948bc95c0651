import JSON
import PipelineConfig
import PipelineIR

/// Conditions in the CEL form the KFP compiler writes, e.g.
/// `int(inputs.parameter_values['pipelinechannel--k']) > 3`: integer channels are read with
/// `int(...)`, an integer compared with a float is widened with `double(...)`, and an elif or
/// else branch is the conjunction of the earlier branches' negations and its own test.
enum CELCondition {
    static func render(_ terms: [ConditionTerm], names: KFPNames) -> String {
        terms.map { render($0, names) }.joined(separator: " && ")
    }

    private static func render(_ term: ConditionTerm, _ names: KFPNames) -> String {
        let widensToDouble = Set([term.left.type, term.right.type]) == [.int, .float]
        let operands = [term.left, term.right].map { operand -> String in
            let text = value(operand, names)
            return widensToDouble && operand.type == .int ? "double(\(text))" : text
        }
        let comparison = "\(operands[0]) \(term.comparison.rawValue) \(operands[1])"
        return term.isNegated ? "!(\(comparison))" : comparison
    }

    private static func value(_ operand: ConditionTerm.Operand, _ names: KFPNames) -> String {
        switch operand {
        case .channel(let channel):
            let read = "inputs.parameter_values['\(names.input(for: channel))']"
            return operand.type == .int ? "int(\(read))" : read
        case .string(let text):
            return "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
        case .int(let number): return String(number)
        case .float(let number): return JSONWriter.pythonRepr(number)  // kfp writes str(float)
        case .bool(let flag): return flag ? "true" : "false"
        }
    }
}
