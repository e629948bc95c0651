import JSON
import PipelineConfig
import PipelineIR

/// The lowered IR as readable JSON (`pipespec compile --emit ir`), for debugging and for
/// tests of the middle of the compiler: every name resolved, every binding typed, nothing
/// yet spelled as KFP spells it. Tasks, groups and components are listed in IR order and
/// referred to by index; references inside command lines keep pipespec's `${…}` notation.
enum IRJSON {
    static func json(_ ir: PipelineIR) -> JSONValue {
        var object = JSONObject()
        object.append("name", .string(ir.name))
        if let displayName = ir.displayName { object.append("displayName", .string(displayName)) }
        if let description = ir.description { object.append("description", .string(description)) }
        if let root = ir.pipelineRoot { object.append("pipelineRoot", .string(root)) }
        object.append("params", .array(ir.params.map(ioSpec)))
        object.append("components", .array(ir.components.map(component)))
        object.append("groups", .array(ir.groups.map(group)))
        object.append("tasks", .array(ir.tasks.map(task)))
        object.append("outputs", .array(ir.outputs.map { .object(["name": .string($0.name), "channel": channel($0.channel)]) }))
        return .object(object)
    }

    // MARK: Interfaces and components

    private static func type(_ type: IOType) -> JSONValue {
        switch type {
        case .parameter(let parameter): return .string(parameter.rawValue)
        case .artifact(let title): return .string(title)
        case .artifactList(let title): return .string("list[\(title)]")
        }
    }

    private static func ioSpec(_ spec: IOSpec) -> JSONValue {
        var object: JSONObject = ["name": .string(spec.name), "type": type(spec.type)]
        if let value = spec.defaultValue { object.append("default", value) }
        if spec.isOptional { object.append("optional", true) }
        return .object(object)
    }

    private static func component(_ component: ComponentDefinition) -> JSONValue {
        .object([
            "name": .string(component.name),
            "reference": .string(component.reference),
            "inputs": .array(component.inputs.map(ioSpec)),
            "outputs": .array(component.outputs.map(ioSpec)),
            "executor": executor(component.executor),
        ])
    }

    private static func executor(_ executor: Executor) -> JSONValue {
        switch executor {
        case .container(let container):
            return .object([
                "container": .object([
                    "image": .string(container.image),
                    "command": .array(container.command.map(argument)),
                    "args": .array(container.args.map(argument)),
                ]),
            ])
        case .pythonFunction(let python):
            var object: JSONObject = [
                "function": .string(python.function.name),
                "line": .int(python.function.line),
                "packages": .array(python.packages.map(JSONValue.string)),
                "helpers": .array(python.helpers.map { .string($0.name) }),
            ]
            if let image = python.baseImage { object.append("baseImage", .string(image)) }
            if let image = python.targetImage { object.append("targetImage", .string(image)) }
            if !python.pip.indexURLs.isEmpty { object.append("pipIndexURLs", .array(python.pip.indexURLs.map(JSONValue.string))) }
            return .object(["pythonFunction": .object(object)])
        case .compiled(let container):
            return .object(["compiled": .object(container)])
        case .importer(let importer):
            var object: JSONObject = ["type": type(importer.artifactType), "reimport": .bool(importer.reimport)]
            if let uri = importer.constantURI { object.append("uri", .string(uri)) }
            return .object(["importer": .object(object)])
        case .pipeline(let pipeline):
            return .object(["pipeline": json(pipeline)])
        case .compiledPipeline(let compiled):
            return .object(["compiledPipeline": .object([
                "components": .array(compiled.components.members.map { .string($0.key) }),
                "executors": .array(compiled.executors.members.map { .string($0.key) }),
            ])])
        case .customJob(let job):
            let pool = job.workerPool
            var workerPool: JSONObject = ["machineType": .string(pool.machineType), "replicaCount": .int(pool.replicaCount)]
            if let accelerator = pool.accelerator {
                workerPool.append("accelerator", .object(["type": .string(accelerator.type), "count": .int(accelerator.count)]))
            }
            if let affinity = pool.reservationAffinity {
                var object: JSONObject = ["type": .string(affinity.type)]
                if let key = affinity.key { object.append("key", .string(key)) }
                if let values = affinity.values { object.append("values", .array(values.map(JSONValue.string))) }
                workerPool.append("reservationAffinity", .object(object))
            }
            if let disk = pool.bootDisk {
                workerPool.append("bootDisk", .object(["type": .string(disk.type), "sizeGB": .int(disk.sizeGB)]))
            }
            if !pool.environment.isEmpty { workerPool.append("env", environment(pool.environment)) }
            if !pool.nfsMounts.isEmpty { workerPool.append("nfsMounts", .array(pool.nfsMounts)) }
            return .object(["customJob": .object(["worker": self.executor(job.worker), "workerPool": .object(workerPool)])])
        }
    }

