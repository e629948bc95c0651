import JSON
import PipelineConfig
import PipelineIR

/// Encodes the IR as PipelineSpec (schema 2.1.0) the way the kfp 2.15 compiler does: the
/// same executors, input bindings, `pipelinechannel--` inputs carrying values into condition
/// sub-DAGs, CEL conditions and dependent tasks. Components that are the same for several
/// tasks are emitted once.
package enum PipelineSpecEmitter {
    package static let schemaVersion = "2.1.0"
    package static let compilerVersion = "0.1.0"
    package static let sdkVersion = "pipespec-\(compilerVersion)"

    package static func pipelineSpec(_ ir: PipelineIR) -> JSONValue {
        var emitter = Emitter(ir: ir)
        return emitter.emit()
    }

    /// A Vertex AI `PipelineJob` body that runs the pipeline with the given parameter values.
    package static func pipelineJob(
        _ ir: PipelineIR, spec: JSONValue, parameterValues: [(name: String, value: JSONValue)], outputDirectory: String
    ) -> JSONValue {
        var runtimeConfig = JSONObject()
        runtimeConfig.append("gcsOutputDirectory", .string(outputDirectory))
        if !parameterValues.isEmpty {
            runtimeConfig.append("parameterValues", .object(JSONObject(parameterValues.map { ($0.name, $0.value) })))
        }
        return .object([
            "displayName": .string(ir.displayName ?? ir.name),
            "pipelineSpec": spec,
            "runtimeConfig": .object(runtimeConfig),
        ])
    }
}

private struct Emitter {
    let ir: PipelineIR
    /// Innermost-last chain of group indices enclosing each task, root excluded.
    private let taskAncestors: [TaskID: [GroupID]]
    private let taskIndex: [String: TaskID]
    /// KFP's names for groups and channel inputs.
    private let names: KFPNames
    private var groupNames: GroupNames { names.groups }
    private var tables: SpecTables
    /// The component of each group, by index (the root's is unnamed).
    private var groupComponents: [GroupID: String] = [:]
    /// Emitted task components, by what makes them distinct.
    private var emittedComponents: [ComponentVariant: String] = [:]
    /// The components some of whose tasks differ in container settings.
    private let componentsWithVariants: Set<ComponentID>
    /// Channels each group receives from its parent, with first-seen order.
    private var groupInputs: [GroupID: [Channel]] = [:]
    /// `dependentTasks` of each task or group, by name.
    private var dependencies: [String: Set<String>] = [:]
    /// The outputs each group gives its parent (the root's: the pipeline's), in first-seen order.
    private var groupOutputs: [GroupID: [GroupOutput]] = [:]

    init(ir: PipelineIR, tables: SpecTables = SpecTables()) {
        self.ir = ir
        self.tables = tables
        taskIndex = Dictionary(uniqueKeysWithValues: ir.tasks.ids.map { (ir.tasks[$0].name, $0) })
        taskAncestors = Dictionary(uniqueKeysWithValues: ir.tasks.ids.map { ($0, ir.groups.chain(to: ir.tasks[$0].group)) })
        names = KFPNames(ir.groups, tasks: ir.tasks)
        var variants: [ComponentID: Set<ComponentVariant>] = [:]
        for task in ir.tasks { variants[task.component, default: []].insert(Self.variant(of: task)) }
        componentsWithVariants = Set(variants.filter { $0.value.count > 1 }.keys)
    }

    mutating func emit() -> JSONValue {
        let root = rootComponent()

        var pipelineInfo = JSONObject()
        pipelineInfo.append("name", .string(ir.name))
        if let displayName = ir.displayName { pipelineInfo.append("displayName", .string(displayName)) }
        if let description = ir.description { pipelineInfo.append("description", .string(description)) }

        var spec = JSONObject()
        spec.append("components", .object(tables.components))
        spec.append("deploymentSpec", .object(["executors": .object(tables.executors)]))
        spec.append("pipelineInfo", .object(pipelineInfo))
        spec.append("root", .object(root))
        spec.append("schemaVersion", .string(PipelineSpecEmitter.schemaVersion))
        spec.append("sdkVersion", .string(PipelineSpecEmitter.sdkVersion))
        if let pipelineRoot = ir.pipelineRoot { spec.append("defaultPipelineRoot", .string(pipelineRoot)) }
        return .object(spec)
    }

