import PipelineConfig
import PipelineIR

/// Conditions and channels as the pipeline file writes them, for labels.
enum ConditionText {
    static func render(_ expression: ConditionTerm.Expression) -> String {
        switch expression {
        case .comparison(let left, let comparison, let right):
            return "\(operand(left)) \(comparison.rawValue) \(operand(right))"
        case .not(let inner): return "not (\(render(inner)))"
        case .all(let parts): return parts.map(render).joined(separator: " and ")
        case .any(let parts): return "(" + parts.map(render).joined(separator: " or ") + ")"
        }
    }

    static func reference(_ channel: Channel) -> String {
        switch channel.source {
        case .param(let name): return "${params.\(name)}"
        case .taskOutput(let task, let output): return "${tasks.\(task).outputs.\(output)}"
        case .collected(let task, let output, _): return "${tasks.\(task).outputs.\(output).collected}"
        case .loopItem: return "${item}"
        case .oneOf(_, let output): return "the branch's \(output)"
        }
    }

    private static func operand(_ operand: ConditionTerm.Operand) -> String {
        switch operand {
        case .channel(let channel): return reference(channel)
        case .string(let text): return "'\(text)'"
        case .int(let number): return String(number)
        case .float(let number): return String(number)
        case .bool(let flag): return String(flag)
        }
    }
}