    /// A command-line argument in pipespec's notation.
    private static func argument(_ argument: CommandLineArgument) -> JSONValue {
        func branch(_ branch: CommandLineArgument.Branch) -> JSONValue {
            switch branch {
            case .one(let argument): return self.argument(argument)
            case .list(let arguments): return .array(arguments.map(self.argument))
            }
        }
        switch argument {
        case .value(let parts):
            return .string(parts.map(text).joined())
        case .concat(let items):
            return .object(["concat": .array(items.map(self.argument))])
        case .ifPresent(let input, let then, let otherwise):
            var object: JSONObject = ["if_present": .string(input), "then": branch(then)]
            if let otherwise { object.append("else", branch(otherwise)) }
            return .object(object)
        }
    }

    private static func text(_ part: CommandLineArgument.Part) -> String {
        switch part {
        case .text(let text): return text
        case .inputValue(let name), .inputArtifactList(let name): return "${inputs.\(name)}"
        case .inputArtifact(let name, let field): return "${inputs.\(name).\(field.rawValue)}"
        case .outputParameterFile(let name): return "${outputs.\(name)}"
        case .outputArtifact(let name, let field): return "${outputs.\(name).\(field.rawValue)}"
        case .executorInput: return "${executor_input}"
        case .runtime(let value): return "${\(value.rawValue)}"
        }
    }

    // MARK: Groups

    private static func group(_ group: GroupIR) -> JSONValue {
        var object = JSONObject()
        if let name = group.displayName { object.append("name", .string(name)) }
        if let parent = group.parent { object.append("parent", .int(parent.index)) }
        switch group.kind {
        case .root:
            object.append("kind", "root")
        case .condition(let terms):
            object.append("kind", "condition")
            object.append("terms", .array(terms.map { term in
                .object(["expression": expression(term.expression), "negated": .bool(term.isNegated)])
            }))
        case .branches(let outputs):
            object.append("kind", "branches")
            object.append("outputs", .array(outputs.map { output in
                .object(["name": .string(output.name), "type": type(output.type), "branches": .array(output.branches.map(channel))])
            }))
        case .loop(let loop):
            object.append("kind", "loop")
            switch loop.items {
            case .list(let items): object.append("items", .array(items))
            case .channel(let items): object.append("items", channel(items))
            }
            object.append("itemType", .string(loop.itemType.rawValue))
            if let parallelism = loop.parallelism { object.append("parallelism", .int(parallelism)) }
        case .exitHandler:
            object.append("kind", "exitHandler")
        }
        object.append("members", .array(group.members.map { member in
            switch member {
            case .task(let task): return .object(["task": .int(task.index)])
            case .group(let group): return .object(["group": .int(group.index)])
            }
        }))
        return .object(object)
    }

    private static func expression(_ expression: ConditionTerm.Expression) -> JSONValue {
        switch expression {
        case .comparison(let left, let comparison, let right):
            return .object(["left": operand(left), "operator": .string(comparison.rawValue), "right": operand(right)])
        case .not(let inner): return .object(["not": self.expression(inner)])
        case .all(let parts): return .object(["all": .array(parts.map(self.expression))])
        case .any(let parts): return .object(["any": .array(parts.map(self.expression))])
        }
    }

    private static func operand(_ operand: ConditionTerm.Operand) -> JSONValue {
        switch operand {
        case .channel(let value): return channel(value)
        case .string(let text): return .string(text)
        case .int(let number): return .int(number)
        case .float(let number): return .double(number)
        case .bool(let flag): return .bool(flag)
        }
    }