    /// The pipeline as one DAG component: the root of a spec, or a sub-pipeline's component.
    /// Its groups' components and its tasks' components and executors go into `tables`.
    mutating func rootComponent() -> JSONObject {
        computeGroupInputsAndDependencies()
        for group in ir.groups.ids.dropFirst() { groupComponents[group] = tables.names.claim("comp-" + groupNames[group]) }
        var root = JSONObject()
        var dag: JSONObject = ["tasks": .object(dagTasks(of: .root))]
        if let outputs = dagOutputs(of: .root) { dag.append("outputs", outputs) }
        root.append("dag", .object(dag))
        if let definitions = rootInputDefinitions() { root.append("inputDefinitions", definitions) }
        if let definitions = outputDefinitions(of: .root) { root.append("outputDefinitions", definitions) }
        return root
    }

    // MARK: Channels across groups

    /// What the KFP compiler computes before writing DAGs: which channels each group must
    /// take as inputs ("punching holes" into sub-DAGs), and which sibling each task or group
    /// waits for. A dependency between tasks in different groups becomes a dependency
    /// between their first uncommon ancestors.
    private mutating func computeGroupInputsAndDependencies() {
        for index in ir.tasks.ids {
            let task = ir.tasks[index]
            let ancestors = self.ancestors(of: index)
            let conditionChannels = ancestors.flatMap { group -> [Channel] in
                guard case .condition(let terms) = ir.groups[group].kind else { return [] }
                return terms.flatMap(\.channels)
            }
            var upstreams = task.after.compactMap { taskIndex[$0] }.map(taskNode)
            /// Gives `channel` to those of `groups` (outermost first) its producer is not in,
            /// and makes the task wait for the producer.
            func route(_ channel: Channel, into groups: [GroupID]) {
                surface(channel)
                guard let producer = producer(of: channel) else {
                    for group in groups { addInput(channel, to: group) }
                    return
                }
                if !upstreams.contains(producer) { upstreams.append(producer) }
                for group in groups[commonPrefixLength(producer.ancestors, groups)...] { addInput(channel, to: group) }
            }
            // What a loop iterates over is an input of the loop and the groups around it.
            for (position, group) in ancestors.enumerated() {
                guard case .loop(let loop) = ir.groups[group].kind, case .channel(let channel) = loop.items else { continue }
                route(channel, into: Array(ancestors.prefix(position + 1)))
            }
            for channel in task.channels + conditionChannels {
                if case .loopItem(let loop) = channel.source {
                    // The loop's iterator fills the item; the groups inside it receive it.
                    for group in ancestors.drop(while: { $0 != loop }).dropFirst() { addInput(channel, to: group) }
                    continue
                }
                route(channel, into: ancestors)
            }
            for upstream in upstreams {
                let common = commonPrefixLength(upstream.ancestors, ancestors)
                let waiting = common < ancestors.count ? groupNames[ancestors[common]] : task.name
                let awaited = common < upstream.ancestors.count ? groupNames[upstream.ancestors[common]] : upstream.name
                dependencies[waiting, default: []].insert(awaited)
            }
            // An exit task waits for the group it guards.
            if let group = task.exitTaskOf { dependencies[task.name, default: []].insert(groupNames[group]) }
        }
        for output in ir.outputs {
            surface(output.channel)
            guard let member = giver(of: output.channel) else { continue }
            groupOutputs[.root, default: []].append(GroupOutput(key: output.name, type: output.channel.type, selectors: [(member, outputKey(of: output.channel))]))
        }
    }

    /// A task or group a task waits for: where it is, and its name in its DAG.
    private struct Node: Equatable {
        var ancestors: [GroupID]
        var name: String
    }

    private func ancestors(of task: TaskID) -> [GroupID] {
        taskAncestors[task] ?? []
    }

