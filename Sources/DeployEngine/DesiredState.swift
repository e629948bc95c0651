import DeployConfig
import Diagnostics
import JSON
import PipeSpecCompiler

/// Computes, without any network access, what every resource of the planned environments
/// should be: a template object per deployment, and a Cloud Scheduler job or a Vertex AI
/// Schedule per schedule, each sending a `PipelineJob` whose parameter values were checked
/// against the compiled pipeline's params.
public struct DesiredStateBuilder {
    let config: DeployConfig
    let compile: (String, SourceLocation) -> CompiledPipeline?
    let diagnostics: DiagnosticEngine
    /// The current time in the form of the config's timestamps (`2027-01-04T09:00:00Z`).
    let now: String

    /// `compile` compiles the pipeline at a path (reporting to `diagnostics`; a file that
    /// cannot be read at the location that names it), or gives `nil`.
    public init(
        config: DeployConfig, now: String, diagnostics: DiagnosticEngine,
        compile: @escaping (_ path: String, _ namedAt: SourceLocation) -> CompiledPipeline?
    ) {
        self.config = config
        self.now = now
        self.diagnostics = diagnostics
        var cache: [String: CompiledPipeline?] = [:]
        self.compile = { path, location in
            if let known = cache[path] { return known }
            let compiled = compile(path, location)
            cache[path] = compiled
            return compiled
        }
    }

    /// The compiled pipeline at `path` (compiled once), or `nil` when it has errors.
    public func compiled(_ deployment: Deployment) -> CompiledPipeline? { compile(deployment.pipeline, deployment.pipelineLocation) }

    /// Every desired resource in `environments`; `nil` when the configuration has errors.
    public func resources(in environments: [Environment]) -> [DesiredResource]? {
        let errorsBefore = diagnostics.errorCount
        var resources: [DesiredResource] = []
        for environment in environments {
            for deployment in config.deployments {
                guard let pipeline = compiled(deployment) else { continue }
                resources.append(template(deployment, pipeline, in: environment))
                let schedules = deployment.schedules.filter { $0.applies(to: environment.name) }
                for schedule in schedules {
                    guard let job = pipelineJob(deployment, pipeline, in: environment, schedule: schedule) else { continue }
                    resources.append(scheduleResource(schedule, of: deployment, job: job, in: environment))
                }
                // Unscheduled, it still runs with `pipespec run`: its values must fit as well.
                if schedules.isEmpty { _ = pipelineJob(deployment, pipeline, in: environment) }
            }
        }
        checkEnvironmentParams(environments)
        checkUniqueNames(resources)
        return diagnostics.errorCount == errorsBefore ? resources : nil
    }

    /// The body `pipelineJobs.create` gets for one run: the compiled spec, the checked
    /// parameter values, the environment's output directory, service account, network and
    /// labels. `extra` values (`NAME=VALUE`, from the command line) win over the configuration's.
    public func pipelineJob(
        _ deployment: Deployment, _ pipeline: CompiledPipeline, in environment: Environment,
        schedule: Schedule? = nil, extra: [String] = []
    ) -> JSONObject? {
        var values = JobValues()
        let declared = Set(pipeline.paramNames)
        for value in deployment.params { values.add(value.name, value: value.value, keyLocation: value.keyLocation) }
        // An environment's values go to the pipelines that have such a param.
        for value in environment.params where declared.contains(value.name) {
            values.add(value.name, value: value.value, keyLocation: value.keyLocation)
        }
        let override = deployment.overrides[environment.name]
        for value in override?.params ?? [] { values.add(value.name, value: value.value, keyLocation: value.keyLocation) }
        for value in schedule?.params ?? [] { values.add(value.name, value: value.value, keyLocation: value.keyLocation) }
        for assignment in extra { _ = values.add(assignment: assignment) }

        let missing: JobValues.MissingValueReport = { param in
            let hint = extra.isEmpty ? "" : " or with --param \(param)=VALUE"
            return (
                "deployment '\(deployment.name)' has no value for required param '\(param)' in environment '\(environment.name)'; "
                    + "set it in the deployment's params, the environment's params or env.\(environment.name).params\(hint)",
                deployment.location
            )
        }
        guard case .object(var job)? = pipeline.pipelineJob(
            values: values, outputDirectory: environment.pipelineRoot, diagnostics: diagnostics, missing: missing
        ) else { return nil }
        if let displayName = deployment.displayName { job["displayName"] = .string(displayName) }
        if let caching = schedule?.caching, let spec = job["pipelineSpec"] {
            job["pipelineSpec"] = Self.settingCaching(caching, in: spec)
        }
        job["serviceAccount"] = .string(environment.serviceAccount)
        if let network = environment.network { job["network"] = .string(network) }
        let address = ResourceAddress(environment: environment.name, deployment: deployment.name, schedule: schedule?.name)
        job["labels"] = .object(labels(deployment, override: override, schedule: schedule, in: environment, address: address))
        return job
    }

