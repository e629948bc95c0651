import Diagnostics
import PipelineConfig

// Machines: Compute Engine machine types, Vertex AI accelerators and their counts, replica
// counts.
extension GoogleCloudChecks {
    static let machineTypeInputs: Set<String> = [
        "machine_type", "dedicated_resources_machine_type", "launcher_machine_type", "dataflow_machine_type",
    ]
    /// Accelerator-type inputs and the count input that goes with each, in the order checked.
    static let acceleratorInputs: [(type: String, count: String)] = [
        ("accelerator_type", "accelerator_count"),
        ("dedicated_resources_accelerator_type", "dedicated_resources_accelerator_count"),
    ]
    /// Minimum and maximum replica-count inputs.
    private static let replicaRanges: [(minimum: String, maximum: String)] = [
        ("dedicated_resources_min_replica_count", "dedicated_resources_max_replica_count"),
        ("automatic_resources_min_replica_count", "automatic_resources_max_replica_count"),
        ("starting_replica_count", "max_replica_count"),
    ]
    /// Vertex AI's `AcceleratorType` values (google.cloud.aiplatform.v1), unspecified left out.
    static let acceleratorTypes = [
        "NVIDIA_TESLA_K80", "NVIDIA_TESLA_P100", "NVIDIA_TESLA_V100", "NVIDIA_TESLA_P4", "NVIDIA_TESLA_T4",
        "NVIDIA_TESLA_A100", "NVIDIA_A100_80GB", "NVIDIA_L4", "NVIDIA_H100_80GB", "NVIDIA_H100_MEGA_80GB",
        "NVIDIA_H200_141GB", "NVIDIA_B200", "NVIDIA_GB200", "NVIDIA_RTX_PRO_6000",
        "TPU_V2", "TPU_V3", "TPU_V4_POD", "TPU_V5_LITEPOD",
    ]
    /// GPUs attach to Compute Engine machines in these numbers.
    private static let gpuCounts: Set<Int> = [1, 2, 4, 8, 16]

    /// A machine type such as `n1-standard-4`: lowercase words joined by hyphens. An empty
    /// one leaves the choice to the service.
    func checkMachineType(_ template: Template, input: String) {
        let shape = StaticShape(template)
        let allowed = shape.text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        let isWhole = template.constantText.map { $0.isEmpty || Self.isMachineTypeShape($0) } ?? true
        if !allowed || !isWhole {
            diagnostics.error(
                .invalidMachineType, "\(input) '\(shape.text)' is not a Compute Engine machine type such as n1-standard-4 (lowercase letters, digits and hyphens)",
                at: template.location)
        }
    }

    private static func isMachineTypeShape(_ text: String) -> Bool {
        let words = text.split(separator: "-", omittingEmptySubsequences: false)
        return words.count >= 2 && words.allSatisfy { !$0.isEmpty } && words[0].first!.isLetter
    }

    /// An accelerator type Vertex AI knows; an empty one attaches none.
    func checkAcceleratorType(_ template: Template, input: String) {
        guard let text = template.constantText, !text.isEmpty, !Self.acceleratorTypes.contains(text) else { return }
        let spelledAsEnum = String(text.uppercased().map { $0 == "-" ? "_" : $0 })
        let phrase = Self.acceleratorTypes.contains(spelledAsEnum)
            ? " (did you mean '\(spelledAsEnum)'?)"
            : Suggestions.suggestion(for: text, at: nil, in: Self.acceleratorTypes).phrase
        diagnostics.error(
            .invalidAcceleratorType, "\(input) '\(text)' is not one of Vertex AI's accelerator types (AcceleratorType)\(phrase)",
            at: template.location)
    }

    /// A count needs a type; GPUs come in 1, 2, 4, 8 or 16, every accelerator in at least 1.
    func checkAcceleratorCounts(_ arguments: [Argument]) {
        for (typeInput, countInput) in Self.acceleratorInputs {
            guard let count = arguments.first(where: { $0.name.value == countInput })?.value,
                  case .int(let number) = count.content
            else { continue }
            let type = arguments.first { $0.name.value == typeInput }?.value
            guard case .string(let template)? = type?.content else {
                if type == nil, number > 0 {
                    diagnostics.error(.invalidAcceleratorCount, "\(countInput) is set but \(typeInput) is not, so no accelerator is attached", at: count.location)
                }
                continue
            }
            guard let name = template.constantText, Self.acceleratorTypes.contains(name) else { continue }
            if name.hasPrefix("NVIDIA_"), !Self.gpuCounts.contains(number) {
                diagnostics.error(.invalidAcceleratorCount, "\(countInput) is \(number); \(name) GPUs attach in 1, 2, 4, 8 or 16", at: count.location)
            } else if number < 1 {
                diagnostics.error(.invalidAcceleratorCount, "\(countInput) is \(number); with \(typeInput) \(name) it must be at least 1", at: count.location)
            }
        }
    }

    /// A minimum replica count above the maximum (a maximum of 0 means "not set").
    func checkReplicaCounts(_ arguments: [Argument]) {
        func constant(_ name: String) -> (Int, Value)? {
            guard let value = arguments.first(where: { $0.name.value == name })?.value, case .int(let number) = value.content else { return nil }
            return (number, value)
        }
        for range in Self.replicaRanges {
            guard let (minimum, _) = constant(range.minimum), let (maximum, value) = constant(range.maximum), maximum > 0, minimum > maximum else { continue }
            diagnostics.error(
                .invalidReplicaCount, "\(range.maximum) is \(maximum), below \(range.minimum) (\(minimum))", at: value.location)
        }
    }
}

extension DiagnosticID {
    static let invalidMachineType = DiagnosticID("invalid-machine-type")
    static let invalidAcceleratorType = DiagnosticID("invalid-accelerator-type")
    static let invalidAcceleratorCount = DiagnosticID("invalid-accelerator-count")
    static let invalidReplicaCount = DiagnosticID("invalid-replica-count")
}