    private func taskNode(_ task: TaskID) -> Node {
        Node(ancestors: ancestors(of: task), name: ir.tasks[task].name)
    }

    /// What gives a channel its value: the task (collected: its loop) or if/elif/else wrapper.
    private func producer(of channel: Channel) -> Node? {
        switch channel.source {
        case .taskOutput(let task, _), .collected(let task, _, _):
            return taskIndex[task].map(taskNode)
        case .oneOf(let wrapper, _):
            return Node(ancestors: Array(ir.groups.chain(to: wrapper).dropLast()), name: groupNames[wrapper])
        case .param, .loopItem:
            return nil
        }
    }

    /// The key of the output that carries `channel` out of its producer (a task's own output
    /// name, or the channel name a group gives it).
    private func outputKey(of channel: Channel) -> String {
        if case .taskOutput(_, let output) = channel.source { return output }
        return names.input(for: channel)
    }

    /// An output a group gives its parent: a value one of its members produced, or for an
    /// if/elif/else wrapper, the value of whichever branch ran.
    private struct GroupOutput {
        var key: String
        var type: IOType
        /// Member and output key of each source: one, or one per branch.
        var selectors: [(subtask: String, key: String)]
        var isOneOf = false
    }

    /// Makes the groups between a channel's producer and its readers give it out: each loop
    /// a `.collected` output passes through, each branch of an if/elif/else output and the
    /// wrapper.
    private mutating func surface(_ channel: Channel) {
        switch channel.source {
        case .collected(let task, let output, let loop):
            guard let producer = taskIndex[task] else { return }
            let path = Array(ancestors(of: producer).drop { $0 != loop })
            for (position, group) in path.enumerated() {
                let source = position == path.count - 1 ? (task, output) : (groupNames[path[position + 1]], names.input(for: channel))
                addOutput(GroupOutput(key: names.input(for: channel), type: channel.type, selectors: [source]), to: group)
            }
        case .oneOf(let wrapper, let name):
            guard case .branches(let outputs) = ir.groups[wrapper].kind, let oneOf = outputs.first(where: { $0.name == name }) else { return }
            var selectors: [(subtask: String, key: String)] = []
            for branch in oneOf.branches {
                guard case .taskOutput(let task, let output) = branch.source, let producer = taskIndex[task] else { continue }
                let group = ir.tasks[producer].group
                addOutput(GroupOutput(key: names.input(for: branch), type: branch.type, selectors: [(task, output)]), to: group)
                selectors.append((groupNames[group], names.input(for: branch)))
            }
            addOutput(GroupOutput(key: names.input(for: channel), type: channel.type, selectors: selectors, isOneOf: true), to: wrapper)
        case .taskOutput, .param, .loopItem:
            break
        }
    }

    private mutating func addOutput(_ output: GroupOutput, to group: GroupID) {
        if !(groupOutputs[group]?.contains { $0.key == output.key } ?? false) { groupOutputs[group, default: []].append(output) }
    }

    /// `dag.outputs` of a group: where each of its outputs comes from.
    private func dagOutputs(of group: GroupID) -> JSONValue? {
        guard let outputs = groupOutputs[group] else { return nil }
        var parameters = JSONObject(), artifacts = JSONObject()
        for output in outputs {
            if output.type.isArtifact {
                let selectors = output.selectors.map { JSONValue.object(["outputArtifactKey": .string($0.key), "producerSubtask": .string($0.subtask)]) }
                artifacts.append(output.key, .object(["artifactSelectors": .array(selectors)]))
                continue
            }
            let selectors = output.selectors.map { JSONValue.object(["outputParameterKey": .string($0.key), "producerSubtask": .string($0.subtask)]) }
            parameters.append(output.key, output.isOneOf
                ? .object(["valueFromOneof": .object(["parameterSelectors": .array(selectors)])])
                : .object(["valueFromParameter": selectors[0]]))
        }
        return Self.inputs(parameters: parameters, artifacts: artifacts)
    }

