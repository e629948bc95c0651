import Diagnostics
import JSON
import PipelineConfig

/// The lowered pipeline: a typed DAG of tasks in nested condition groups, with every name
/// resolved, every binding typed and every cross-task rule checked. The emitter only encodes.
package struct PipelineIR: Sendable {
    package var name: String
    package var displayName: String?
    package var description: String?
    package var pipelineRoot: String?
    /// The pipeline's inputs: what a run, or a pipeline using it as a component, passes.
    package var params: [IOSpec]
    package var components: [ComponentDefinition]
    package var tasks: [TaskIR]
    /// `groups[0]` is the root; the others are conditions, if/elif/else wrappers, loops and
    /// exit handlers, in the order they are written (a wrapper after its first branch).
    package var groups: [GroupIR]
    /// What the pipeline gives back, in the order written.
    package var outputs: [PipelineOutputIR]

    package init(
        name: String,
        displayName: String?,
        description: String?,
        pipelineRoot: String?,
        params: [IOSpec],
        components: [ComponentDefinition],
        tasks: [TaskIR],
        groups: [GroupIR],
        outputs: [PipelineOutputIR]
    ) {
        self.name = name
        self.displayName = displayName
        self.description = description
        self.pipelineRoot = pipelineRoot
        self.params = params
        self.components = components
        self.tasks = tasks
        self.groups = groups
        self.outputs = outputs
    }
}

/// A value the pipeline gives back: a top-level task's output, an if/elif/else group's
/// output, or the collected outputs of a top-level loop.
package struct PipelineOutputIR: Sendable {
    package var name: String
    package var channel: Channel

    package init(name: String, channel: Channel) {
        self.name = name
        self.channel = channel
    }
}

/// A component's interface and what runs it.
package struct ComponentDefinition: Sendable {
    /// The component's name in the file (the emitter derives its keys from it).
    package var name: String
    /// How tasks name it in `uses`.
    package var reference: String
    package var inputs: [IOSpec]
    package var outputs: [IOSpec]
    package var executor: Executor

    package init(name: String, reference: String, inputs: [IOSpec], outputs: [IOSpec], executor: Executor) {
        self.name = name
        self.reference = reference
        self.inputs = inputs
        self.outputs = outputs
        self.executor = executor
    }

    package func input(_ name: String) -> IOSpec? { inputs.first { $0.name == name } }
    package func output(_ name: String) -> IOSpec? { outputs.first { $0.name == name } }
}

/// What runs a component's tasks.
package enum Executor: Sendable {
    /// A container described in the pipeline file.
    case container(ContainerExecutor)
    /// A Python function, run by the KFP SDK installed in its base image.
    case pythonFunction(PythonFunctionExecutor)
    /// The executor of a compiled component file or a built-in, kept as that file has it.
    case compiled(JSONObject)
    /// Makes the file or directory at the `uri` input an artifact.
    case importer(ImporterExecutor)
    /// A pipeline's tasks, run as a DAG of their own.
    indirect case pipeline(PipelineIR)
    /// A compiled pipeline file's DAG, kept as the file has it.
    case compiledPipeline(CompiledPipelineSpec)
    /// Another executor's container, run in a Vertex AI CustomJob's worker pool by GCPC's
    /// custom-job launcher.
    indirect case customJob(CustomJobExecutor)
}

/// A component run as a Vertex AI CustomJob (GCPC's
/// `create_custom_training_job_from_component`): the launcher submits the job, whose
/// replicas run the worker's container. The job's other settings are the defaults of the
/// launcher's inputs; the emitter writes the worker pools as the default of its
/// `worker_pool_specs` input.
package struct CustomJobExecutor: Sendable {
    /// GCPC's custom-job launcher, as the built-in has it.
    package var launcher: JSONObject
    /// The launcher's inputs the component does not also have (the job's settings).
    package var launcherInputs: Set<String>
    /// A container, a Python function or a component file's container.
    package var worker: Executor
    package var workerPool: WorkerPool

    package init(launcher: JSONObject, launcherInputs: Set<String>, worker: Executor, workerPool: WorkerPool) {
        self.launcher = launcher
        self.launcherInputs = launcherInputs
        self.worker = worker
        self.workerPool = workerPool
    }
}

