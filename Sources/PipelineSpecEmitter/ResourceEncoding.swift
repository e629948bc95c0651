import JSON
import PipelineIR

/// Container resources as kfp 2.15 writes them: each constant request both as written
/// (`resourceCpuLimit: "500m"`) and as a number (`cpuLimit: 0.5`, memory in gigabytes); a
/// param's value as the placeholder of the task input that carries it, in the `resource`
/// fields alone.
enum ResourceEncoding {
    static func json(_ resources: ResourceRequests, names: KFPNames) -> JSONValue {
        func written(_ amount: ResourceAmount) -> String {
            switch amount {
            case .constant(let text): return text
            case .channel(let channel): return names.placeholder(for: channel)
            }
        }
        var object = JSONObject()
        let requests: [(key: String, amount: ResourceAmount?, number: (String) -> Double)] = [
            ("CpuLimit", resources.cpuLimit, cores), ("CpuRequest", resources.cpuRequest, cores),
            ("MemoryLimit", resources.memoryLimit, gigabytes), ("MemoryRequest", resources.memoryRequest, gigabytes),
        ]
        for request in requests {
            guard let amount = request.amount else { continue }
            if case .constant(let text) = amount {
                object.append(request.key.prefix(1).lowercased() + request.key.dropFirst(), .double(request.number(text)))
            }
            object.append("resource" + request.key, .string(written(amount)))
        }
        if let type = resources.acceleratorType, let count = resources.acceleratorCount {
            var accelerator: JSONObject = ["resourceCount": .string(written(count)), "resourceType": .string(written(type))]
            if case .constant(let text) = count { accelerator.append("count", .string(text)) }
            if case .constant(let text) = type { accelerator.append("type", .string(text)) }
            object.append("accelerator", .object(accelerator))
        }
        return .object(object)
    }

    /// The task inputs KFP adds for requests taken from params, by the request's name.
    static func taskInputs(_ resources: ResourceRequests) -> [(input: String, channel: Channel)] {
        let requests: [(String, ResourceAmount?)] = [
            ("accelerator_count", resources.acceleratorCount), ("accelerator_type", resources.acceleratorType),
            ("cpu_limit", resources.cpuLimit), ("cpu_request", resources.cpuRequest),
            ("memory_limit", resources.memoryLimit), ("memory_request", resources.memoryRequest),
        ]
        return requests.compactMap { input, amount in
            if case .channel(let channel)? = amount { return (input, channel) }
            return nil
        }
    }

    /// `"500m"` is 0.5 cores.
    static func cores(_ text: String) -> Double {
        text.hasSuffix("m") ? (Double(text.dropLast()) ?? 0) / 1000 : Double(text) ?? 0
    }

    private static let units: [(suffix: String, bytes: Double)] = [
        ("Ei", 0x1p60), ("Pi", 0x1p50), ("Ti", 0x1p40), ("Gi", 0x1p30), ("Mi", 0x1p20), ("Ki", 0x1p10),
        ("E", 1e18), ("P", 1e15), ("T", 1e12), ("G", 1e9), ("M", 1e6), ("K", 1e3),
    ]

    /// Memory in gigabytes (10^9 bytes), computed in the same order of operations as kfp so
    /// the doubles come out identical.
    static func gigabytes(_ text: String) -> Double {
        for unit in units where text.hasSuffix(unit.suffix) {
            let amount = Double(text.dropLast(unit.suffix.count)) ?? 0
            return unit.suffix == "G" ? amount : amount * unit.bytes / 1e9
        }
        return (Double(text) ?? 0) / 1e9
    }
}