    /// `outputDefinitions` of a group's component (the root's: the pipeline's outputs).
    private func outputDefinitions(of group: GroupID) -> JSONValue? {
        guard let outputs = groupOutputs[group] else { return nil }
        var parameters = JSONObject(), artifacts = JSONObject()
        for output in outputs {
            if output.type.isArtifact {
                artifacts.append(output.key, Self.artifactDefinition(output.type))
            } else {
                parameters.append(output.key, .object(["parameterType": Self.parameterType(output.type)]))
            }
        }
        return Self.inputs(parameters: parameters, artifacts: artifacts)
    }

    private func commonPrefixLength(_ lhs: [GroupID], _ rhs: [GroupID]) -> Int {
        zip(lhs, rhs).prefix { $0 == $1 }.count
    }

    private mutating func addInput(_ channel: Channel, to group: GroupID) {
        if !(groupInputs[group]?.contains(channel) ?? false) { groupInputs[group, default: []].append(channel) }
    }

    // MARK: DAGs

    private mutating func dagTasks(of group: GroupID) -> JSONObject {
        let siblings = Set(ir.groups[group].members.map { member -> String in
            switch member {
            case .task(let task): return ir.tasks[task].name
            case .group(let child): return groupNames[child]
            }
        })
        var tasks = JSONObject()
        for member in ir.groups[group].members {
            switch member {
            case .task(let task):
                tasks.append(ir.tasks[task].name, .object(taskSpec(task, siblings: siblings, isRoot: group == .root)))
            case .group(let child):
                tasks.append(groupNames[child], .object(groupTaskSpec(child, siblings: siblings, isRoot: group == .root)))
            }
        }
        return tasks
    }

    private mutating func taskSpec(_ index: TaskID, siblings: Set<String>, isRoot: Bool) -> JSONObject {
        let task = ir.tasks[index]
        var parameters = JSONObject()
        var artifacts = JSONObject()
        for (input, binding) in task.bindings {
            switch binding {
            case .constant(let value):
                parameters.append(input, runtimeConstant(value))
            case .channel(let channel):
                if channel.isArtifact {
                    artifacts.append(input, channelSource(channel, siblings: siblings, isRoot: isRoot))
                } else {
                    parameters.append(input, channelSource(channel, siblings: siblings, isRoot: isRoot))
                }
            case .runtime(let value):
                parameters.append(input, runtimeConstant(.string(value.placeholder)))
            case .finalStatus(let group):
                parameters.append(input, .object(["taskFinalStatus": .object(["producerTask": .string(groupNames[group])])]))
            case .loopItemField(let channel, let field):
                parameters.append(input, .object([
                    "componentInputParameter": .string(names.input(for: channel)),
                    "parameterExpressionSelector": .string("parseJson(string_value)[\"\(field)\"]"),
                ]))
            case .interpolated(let value):
                parameters.append(input, runtimeConstant(value.json(names)))
                for channel in value.channels {
                    parameters[names.input(for: channel)] = channelSource(channel, siblings: siblings, isRoot: isRoot)
                }
            }
        }
        // Requests from params: KFP passes each in twice, the request and the param.
        for request in task.resources.map(ResourceEncoding.taskInputs) ?? [] {
            parameters[request.input] = runtimeConstant(.string(names.placeholder(for: request.channel)))
            parameters[names.input(for: request.channel)] = channelSource(request.channel, siblings: siblings, isRoot: isRoot)
        }
        var spec = JSONObject()
        spec.append("cachingOptions", task.caching ? .object(["enableCache": .bool(true)]) : .object(JSONObject()))
        spec.append("componentRef", .object(["name": .string(componentName(for: task))]))
        if let upstream = dependencies[task.name] { spec.append("dependentTasks", .array(upstream.sorted().map(JSONValue.string))) }
        if let inputs = Self.inputs(parameters: parameters, artifacts: artifacts) { spec.append("inputs", inputs) }
        if let retry = task.retry { spec.append("retryPolicy", Self.retryPolicy(retry)) }
        spec.append("taskInfo", .object(["name": .string(task.displayName ?? task.name)]))
        if task.exitTaskOf != nil || task.ignoresUpstreamFailure {
            spec.append("triggerPolicy", .object(["strategy": "ALL_UPSTREAM_TASKS_COMPLETED"]))
        }
        return spec
    }