/// The machines of a CustomJob: the first replica in one pool, the others in a second pool
/// of the same spec.
package struct WorkerPool: Sendable {
    package struct ReservationAffinity: Sendable {
        package var type: String
        package var key: String?
        package var values: [String]?

        package init(type: String, key: String?, values: [String]?) {
            self.type = type
            self.key = key
            self.values = values
        }
    }

    package var machineType: String
    package var accelerator: (type: String, count: Int)?
    package var reservationAffinity: ReservationAffinity?
    /// `nil` when no boot disk type is set.
    package var bootDisk: (type: String, sizeGB: Int)?
    /// Vertex AI `NfsMount`s, as written.
    package var nfsMounts: [JSONValue]
    package var environment: [(name: String, value: String)]
    package var replicaCount: Int

    package init(
        machineType: String, accelerator: (type: String, count: Int)?, reservationAffinity: ReservationAffinity?,
        bootDisk: (type: String, sizeGB: Int)?, nfsMounts: [JSONValue], environment: [(name: String, value: String)],
        replicaCount: Int
    ) {
        self.machineType = machineType
        self.accelerator = accelerator
        self.reservationAffinity = reservationAffinity
        self.bootDisk = bootDisk
        self.nfsMounts = nfsMounts
        self.environment = environment
        self.replicaCount = replicaCount
    }
}

/// The parts of a compiled PipelineSpec that run its root DAG.
package struct CompiledPipelineSpec: Sendable {
    /// The root component: its DAG and interface.
    package var root: JSONObject
    package var components: JSONObject
    package var executors: JSONObject

    package init(root: JSONObject, components: JSONObject, executors: JSONObject) {
        self.root = root
        self.components = components
        self.executors = executors
    }
}

package struct ImporterExecutor: Sendable {
    /// The artifact's type (a schema title such as `system.Dataset`).
    package var artifactType: IOType
    /// Whether the `uri` input is filled at run time (otherwise it is `constantURI`).
    package var constantURI: String?
    package var reimport: Bool
    package var metadata: MetadataValue?

    package init(artifactType: IOType, constantURI: String?, reimport: Bool, metadata: MetadataValue?) {
        self.artifactType = artifactType
        self.constantURI = constantURI
        self.reimport = reimport
        self.metadata = metadata
    }
}

/// An importer's metadata: constants, and strings holding the importer's `metadata` input.
package indirect enum MetadataValue: Sendable {
    case constant(JSONValue)
    case string([CommandLineArgument.Part])
    case list([MetadataValue])
    case map([(key: String, value: MetadataValue)])
}

package struct ContainerExecutor: Sendable {
    package var image: String
    package var command: [CommandLineArgument]
    package var args: [CommandLineArgument]

    package init(image: String, command: [CommandLineArgument], args: [CommandLineArgument]) {
        self.image = image
        self.command = command
        self.args = args
    }
}

/// One argument of a container's command line: text, and the values the backend puts into
/// it when a task runs; or arguments that depend on whether an optional input is given.
package indirect enum CommandLineArgument: Sendable {
    package enum Part: Sendable {
        case text(String)
        /// A parameter input's value.
        case inputValue(String)
        /// A property of an artifact input.
        case inputArtifact(String, Reference.ArtifactField)
        /// A list-of-artifacts input, whole.
        case inputArtifactList(String)
        /// The file a parameter output is written to.
        case outputParameterFile(String)
        /// A property of an artifact output.
        case outputArtifact(String, Reference.ArtifactField)
        /// The whole executor input, as JSON.
        case executorInput
        case runtime(RuntimeValue)
    }

    /// One or several arguments, as a branch of `ifPresent` holds them.
    package enum Branch: Sendable {
        case one(CommandLineArgument)
        case list([CommandLineArgument])
    }

    /// Text with values put in.
    case value([Part])
    /// The texts of several arguments joined into one (a component file's `concat`).
    case concat([CommandLineArgument])
    /// `then` when the optional input `input` is given, else `otherwise` (or nothing).
    case ifPresent(input: String, then: Branch, otherwise: Branch?)
}

