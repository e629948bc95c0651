import JSON
import PipelineIR
import Testing

@Suite struct CustomJobTests {
    private static func component(_ customJob: String, inputs: String = "") -> ComponentDefinition? {
        let (ir, diagnostics) = lower("""
            name: jobs
            components:
              train:
                container: {image: "gcr.io/acme/train:1", command: [train, "${inputs.location}"]}
                inputs: {location: string\(inputs)}
                custom_job: \(customJob)
            tasks:
              train: {uses: train, with: {location: us-central1}}
            """)
        #expect(diagnostics.isEmpty)
        return ir?.components.first { $0.name == "train" }
    }

    @Test func theComponentsInputsWinWhereNamesMeetAndTheLaunchersOutputIsAdded() throws {
        let train = try #require(Self.component("{machine_type: n1-standard-8}"))
        // The launcher's own location (a default) gives way to the component's (required).
        let location = try #require(train.input("location"))
        #expect(location.isRequired)
        #expect(train.inputs.filter { $0.name == "location" }.count == 1)
        #expect(train.input("project")?.defaultValue == .string("{{$.pipeline_google_cloud_project_id}}"))
        #expect(train.output("gcp_resources") != nil)
        guard case .customJob(let job) = train.executor, case .container(let worker) = job.worker else {
            Issue.record("train is not a custom job running its container")
            return
        }
        #expect(worker.image == "gcr.io/acme/train:1")
        #expect(job.workerPool.machineType == "n1-standard-8")
    }

    @Test func settingsBecomeDefaultsAndUnsetOnesKeepGCPCsDefaults() throws {
        let train = try #require(Self.component("{timeout: 3600s, labels: {team: ml}, accelerator_type: NVIDIA_L4}"))
        #expect(train.input("display_name")?.defaultValue == .string("train"))
        #expect(train.input("timeout")?.defaultValue == .string("3600s"))
        #expect(train.input("labels")?.defaultValue == .object(["team": .string("ml")]))
        // GCPC leaves these without a default unless given.
        #expect(train.input("reserved_ip_ranges")?.defaultValue == nil)
        #expect(train.input("psc_interface_config")?.defaultValue == nil)
        #expect(train.input("strategy")?.defaultValue == .string("STANDARD"))
        guard case .customJob(let job) = train.executor else { Issue.record("not a custom job"); return }
        #expect(job.workerPool.accelerator?.type == "NVIDIA_L4")
        #expect(job.workerPool.accelerator?.count == 1)
        #expect(job.workerPool.bootDisk?.type == "pd-ssd")
        #expect(job.workerPool.bootDisk?.sizeGB == 100)
        #expect(job.workerPool.replicaCount == 1)
    }

    @Test func anEmptyBootDiskTypeLeavesTheDiskOut() throws {
        let train = try #require(Self.component("{boot_disk_type: \"\", replica_count: 3}"))
        guard case .customJob(let job) = train.executor else { Issue.record("not a custom job"); return }
        #expect(job.workerPool.bootDisk == nil)
        #expect(job.workerPool.replicaCount == 3)
    }
}