    private mutating func groupTaskSpec(_ group: GroupID, siblings: Set<String>, isRoot: Bool) -> JSONObject {
        let value = ir.groups[group]
        let channels = groupInputs[group] ?? []
        var parameters = JSONObject()
        var artifacts = JSONObject()
        var definitions = (parameters: JSONObject(), artifacts: JSONObject())
        for channel in channels {
            let source = channelSource(channel, siblings: siblings, isRoot: isRoot)
            if channel.isArtifact {
                artifacts.append(names.input(for: channel), source)
                definitions.artifacts.append(names.input(for: channel), Self.artifactDefinition(channel.type))
            } else {
                parameters.append(names.input(for: channel), source)
                definitions.parameters.append(names.input(for: channel), .object(["parameterType": Self.parameterType(channel.type)]))
            }
        }
        if case .loop(let loop) = value.kind, let item = names.itemInput(ofLoop: group) {
            definitions.parameters.append(item, .object(["parameterType": Self.parameterType(.parameter(loop.itemType))]))
        }
        var component = JSONObject()
        var dag: JSONObject = ["tasks": .object(dagTasks(of: group))]
        if let outputs = dagOutputs(of: group) { dag.append("outputs", outputs) }
        component.append("dag", .object(dag))
        if let inputDefinitions = Self.inputs(parameters: definitions.parameters, artifacts: definitions.artifacts) {
            component.append("inputDefinitions", inputDefinitions)
        }
        if let outputDefinitions = outputDefinitions(of: group) { component.append("outputDefinitions", outputDefinitions) }
        let name = groupNames[group]
        let componentName = groupComponents[group] ?? ""
        tables.components.append(componentName, .object(component))

        var spec = JSONObject()
        spec.append("componentRef", .object(["name": .string(componentName)]))
        if let upstream = dependencies[name] { spec.append("dependentTasks", .array(upstream.sorted().map(JSONValue.string))) }
        if let inputs = Self.inputs(parameters: parameters, artifacts: artifacts) { spec.append("inputs", inputs) }
        spec.append("taskInfo", .object(["name": .string(value.displayName ?? name)]))
        switch value.kind {
        case .condition(let terms):
            spec.append("triggerPolicy", .object(["condition": .string(CELCondition.render(terms, names: names))]))
        case .loop(let loop):
            if let parallelism = loop.parallelism { spec.append("iteratorPolicy", .object(["parallelismLimit": .int(parallelism)])) }
            let items: JSONValue
            switch loop.items {
            case .list(let list): items = .object(["raw": .string(PythonJSON.dumps(.array(list)))])
            case .channel(let channel): items = .object(["inputParameter": .string(names.input(for: channel))])
            }
            spec.append("parameterIterator", .object(["itemInput": .string(names.itemInput(ofLoop: group) ?? ""), "items": items]))
        case .root, .branches, .exitHandler:
            break
        }
        return spec
    }

    /// Where a task or group in a DAG reads a channel from: a sibling's output, the
    /// pipeline's params (at the root), or the enclosing group's `pipelinechannel--` input.
    private func channelSource(_ channel: Channel, siblings: Set<String>, isRoot: Bool) -> JSONValue {
        // A sibling's output: a task's own, or one a loop or if/elif/else gives out.
        if let sibling = siblingProducer(of: channel, siblings: siblings) {
            let kind = channel.isArtifact ? "taskOutputArtifact" : "taskOutputParameter"
            let key = channel.isArtifact ? "outputArtifactKey" : "outputParameterKey"
            return .object([kind: .object([key: .string(outputKey(of: channel)), "producerTask": .string(sibling)])])
        }
        let name = isRoot ? channel.fullName : names.input(for: channel)
        return .object([channel.isArtifact ? "componentInputArtifact" : "componentInputParameter": .string(name)])
    }