package struct PythonFunctionExecutor: Sendable {
    package var function: PythonFunction
    /// `nil` for the default base image.
    package var baseImage: String?
    package var packages: [String]
    package var pip: PipOptions
    /// Functions it calls, embedded before it.
    package var helpers: [PythonFunction]
    /// The image of a containerized component, which holds the function (built with
    /// `kfp component build`); nothing is embedded then.
    package var targetImage: String?

    package init(
        function: PythonFunction, baseImage: String?, packages: [String], pip: PipOptions = PipOptions(),
        helpers: [PythonFunction] = [], targetImage: String? = nil
    ) {
        self.function = function
        self.baseImage = baseImage
        self.packages = packages
        self.pip = pip
        self.helpers = helpers
        self.targetImage = targetImage
    }
}

package struct IOSpec: Sendable {
    package var name: String
    package var type: IOType
    /// A protobuf `Value` in JSON form; parameters only.
    package var defaultValue: JSONValue?
    package var isOptional: Bool
    package var description: String?

    package init(name: String, type: IOType, defaultValue: JSONValue?, isOptional: Bool, description: String?) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.isOptional = isOptional
        self.description = description
    }

    /// Whether a task must pass this input.
    package var isRequired: Bool { defaultValue == nil && !isOptional }
}

package struct TaskIR: Sendable {
    package var name: String
    package var displayName: String?
    package var component: ComponentID
    package var bindings: [(input: String, binding: Binding)]
    /// Tasks named in `after`.
    package var after: [String]
    package var caching: Bool
    package var retry: RetryPolicy?
    package var resources: ResourceRequests?
    package var environment: [(name: String, value: String)]
    /// The innermost group holding the task.
    package var group: GroupID
    /// Runs once its upstream tasks have finished, even if one failed.
    package var ignoresUpstreamFailure: Bool = false
    package var location: SourceLocation
    /// The exit-handler group this task is the exit task of: it runs once the group has
    /// finished, however it ended.
    package var exitTaskOf: GroupID? = nil

    package init(
        name: String,
        displayName: String?,
        component: ComponentID,
        bindings: [(input: String, binding: Binding)],
        after: [String],
        caching: Bool,
        retry: RetryPolicy?,
        resources: ResourceRequests?,
        environment: [(name: String, value: String)],
        group: GroupID,
        ignoresUpstreamFailure: Bool = false,
        location: SourceLocation,
        exitTaskOf: GroupID? = nil
    ) {
        self.name = name
        self.displayName = displayName
        self.component = component
        self.bindings = bindings
        self.after = after
        self.caching = caching
        self.retry = retry
        self.resources = resources
        self.environment = environment
        self.group = group
        self.ignoresUpstreamFailure = ignoresUpstreamFailure
        self.location = location
        self.exitTaskOf = exitTaskOf
    }

    /// Every channel the task reads through its bindings and its resources.
    package var channels: [Channel] {
        bindings.flatMap { $0.binding.channels } + (resources?.channels ?? [])
    }
}

/// How a task input gets its value.
package enum Binding: Sendable {
    /// A value fixed at compile time (a protobuf `Value`).
    case constant(JSONValue)
    /// The whole value of a pipeline param or of an upstream task's output.
    case channel(Channel)
    /// A value known when the run starts (`${pipeline.job_id}`), passed whole.
    case runtime(RuntimeValue)
    /// One field of a loop's mapping item (`${item.region}`).
    case loopItemField(Channel, field: String)
    /// How the tasks of this exit-handler group ended, for its exit task.
    case finalStatus(group: GroupID)
    /// A value whose strings mix text with channels and run-time values.
    case interpolated(InterpolatedValue)

    package var channels: [Channel] {
        switch self {
        case .constant, .runtime, .finalStatus: return []
        case .channel(let channel), .loopItemField(let channel, _): return [channel]
        case .interpolated(let value): return value.channels
        }
    }
}