    private func labels(
        _ deployment: Deployment, override: Deployment.Override?, schedule: Schedule?, in environment: Environment, address: ResourceAddress
    ) -> JSONObject {
        var labels = JSONObject()
        for label in environment.labels + deployment.labels + (override?.labels ?? []) + (schedule?.labels ?? []) {
            labels[label.key] = .string(label.value)
        }
        for (key, value) in Ownership.marks(owner: config.owner, address: address) { labels[key] = .string(value) }
        if labels.count > 64 {
            diagnostics.error(.tooManyRunLabels, "runs of '\(address)' would carry \(labels.count) labels; Vertex AI allows 64", at: (schedule?.location ?? deployment.location))
        }
        return labels
    }

    /// kfp's `enable_caching`: every task's `cachingOptions.enableCache`, in the root DAG and
    /// in every sub-DAG.
    static func settingCaching(_ enabled: Bool, in spec: JSONValue) -> JSONValue {
        guard var object = spec.objectValue else { return spec }
        func setting(_ dagOwner: JSONValue?) -> JSONValue? {
            guard var owner = dagOwner?.objectValue, var dag = owner["dag"]?.objectValue, var tasks = dag["tasks"]?.objectValue else { return dagOwner }
            for (name, task) in tasks.members {
                guard var task = task.objectValue else { continue }
                task["cachingOptions"] = .object(["enableCache": .bool(enabled)])
                tasks[name] = .object(task)
            }
            dag["tasks"] = .object(tasks)
            owner["dag"] = .object(dag)
            return .object(owner)
        }
        object["root"] = setting(object["root"])
        if var components = object["components"]?.objectValue {
            for (name, component) in components.members where component[path: "dag"] != nil {
                components[name] = setting(component)
            }
            object["components"] = .object(components)
        }
        return .object(object)
    }

    private func template(_ deployment: Deployment, _ pipeline: CompiledPipeline, in environment: Environment) -> DesiredResource {
        let address = ResourceAddress(environment: environment.name, deployment: deployment.name)
        let objectName = environment.templates.objectName("\(deployment.name).json")
        let bytes = pipeline.specBytes()
        var metadata = JSONObject()
        for (key, value) in Ownership.marks(owner: config.owner, address: address) { metadata[key] = .string(value) }
        metadata[Ownership.digestKey] = .string(sha256Hex(bytes))
        let summary = SpecSummary(spec: pipeline.spec).encoded
        // Custom metadata is limited to 8 KiB in all; a huge pipeline goes without a summary.
        if summary.utf8.count <= 6144 { metadata[Ownership.summaryKey] = .string(summary) }
        return DesiredResource(
            address: address, kind: .templateObject,
            scope: ResourceScope(kind: .templateObject, path: environment.templates.path),
            name: "gs://\(environment.templates.bucket)/\(objectName)",
            body: ["content": .string(String(decoding: bytes, as: UTF8.self)), "metadata": .object(metadata)],
            paused: false, notes: []
        )
    }

    /// An environment's params go to every deployment: each must be a param of some pipeline.
    private func checkEnvironmentParams(_ environments: [Environment]) {
        let declared = Set(config.deployments.flatMap { compiled($0)?.paramNames ?? [] })
        for environment in environments {
            for value in environment.params where !declared.contains(value.name) {
                diagnostics.error(.unknownEnvironmentParam,
                    "no pipeline deployed to '\(environment.name)' has a param '\(value.name)'\(Suggestions.didYouMean(value.name, in: declared))",
                    at: value.keyLocation
                )
            }
        }
    }

    /// Two resources with one remote name would overwrite each other.
    private func checkUniqueNames(_ resources: [DesiredResource]) {
        var seen: [String: ResourceAddress] = [:]
        for resource in resources where resource.kind != .vertexSchedule {
            if let first = seen[resource.name] {
                diagnostics.error(.resourceCollision, "'\(first)' and '\(resource.address)' would both be \(resource.name); give the environments different projects, locations or template paths", at: nil)
            }
            seen[resource.name] = resource.address
        }
    }
}

extension DiagnosticID {
    static let tooManyRunLabels = DiagnosticID("too-many-run-labels")
    static let unknownEnvironmentParam = DiagnosticID("unknown-environment-param")
    static let resourceCollision = DiagnosticID("resource-collision")
}