    /// What gives a channel out to the DAG around it: the producing task, the loop
    /// collecting its output, or the if/elif/else wrapper.
    private func giver(of channel: Channel) -> String? {
        switch channel.source {
        case .taskOutput(let task, _): return task
        case .collected(_, _, let loop): return groupNames[loop]
        case .oneOf(let wrapper, _): return groupNames[wrapper]
        case .param, .loopItem: return nil
        }
    }

    /// The giver of the channel, if it is a member of this DAG.
    private func siblingProducer(of channel: Channel, siblings: Set<String>) -> String? {
        giver(of: channel).flatMap { siblings.contains($0) ? $0 : nil }
    }

    private func runtimeConstant(_ value: JSONValue) -> JSONValue {
        .object(["runtimeValue": .object(["constant": value])])
    }

    // MARK: Components and executors

    /// What makes two tasks' components and executors identical.
    private struct ComponentVariant: Hashable {
        var component: ComponentID
        var resources: ResourceRequests?
        var environment: [String]
    }

    private static func variant(of task: TaskIR) -> ComponentVariant {
        ComponentVariant(component: task.component, resources: task.resources, environment: task.environment.flatMap { [$0.name, $0.value] })
    }

    private mutating func componentName(for task: TaskIR) -> String {
        let variant = Self.variant(of: task)
        if let name = emittedComponents[variant] { return name }
        let definition = ir.components[task.component]
        // Where tasks of one component differ in container settings, each set of settings
        // makes a component of its own, named after the first task with them rather than
        // numbered, so that the other tasks' components keep their names.
        let hasSettings = task.resources != nil || !task.environment.isEmpty
        let settings = hasSettings && componentsWithVariants.contains(task.component) ? "-" + Self.sanitize(task.name) : ""
        let name = tables.names.claim("comp-" + Self.sanitize(definition.name) + settings)
        emittedComponents[variant] = name
        if case .pipeline(let pipeline) = definition.executor {
            // A DAG component: the sub-pipeline's root, its parts written beside ours.
            var inner = Emitter(ir: pipeline, tables: tables)
            let component = inner.rootComponent()
            tables = inner.tables
            tables.components.append(name, .object(component))
            return name
        }
        if case .compiledPipeline(let compiled) = definition.executor {
            tables.components.append(name, .object(embed(compiled)))
            return name
        }
        let executorLabel = tables.executorNames.claim("exec-" + name.dropFirst("comp-".count))
        var component = JSONObject()
        component.append("executorLabel", .string(executorLabel))
        var inputs = definition.inputs
        if case .customJob(let job) = definition.executor { inputs = CustomJobEncoding.inputs(inputs, job) }
        if let inputs = Self.interface(inputs, withDefaults: true) { component.append("inputDefinitions", inputs) }
        if let outputs = Self.interface(definition.outputs, withDefaults: false) { component.append("outputDefinitions", outputs) }
        tables.components.append(name, .object(component))
        if let executor = ExecutorEncoding.executor(definition.executor, for: task, names: names) { tables.executors.append(executorLabel, executor) }
        return name
    }

    /// A compiled pipeline's root as a DAG component, its components and executors added
    /// under names unique in this spec (and the references to them renamed).
    private mutating func embed(_ compiled: CompiledPipelineSpec) -> JSONObject {
        var componentNames: [String: String] = [:], executorNames: [String: String] = [:]
        for (key, _) in compiled.components.members { componentNames[key] = tables.names.claim(key) }
        for (key, _) in compiled.executors.members { executorNames[key] = tables.executorNames.claim(key) }
        func renamed(_ object: JSONObject) -> JSONObject {
            JSONObject(object.members.map { key, member in
                switch (key, member) {
                case ("executorLabel", .string(let label)): return (key, .string(executorNames[label] ?? label))
                case ("componentRef", .object(let reference)):
                    guard case .string(let name)? = reference["name"] else { return (key, member) }
                    return (key, .object(["name": .string(componentNames[name] ?? name)]))
                default: return (key, renamed(member))
                }
            })
        }
        func renamed(_ value: JSONValue) -> JSONValue {
            switch value {
            case .array(let items): return .array(items.map(renamed))
            case .object(let object): return .object(renamed(object))
            default: return value
            }
        }
        for (key, component) in compiled.components.members { tables.components.append(componentNames[key]!, renamed(component)) }
        for (key, executor) in compiled.executors.members { tables.executors.append(executorNames[key]!, executor) }
        return renamed(compiled.root)
    }