/// A parameter value some of whose strings are filled at run time.
package indirect enum InterpolatedValue: Sendable {
    package enum StringPart: Sendable {
        case text(String)
        case channel(Channel)
        case runtime(RuntimeValue)
    }

    case constant(JSONValue)
    case string([StringPart])
    case list([InterpolatedValue])
    case map([(key: String, value: InterpolatedValue)])

    /// The channels read, each once, in the order they first appear.
    package var channels: [Channel] {
        var channels: [Channel] = []
        func collect(_ value: InterpolatedValue) {
            switch value {
            case .constant: break
            case .string(let parts):
                for case .channel(let channel) in parts where !channels.contains(channel) { channels.append(channel) }
            case .list(let items): items.forEach(collect)
            case .map(let entries): entries.forEach { collect($0.value) }
            }
        }
        collect(self)
        return channels
    }
}

/// A value that flows into a task at run time: a pipeline param or a task output.
package struct Channel: Hashable, Sendable {
    package enum Source: Hashable, Sendable {
        case param(String)
        case taskOutput(task: String, output: String)
        /// The current item of this loop group.
        case loopItem(group: GroupID)
        /// The values a task inside loop group `loop` gave an output, as a list (a list of
        /// lists for each loop nested in between).
        case collected(task: String, output: String, loop: GroupID)
        /// Output `output` of if/elif/else wrapper `group`: the value of the branch that ran.
        case oneOf(group: GroupID, output: String)
    }

    package var source: Source
    package var type: IOType

    package init(source: Source, type: IOType) {
        self.source = source
        self.type = type
    }

    package var producer: String? {
        switch source {
        case .taskOutput(let task, _), .collected(let task, _, _): return task
        case .param, .loopItem, .oneOf: return nil
        }
    }

    package var isArtifact: Bool { type.isArtifact }

    package static func == (lhs: Channel, rhs: Channel) -> Bool { lhs.source == rhs.source }
    package func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

package struct RetryPolicy: Sendable, Equatable {
    package var maxRetryCount: Int
    package var backoffSeconds: Int
    package var backoffFactor: Double
    package var maxBackoffSeconds: Int

    package init(maxRetryCount: Int, backoffSeconds: Int, backoffFactor: Double, maxBackoffSeconds: Int) {
        self.maxRetryCount = maxRetryCount
        self.backoffSeconds = backoffSeconds
        self.backoffFactor = backoffFactor
        self.maxBackoffSeconds = maxBackoffSeconds
    }
}

/// Compute requests; the emitter adds the numeric forms of constants.
package struct ResourceRequests: Sendable, Hashable {
    package var cpuLimit: ResourceAmount?
    package var cpuRequest: ResourceAmount?
    package var memoryLimit: ResourceAmount?
    package var memoryRequest: ResourceAmount?
    package var acceleratorType: ResourceAmount?
    /// Set whenever the type is (1 unless written).
    package var acceleratorCount: ResourceAmount?

    package init(
        cpuLimit: ResourceAmount?,
        cpuRequest: ResourceAmount?,
        memoryLimit: ResourceAmount?,
        memoryRequest: ResourceAmount?,
        acceleratorType: ResourceAmount?,
        acceleratorCount: ResourceAmount?
    ) {
        self.cpuLimit = cpuLimit
        self.cpuRequest = cpuRequest
        self.memoryLimit = memoryLimit
        self.memoryRequest = memoryRequest
        self.acceleratorType = acceleratorType
        self.acceleratorCount = acceleratorCount
    }

    /// The params the requests read, each once.
    package var channels: [Channel] {
        var channels: [Channel] = []
        for case .channel(let channel)? in [cpuLimit, cpuRequest, memoryLimit, memoryRequest, acceleratorType, acceleratorCount]
        where !channels.contains(channel) {
            channels.append(channel)
        }
        return channels
    }
}

/// One request: as written (`"500m"`, `"4G"`, `"NVIDIA_TESLA_T4"`), or a param's value.
package enum ResourceAmount: Sendable, Hashable {
    case constant(String)
    case channel(Channel)
}

package struct GroupIR: Sendable {
    package enum Kind: Sendable {
        case root
        /// Runs its members when every term holds.
        case condition([ConditionTerm])
        /// Wraps the branches of an if/elif/else, and gives back the values they produce.
        case branches([OneOfIR])
        /// Runs its members once for each item.
        case loop(LoopIR)
        /// Runs its members, then its exit task whatever their outcome.
        case exitHandler
    }

    package enum Member: Sendable {
        case task(TaskID)
        case group(GroupID)
    }

    /// The name written in the file; `nil` for the root and the groups a `when` makes.
    package var displayName: String?
    package var kind: Kind
    package var parent: GroupID?
    package var members: [Member]

    package init(displayName: String?, kind: Kind, parent: GroupID?, members: [Member]) {
        self.displayName = displayName
        self.kind = kind
        self.parent = parent
        self.members = members
    }
}

extension Array where Element == GroupIR {
    /// The groups around `group`, outermost first, the root left out: `group` itself last.
    package func chain(to group: GroupID) -> [GroupID] {
        var chain: [GroupID] = []
        var current: GroupID? = group
        while let index = current, index != .root {
            chain.append(index)
            current = self[index].parent
        }
        return chain.reversed()
    }
}

/// An output of an if/elif/else (kfp's `dsl.OneOf`): in each branch, in order, the output
/// of a task directly in it that gives the value when that branch runs.
package struct OneOfIR: Sendable {
    package var name: String
    package var type: IOType
    package var branches: [Channel]

    package init(name: String, type: IOType, branches: [Channel]) {
        self.name = name
        self.type = type
        self.branches = branches
    }
}

/// What a loop group iterates over.
package struct LoopIR: Sendable {
    package enum Items: Sendable {
        /// A list written out (integers kept as integers).
        case list([JSONValue])
        /// A list param or a task's list output.
        case channel(Channel)
    }

    package var items: Items
    package var parallelism: Int?
    /// The item's type: that of the first item of a list written out, a string for a
    /// channel's items (whose type is not known before the run).
    package var itemType: ParameterType

    package init(items: Items, parallelism: Int?, itemType: ParameterType) {
        self.items = items
        self.parallelism = parallelism
        self.itemType = itemType
    }

    /// The channel that carries the current item into the loop's tasks.
    package func itemChannel(group: GroupID) -> Channel {
        Channel(source: .loopItem(group: group), type: .parameter(itemType))
    }
}

/// One condition of a condition group, possibly negated (elif and else branches hold the
/// negations of the branches before them).
package struct ConditionTerm: Sendable {
    package enum Operand: Sendable {
        case channel(Channel)
        case string(String)
        case int(Int)
        case float(Double)
        case bool(Bool)
    }

    package indirect enum Expression: Sendable {
        case comparison(left: Operand, comparison: Condition.Operator, right: Operand)
        case not(Expression)
        case all([Expression])
        case any([Expression])
    }

    package var expression: Expression
    package var isNegated: Bool

    package init(_ expression: Expression, isNegated: Bool) {
        self.expression = expression
        self.isNegated = isNegated
    }

    /// One comparison.
    package init(left: Operand, comparison: Condition.Operator, right: Operand, isNegated: Bool) {
        self.init(.comparison(left: left, comparison: comparison, right: right), isNegated: isNegated)
    }

    package var channels: [Channel] {
        func collect(_ expression: Expression) -> [Channel] {
            switch expression {
            case .comparison(let left, _, let right):
                return [left, right].compactMap { if case .channel(let channel) = $0 { return channel } else { return nil } }
            case .not(let inner): return collect(inner)
            case .all(let parts), .any(let parts): return parts.flatMap(collect)
            }
        }
        return collect(expression)
    }
}

extension ConditionTerm.Operand {
    /// What is compared: a constant's type, or a channel's parameter type.
    package var type: ParameterType {
        switch self {
        case .string: return .string
        case .int: return .int
        case .float: return .float
        case .bool: return .bool
        case .channel(let channel):
            if case .parameter(let type) = channel.type { return type }
            return .string
        }
    }
}
