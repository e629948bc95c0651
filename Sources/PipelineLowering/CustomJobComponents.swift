import Diagnostics
import JSON
import PipelineConfig
import PipelineIR

/// A component run as a Vertex AI CustomJob, made as GCPC's
/// `create_custom_training_job_from_component` makes it: GCPC's custom-job launcher, whose
/// inputs take the settings as defaults, with the component's own inputs and outputs added
/// (the component's winning where names meet), and the component's container run in each
/// replica of the worker pool.
struct CustomJobComponents {
    let diagnostics: DiagnosticEngine

    /// The launcher inputs whose defaults the settings of the same name replace.
    private static let jobSettings: Set<String> = [
        "display_name", "timeout", "restart_job_on_worker_restart", "strategy", "max_wait_duration", "service_account",
        "tensorboard", "enable_web_access", "network", "reserved_ip_ranges", "base_output_directory", "labels",
        "encryption_spec_key_name", "persistent_resource_id", "psc_interface_config",
    ]
    /// Launcher inputs that have no default unless set (GCPC's `None`).
    private static let unsetUnlessGiven: Set<String> = ["reserved_ip_ranges", "labels", "psc_interface_config"]

    func wrap(_ component: ComponentDefinition, _ config: CustomJobConfig) -> ComponentDefinition? {
        switch component.executor {
        case .container, .pythonFunction, .compiled: break
        default:
            diagnostics.error(
                .customJobWorker, "a pipeline cannot run as a custom job; a container, a Python function or a component file with a container can",
                at: config.location)
            return nil
        }
        if config.setting("network") != nil, let psc = config.setting("psc_interface_config") {
            diagnostics.error(.customJobConflict, "custom_job cannot set both 'network' and 'psc_interface_config'", at: psc.location)
            return nil
        }
        guard let launcher = BuiltinComponents.load("vertex/custom-job", diagnostics: diagnostics),
              case .compiled(let launcherContainer) = launcher.executor
        else { return nil }

        let inputs = launcher.inputs.map { input -> IOSpec in
            var input = input
            if input.name == "display_name" { input.defaultValue = .string(component.name) }
            if Self.unsetUnlessGiven.contains(input.name) { input.defaultValue = nil }
            if Self.jobSettings.contains(input.name), let value = config.setting(input.name) {
                input.defaultValue = ConstantValues.json(value)
            }
            return input
        }
        let own = Set(component.inputs.map(\.name))
        let executor = CustomJobExecutor(
            launcher: launcherContainer, launcherInputs: Set(launcher.inputs.map(\.name)).subtracting(own),
            worker: component.executor, workerPool: workerPool(config))
        return ComponentDefinition(
            name: component.name, reference: component.reference,
            inputs: Self.merged(inputs, component.inputs), outputs: Self.merged(launcher.outputs, component.outputs),
            executor: .customJob(executor))
    }

    /// The launcher's specs not named by the component's, then the component's.
    private static func merged(_ launcher: [IOSpec], _ own: [IOSpec]) -> [IOSpec] {
        let names = Set(own.map(\.name))
        return launcher.filter { !names.contains($0.name) } + own
    }

    private func workerPool(_ config: CustomJobConfig) -> WorkerPool {
        func string(_ name: String) -> String? { config.setting(name).flatMap { ConstantValues.json($0).stringValue } }
        func integer(_ name: String) -> Int? {
            if case .int(let number)? = config.setting(name)?.content { return number }
            return nil
        }
        let acceleratorType = string("accelerator_type") ?? ""
        let bootDiskType = string("boot_disk_type") ?? "pd-ssd"
        let affinity = string("reservation_affinity_type").map { type in
            WorkerPool.ReservationAffinity(
                type: type, key: string("reservation_affinity_key"),
                values: config.setting("reservation_affinity_values").map { value in
                    (value.listItems ?? []).compactMap { ConstantValues.json($0).stringValue }
                })
        }
        var environment: [(name: String, value: String)] = []
        if case .map(let entries)? = config.setting("env")?.content {
            environment = entries.map { ($0.key.value, ConstantValues.json($0.value).stringValue ?? "") }
        }
        return WorkerPool(
            machineType: string("machine_type") ?? "n1-standard-4",
            accelerator: acceleratorType.isEmpty ? nil : (acceleratorType, integer("accelerator_count") ?? 1),
            reservationAffinity: affinity,
            bootDisk: bootDiskType.isEmpty ? nil : (bootDiskType, integer("boot_disk_size_gb") ?? 100),
            nfsMounts: (config.setting("nfs_mounts")?.listItems ?? []).map(ConstantValues.json),
            environment: environment,
            replicaCount: integer("replica_count") ?? 1)
    }
}

extension DiagnosticID {
    static let customJobWorker = DiagnosticID("custom-job-worker")
    static let customJobConflict = DiagnosticID("custom-job-conflict")
}
