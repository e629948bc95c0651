import JSON
@testable import PipelineIR
@testable import PipelineSpecEmitter
import Testing

/// Compute requests must come out as the same doubles kfp 2.15 writes (values below were
/// printed by kfp's own conversion functions).
@Suite struct ResourceEncodingTests {
    @Test(arguments: [
        ("1E", 1000000000.0), ("2Ei", 2305843009.213694), ("3P", 3000000.0), ("1Pi", 1125899.906842624),
        ("2T", 2000.0), ("1Ti", 1099.511627776), ("4G", 4.0), ("32Gi", 34.359738368), ("512M", 0.512),
        ("512Mi", 0.536870912), ("100K", 0.0001), ("64Ki", 6.5536e-05), ("123456789", 0.123456789),
    ])
    func memoryIsInGigabytes(text: String, gigabytes: Double) {
        #expect(ResourceEncoding.gigabytes(text) == gigabytes)
    }

    @Test(arguments: [("500m", 0.5), ("2", 2.0), ("0.5", 0.5), (".25", 0.25)])
    func cpuIsInCores(text: String, cores: Double) {
        #expect(ResourceEncoding.cores(text) == cores)
    }

    @Test func everyRequestIsWrittenTwiceAndTheAcceleratorCountAsAString() {
        let requests = ResourceRequests(cpuLimit: .constant("4"), cpuRequest: nil, memoryLimit: nil, memoryRequest: .constant("1Gi"),
                                        acceleratorType: .constant("TPU_V3"), acceleratorCount: .constant("8"))
        let expected: JSONValue = .object([
            "cpuLimit": .double(4), "resourceCpuLimit": .string("4"),
            "memoryRequest": .double(1.073741824), "resourceMemoryRequest": .string("1Gi"),
            "accelerator": .object(["count": .string("8"), "resourceCount": .string("8"),
                                    "resourceType": .string("TPU_V3"), "type": .string("TPU_V3")]),
        ])
        #expect(ResourceEncoding.json(requests, names: KFPNames([], tasks: [])) == expected)
    }

    /// A param's value is known when the task runs: only the `resource` fields, holding the
    /// placeholder of the input that carries it, with no numeric form.
    @Test func aRequestFromAParamIsWrittenOnceAsAPlaceholder() {
        let cpu = Channel(source: .param("cpu"), type: .parameter(.string))
        let gpus = Channel(source: .param("gpus"), type: .parameter(.int))
        let requests = ResourceRequests(cpuLimit: .channel(cpu), cpuRequest: nil, memoryLimit: nil, memoryRequest: nil,
                                        acceleratorType: .constant("TPU_V3"), acceleratorCount: .channel(gpus))
        let expected: JSONValue = .object([
            "resourceCpuLimit": .string("{{$.inputs.parameters['pipelinechannel--cpu']}}"),
            "accelerator": .object(["resourceCount": .string("{{$.inputs.parameters['pipelinechannel--gpus']}}"),
                                    "resourceType": .string("TPU_V3"), "type": .string("TPU_V3")]),
        ])
        #expect(ResourceEncoding.json(requests, names: KFPNames([], tasks: [])) == expected)
        #expect(ResourceEncoding.taskInputs(requests).map(\.input) == ["accelerator_count", "cpu_limit"])
    }
}
