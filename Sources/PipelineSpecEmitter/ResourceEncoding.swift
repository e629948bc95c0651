import JSON
import PipelineIR

/// Container resources as kfp 2.15 writes them: each request both as written
/// (`resourceCpuLimit: "500m"`) and as a number (`cpuLimit: 0.5`, memory in gigabytes).
enum ResourceEncoding {
    static func json(_ resources: ResourceRequests) -> JSONValue {
        var object = JSONObject()
        let requests: [(key: String, written: String?, amount: (String) -> Double)] = [
            ("CpuLimit", resources.cpuLimit, cores), ("CpuRequest", resources.cpuRequest, cores),
            ("MemoryLimit", resources.memoryLimit, gigabytes), ("MemoryRequest", resources.memoryRequest, gigabytes),
        ]
        for request in requests {
            guard let written = request.written else { continue }
            object.append(request.key.prefix(1).lowercased() + request.key.dropFirst(), .double(request.amount(written)))
            object.append("resource" + request.key, .string(written))
        }
        if let type = resources.acceleratorType {
            let count = String(resources.acceleratorCount ?? 1)
            object.append("accelerator", .object([
                "count": .string(count), "resourceCount": .string(count),
                "resourceType": .string(type), "type": .string(type),
            ]))
        }
        return .object(object)
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