    /// KFP's component names: lowercase, with runs of other characters as one hyphen.
    private static func sanitize(_ name: String) -> String {
        var result = ""
        for character in name.pythonLowercased {
            if character.isASCII && (character.isLetter || character.isNumber) {
                result.append(character)
            } else if result.last != "-" {
                result.append("-")
            }
        }
        return result
    }

    private static func interface(_ specs: [IOSpec], withDefaults: Bool) -> JSONValue? {
        var parameters = JSONObject()
        var artifacts = JSONObject()
        for spec in specs {
            var definition = JSONObject()
            switch spec.type {
            case .parameter:
                if withDefaults, let value = spec.defaultValue { definition.append("defaultValue", value) }
                if let description = spec.description { definition.append("description", .string(description)) }
                if withDefaults, spec.isOptional || spec.defaultValue != nil { definition.append("isOptional", .bool(true)) }
                definition.append("parameterType", parameterType(spec.type))
                parameters.append(spec.name, .object(definition))
            case .artifact, .artifactList:
                definition.append("artifactType", artifactType(spec.type))
                if case .artifactList = spec.type { definition.append("isArtifactList", .bool(true)) }
                if let description = spec.description { definition.append("description", .string(description)) }
                if withDefaults, spec.isOptional { definition.append("isOptional", .bool(true)) }
                artifacts.append(spec.name, .object(definition))
            }
        }
        return inputs(parameters: parameters, artifacts: artifacts)
    }

    /// The pipeline's params, as its root's (or its DAG component's) inputs.
    private func rootInputDefinitions() -> JSONValue? {
        Self.interface(ir.params, withDefaults: true)
    }

    /// `{"parameters": …, "artifacts": …}` without empty members; `nil` when both are empty.
    private static func inputs(parameters: JSONObject, artifacts: JSONObject) -> JSONValue? {
        var result = JSONObject()
        if !artifacts.isEmpty { result.append("artifacts", .object(artifacts)) }
        if !parameters.isEmpty { result.append("parameters", .object(parameters)) }
        return result.isEmpty ? nil : .object(result)
    }

    static func parameterType(_ type: IOType) -> JSONValue {
        guard case .parameter(let parameter) = type else { return .string("STRING") }
        switch parameter {
        case .string: return .string("STRING")
        case .int: return .string("NUMBER_INTEGER")
        case .float: return .string("NUMBER_DOUBLE")
        case .bool: return .string("BOOLEAN")
        case .list: return .string("LIST")
        case .struct: return .string("STRUCT")
        case .taskFinalStatus: return .string("TASK_FINAL_STATUS")
        }
    }

    /// An artifact input's or output's definition: its type, and whether it is a list.
    static func artifactDefinition(_ type: IOType) -> JSONValue {
        var definition: JSONObject = ["artifactType": artifactType(type)]
        if case .artifactList = type { definition.append("isArtifactList", .bool(true)) }
        return .object(definition)
    }

    static func artifactType(_ type: IOType) -> JSONValue {
        guard let title = type.artifactTitle else { return .null }
        return .object(["schemaTitle": .string(title), "schemaVersion": .string("0.0.1")])
    }

    private static func retryPolicy(_ retry: RetryPolicy) -> JSONValue {
        .object([
            "backoffDuration": .string("\(retry.backoffSeconds)s"),
            "backoffFactor": .double(retry.backoffFactor),
            "backoffMaxDuration": .string("\(retry.maxBackoffSeconds)s"),
            "maxRetryCount": .int(retry.maxRetryCount),
        ])
    }
}

/// What every DAG of one spec writes into: components and executors, under names unique
/// across the spec.
private struct SpecTables {
    /// Component names.
    var names = UniqueNames()
    var executorNames = UniqueNames()
    var components = JSONObject()
    var executors = JSONObject()
}