    // MARK: Tasks

    private static func task(_ task: TaskIR) -> JSONValue {
        var object: JSONObject = [
            "name": .string(task.name),
            "component": .int(task.component.index),
            "group": .int(task.group.index),
            "bindings": .object(JSONObject(task.bindings.map { ($0.input, binding($0.binding)) })),
            "caching": .bool(task.caching),
            "location": .string(task.location.description),
        ]
        if let name = task.displayName { object.append("displayName", .string(name)) }
        if !task.after.isEmpty { object.append("after", .array(task.after.map(JSONValue.string))) }
        if let retry = task.retry {
            object.append("retry", .object([
                "maxRetryCount": .int(retry.maxRetryCount), "backoffSeconds": .int(retry.backoffSeconds),
                "backoffFactor": .double(retry.backoffFactor), "maxBackoffSeconds": .int(retry.maxBackoffSeconds),
            ]))
        }
        if let resources = task.resources { object.append("resources", self.resources(resources)) }
        if !task.environment.isEmpty { object.append("env", environment(task.environment)) }
        if task.ignoresUpstreamFailure { object.append("ignoresUpstreamFailure", true) }
        if let group = task.exitTaskOf { object.append("exitTaskOf", .int(group.index)) }
        return .object(object)
    }

    private static func resources(_ resources: ResourceRequests) -> JSONValue {
        var object = JSONObject()
        let amounts: [(String, ResourceAmount?)] = [
            ("cpuLimit", resources.cpuLimit), ("cpuRequest", resources.cpuRequest),
            ("memoryLimit", resources.memoryLimit), ("memoryRequest", resources.memoryRequest),
            ("acceleratorType", resources.acceleratorType), ("acceleratorCount", resources.acceleratorCount),
        ]
        for case (let name, let amount?) in amounts {
            switch amount {
            case .constant(let text): object.append(name, .string(text))
            case .channel(let value): object.append(name, channel(value))
            }
        }
        return .object(object)
    }

    private static func environment(_ variables: [(name: String, value: String)]) -> JSONValue {
        .object(JSONObject(variables.map { ($0.name, .string($0.value)) }))
    }

    private static func binding(_ binding: Binding) -> JSONValue {
        switch binding {
        case .constant(let value): return .object(["constant": value])
        case .channel(let value): return channel(value)
        case .runtime(let value): return .object(["runtime": .string(value.rawValue)])
        case .loopItemField(let item, let field): return .object(["loopItemField": .object(["item": channel(item), "field": .string(field)])])
        case .finalStatus(let group): return .object(["finalStatus": .object(["group": .int(group.index)])])
        case .interpolated(let value): return .object(["interpolated": interpolated(value)])
        }
    }

    private static func interpolated(_ value: InterpolatedValue) -> JSONValue {
        switch value {
        case .constant(let constant): return constant
        case .string(let parts):
            return .array(parts.map { part in
                switch part {
                case .text(let text): return .string(text)
                case .channel(let value): return channel(value)
                case .runtime(let value): return .object(["runtime": .string(value.rawValue)])
                }
            })
        case .list(let items): return .object(["list": .array(items.map(interpolated))])
        case .map(let entries): return .object(["map": .object(JSONObject(entries.map { ($0.key, interpolated($0.value)) }))])
        }
    }

    private static func channel(_ channel: Channel) -> JSONValue {
        var source: JSONObject
        switch channel.source {
        case .param(let name):
            source = ["param": .string(name)]
        case .taskOutput(let task, let output):
            source = ["task": .string(task), "output": .string(output)]
        case .loopItem(let group):
            source = ["loopItem": .int(group.index)]
        case .collected(let task, let output, let loop):
            source = ["task": .string(task), "output": .string(output), "collectedBy": .int(loop.index)]
        case .oneOf(let group, let output):
            source = ["oneOf": .int(group.index), "output": .string(output)]
        }
        source.append("type", type(channel.type))
        return .object(["channel": .object(source)])
    }
}

extension CompiledPipeline {
    /// The lowered IR as `compile --emit ir` writes it.
    public func irBytes() -> [UInt8] {
        JSONWriter.bytes(IRJSON.json(ir))
    }
}
