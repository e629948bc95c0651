import Diagnostics
import PipelineConfig
import PipelineIR

// The conditions of condition groups, resolved once every task is known.
extension Lowerer {
    func resolveConditions(of group: GroupID) {
        guard let conditions = pendingConditions[group] else { return }
        var terms: [ConditionTerm] = []
        for (condition, isNegated) in conditions {
            guard let expression = resolve(condition.expression, condition, in: group) else { continue }
            // An elif or else branch restates earlier conditions, negated; their dependencies
            // are checked once, in the branch that states them.
            for comparison in condition.comparisons where !isNegated {
                for case .reference(let reference, let location) in [comparison.left, comparison.right] {
                    conditionDependencies[group, default: []] += dependencies(on: reference, at: location, from: .group(group))
                }
            }
            terms.append(ConditionTerm(expression, isNegated: isNegated))
        }
        groups[group].kind = .condition(terms)
    }

    /// The expression with its operands resolved and each comparison checked; `nil` when one
    /// is wrong (all are checked).
    private func resolve(_ expression: Condition.Expression, _ condition: Condition, in group: GroupID) -> ConditionTerm.Expression? {
        switch expression {
        case .comparison(let comparison):
            let (left, right) = (operand(comparison.left, condition, in: group), operand(comparison.right, condition, in: group))
            guard let left, let right, checkComparable(left, right, at: comparison.location) else { return nil }
            return .comparison(left: left, comparison: comparison.comparison, right: right)
        case .not(let inner):
            return resolve(inner, condition, in: group).map(ConditionTerm.Expression.not)
        case .all(let parts):
            let resolved = parts.map { resolve($0, condition, in: group) }
            return resolved.contains { $0 == nil } ? nil : .all(resolved.map { $0! })
        case .any(let parts):
            let resolved = parts.map { resolve($0, condition, in: group) }
            return resolved.contains { $0 == nil } ? nil : .any(resolved.map { $0! })
        }
    }

    func operand(_ operand: Condition.Operand, _ condition: Condition, in group: GroupID) -> ConditionTerm.Operand? {
        switch operand {
        case .string(let text): return .string(text)
        case .int(let number): return .int(number)
        case .float(let number): return .float(number)
        case .bool(let flag): return .bool(flag)
        case .reference(let reference, let location):
            switch resolve(reference, at: location, from: .group(group)) {
            case nil: return nil
            case .runtime(let value):
                diagnostics.error(.conditionOperand, "a condition cannot test '${\(value.rawValue)}'; compare params and task outputs", at: location)
                return nil
            case .loopItemField:
                diagnostics.error(.conditionOperand, "a condition cannot test a field of an item yet; compare params and task outputs", at: location)
                return nil
            case .channel(let channel):
                switch channel.type {
                case .parameter(.list), .parameter(.struct), .artifact, .artifactList:
                    diagnostics.error(.conditionOperand, "'${\(reference.spelling)}' is \(ArgumentBinder.typeName(channel.type)); conditions compare strings, numbers and booleans", at: location)
                    return nil
                case .parameter:
                    return .channel(channel)
                }
            }
        }
    }

    /// Operands must have the same type, except that integers and floats compare.
    func checkComparable(_ left: ConditionTerm.Operand, _ right: ConditionTerm.Operand, at location: SourceLocation) -> Bool {
        let types = [left.type, right.type]
        if case .channel = left {} else if case .channel = right {} else {
            diagnostics.error(.conditionConstant, "a condition must test a ${params.NAME} or ${tasks.TASK.outputs.NAME}, not only constants", at: location)
            return false
        }
        let numeric: Set<ParameterType> = [.int, .float]
        guard types[0] == types[1] || (numeric.contains(types[0]) && numeric.contains(types[1])) else {
            diagnostics.error(.conditionTypeMismatch, "cannot compare \(types[0].phrase) (\(types[0].rawValue)) with \(types[1].phrase) (\(types[1].rawValue))", at: location)
            return false
        }
        return true
    }
}

extension DiagnosticID {
    static let conditionOperand = DiagnosticID("condition-operand")
    static let conditionConstant = DiagnosticID("condition-constant")
    static let conditionTypeMismatch = DiagnosticID("condition-type-mismatch")
}
