import Diagnostics
import PipelineConfig
import PipelineIR

// Compute requests: constants as Kubernetes reads them, or params (as KFP allows).
extension Lowerer {
    /// The requests of `task` (`nil` for the defaults'), each a constant or a param of the type KFP accepts there; `nil` after
    /// reporting a request that is neither.
    func resources(_ config: ResourcesConfig, of task: String?) -> ResourceRequests? {
        var valid = true
        func amount(_ value: Value?, _ key: String, takes types: [ParameterType]) -> ResourceAmount? {
            guard let value else { return nil }
            switch value.content {
            case .int(let number): return .constant(String(number))
            case .float(let number): return .constant(String(number))
            case .string(let template):
                if let text = template.constantText { return .constant(text) }
                guard let whole = template.wholeReference, case .param(let name) = whole.reference else {
                    diagnostics.error(.resourceAmount, "\(key) takes a constant or one param, such as ${params.NAME}; a task output or text around a reference is not allowed here", at: value.location)
                    valid = false
                    return nil
                }
                guard case .channel(let channel)? = resolve(whole.reference, at: whole.location, from: task.map(Reader.task) ?? .pipelineOutputs) else {
                    valid = false
                    return nil
                }
                guard case .parameter(let type) = channel.type, types.contains(type) else {
                    diagnostics.error(.resourceAmount,
                        "\(key) takes \(types.map { "\($0.phrase) (\($0.rawValue))" }.joined(separator: " or ")), but param '\(name)' is \(ArgumentBinder.typeName(channel.type))",
                        at: whole.location)
                    valid = false
                    return nil
                }
                return .channel(channel)
            default:
                return nil  // the schema admits numbers and strings only
            }
        }
        let requests = ResourceRequests(
            cpuLimit: amount(config.cpuLimit, "cpu_limit", takes: [.string]),
            cpuRequest: amount(config.cpuRequest, "cpu_request", takes: [.string]),
            memoryLimit: amount(config.memoryLimit, "memory_limit", takes: [.string]),
            memoryRequest: amount(config.memoryRequest, "memory_request", takes: [.string]),
            acceleratorType: amount(config.acceleratorType, "accelerator type", takes: [.string]),
            acceleratorCount: config.acceleratorType == nil ? nil : amount(config.acceleratorCount, "accelerator count", takes: [.int, .string]) ?? .constant("1"))
        return valid ? requests : nil
    }
}

extension DiagnosticID {
    static let resourceAmount = DiagnosticID("resource-amount")
}
