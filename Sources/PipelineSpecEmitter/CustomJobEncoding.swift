import JSON
import PipelineIR

/// The worker pools of a CustomJob component as GCPC writes them into the default of the
/// launcher's `worker_pool_specs` input: Vertex AI `WorkerPoolSpec`s in snake case, each
/// running the worker's container with the executor input JSON-escaped (the launcher puts
/// the pools into a JSON payload).
enum CustomJobEncoding {
    static let workerPoolSpecsInput = "worker_pool_specs"

    /// The component's inputs with the worker pools as the default of `worker_pool_specs`.
    static func inputs(_ inputs: [IOSpec], _ job: CustomJobExecutor) -> [IOSpec] {
        inputs.map { input in
            guard input.name == workerPoolSpecsInput else { return input }
            var input = input
            input.defaultValue = workerPoolSpecs(job)
            return input
        }
    }

    private static func workerPoolSpecs(_ job: CustomJobExecutor) -> JSONValue {
        let pool = job.workerPool
        let container = ExecutorEncoding.container(job.worker) ?? [:]
        func escaped(_ key: String) -> JSONValue {
            guard case .array(let arguments)? = container[key] else { return [] }
            return .array(arguments.map { $0 == "{{$}}" ? "{{$.json_escape[1]}}" : $0 })
        }
        var machine: JSONObject = ["machine_type": .string(pool.machineType)]
        if let accelerator = pool.accelerator {
            machine.append("accelerator_type", .string(accelerator.type))
            machine.append("accelerator_count", .double(Double(accelerator.count)))
        }
        if let affinity = pool.reservationAffinity {
            var object: JSONObject = ["reservation_affinity_type": .string(affinity.type)]
            if let key = affinity.key { object.append("key", .string(key)) }
            if let values = affinity.values { object.append("values", .array(values.map(JSONValue.string))) }
            machine.append("reservation_affinity", .object(object))
        }
        var spec: JSONObject = [
            "machine_spec": .object(machine),
            "replica_count": .double(1),
            "container_spec": .object([
                "image_uri": container["image"] ?? "",
                "command": escaped("command"),
                "args": escaped("args"),
                "env": .array(pool.environment.map { .object(["name": .string($0.name), "value": .string($0.value)]) }),
            ]),
        ]
        if let disk = pool.bootDisk {
            spec.append("disk_spec", .object(["boot_disk_type": .string(disk.type), "boot_disk_size_gb": .double(Double(disk.sizeGB))]))
        }
        if !pool.nfsMounts.isEmpty { spec.append("nfs_mounts", .array(pool.nfsMounts)) }
        var pools: [JSONValue] = [.object(spec)]
        if pool.replicaCount > 1 {
            spec["replica_count"] = .double(Double(pool.replicaCount - 1))
            pools.append(.object(spec))
        }
        return .array(pools)
    }
}
