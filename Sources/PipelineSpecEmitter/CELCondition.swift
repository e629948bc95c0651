import JSON
import PipelineConfig
import PipelineIR

/// Conditions in the CEL form the KFP compiler writes, e.g.
/// `int(inputs.parameter_values['pipelinechannel--k']) > 3`: integer channels are read with
/// `int(...)`, an integer compared with a float is widened with `double(...)`, and an elif or
/// else branch is the conjunction of the earlier branches' negations and its own test;
/// `and`, `or` and `not` become `&&`, `||` and `!(…)`, with parentheses where `||` meets `&&`.
enum CELCondition {
    static func render(_ terms: [ConditionTerm], names: KFPNames) -> String {
        terms.map { term in
            if term.isNegated { return "!(\(render(term.expression, names)))" }
            // `||` binds looser than the `&&` that joins terms.
            if case .any = term.expression, terms.count > 1 { return "(\(render(term.expression, names)))" }
            return render(term.expression, names)
        }.joined(separator: " && ")
    }

    private static func render(_ expression: ConditionTerm.Expression, _ names: KFPNames) -> String {
        switch expression {
        case .comparison(let left, let comparison, let right):
            let widensToDouble = Set([left.type, right.type]) == [.int, .float]
            let operands = [left, right].map { operand -> String in
                let text = value(operand, names)
                return widensToDouble && operand.type == .int ? "double(\(text))" : text
            }
            return "\(operands[0]) \(comparison.rawValue) \(operands[1])"
        case .not(let inner):
            return "!(\(render(inner, names)))"
        case .all(let parts):
            return parts.map { part in
                if case .any = part { return "(\(render(part, names)))" }
                return render(part, names)
            }.joined(separator: " && ")
        case .any(let parts):
            return parts.map { render($0, names) }.joined(separator: " || ")
        }
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
