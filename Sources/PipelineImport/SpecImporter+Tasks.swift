import JSON
import PipelineConfig
import PipelineLowering
import PipelineSpecEmitter

// The DAG as pipespec tasks: arguments as references, settings, conditions.
extension SpecImporter {
    /// Where a DAG's `componentInputParameter`s come from, and the tasks beside each other in it.
    indirect enum Scope {
        /// The pipeline's params.
        case root(tasks: JSONObject)
        /// A group's inputs, which its task binds in the enclosing scope; a loop's item.
        case group(inputs: JSONObject, loop: Loop?, tasks: JSONObject, parent: Scope)

        var tasks: JSONObject {
            switch self {
            case .root(let tasks), .group(_, _, let tasks, _): return tasks
            }
        }

        /// How many groups are around.
        var depth: Int {
            if case .group(_, _, _, let parent) = self { return parent.depth + 1 }
            return 0
        }
    }

    /// A loop around a scope: the input its iterator fills with the item, and its name.
    struct Loop {
        let itemInput: String
        let name: String
    }

    /// A DAG's tasks and groups as entries of `tasks` (or a group's `then`).
    mutating func entries(of dag: JSONValue?, scope: Scope) throws -> [(key: String, value: YAMLText)] {
        guard scope.depth < Self.maximumDepth else { throw ImportError("components nest deeper than \(Self.maximumDepth) levels, or hold themselves") }
        let members = dag?["tasks"]?.objectValue?.members ?? []
        // Each exit handler's exit task: beside it, waiting for it whatever happened.
        var exitTasks: [String: String] = [:]
        for (key, task) in members where task[path: "triggerPolicy.strategy"]?.stringValue == "ALL_UPSTREAM_TASKS_COMPLETED" {
            for case .string(let upstream) in task["dependentTasks"]?.arrayValue ?? [] where upstream.hasPrefix("exit-handler-") {
                exitTasks[upstream] = key
            }
        }
        let exitTaskKeys = Set(exitTasks.values)
        var entries: [(key: String, value: YAMLText)] = []
        for (key, task) in members where !exitTaskKeys.contains(key) {
            guard case .object(let task) = task, let reference = task[path: "componentRef.name"]?.stringValue,
                  case .object(let component)? = components[reference]
            else { throw ImportError("task '\(key)' names no component of the spec") }
            if let exitKey = exitTasks[key], case .object(let exitTask)? = members.first(where: { $0.key == exitKey })?.value {
                entries.append(try exitHandler(key, task: task, component: component, exit: (exitKey, exitTask), scope: scope))
            } else if component["dag"] != nil && !Self.isSubPipeline(key, task: task) {
                entries.append(try group(key, task: task, component: component, scope: scope))
            } else {
                entries.append((key, .mapping(try self.task(key, task: task, component: component, reference: reference, scope: scope))))
            }
        }
        return entries
    }

    /// A DAG task that is neither a condition, a loop, an exit handler nor if/elif/else
    /// branches: a pipeline run as a component.
    static func isSubPipeline(_ key: String, task: JSONObject) -> Bool {
        task["triggerPolicy"]?["condition"] == nil && task["parameterIterator"] == nil && task["artifactIterator"] == nil
            && !key.hasPrefix("exit-handler-") && !key.hasPrefix("condition-branches-")
    }

    // MARK: Tasks

    private mutating func task(
        _ key: String, task: JSONObject, component: JSONObject, reference: String, scope: Scope
    ) throws -> [(key: String, value: YAMLText)] {
        var entry: [(key: String, value: YAMLText)] = []
        if let name = task[path: "taskInfo.name"]?.stringValue, name != key { entry.append(("display_name", .string(Self.literal(name)))) }
        var container = JSONObject()
        if component["dag"] != nil {
            entry.append(("uses", .string(catalog.use(pipeline: reference, in: spec))))
        } else {
            guard let label = component["executorLabel"]?.stringValue, let executor = executors[label] else {
                throw ImportError("task '\(key)': its component has no executor")
            }
            if case .object(let importer)? = executor["importer"] {
                return try self.importer(key, importer, task: task, display: entry, scope: scope)
            }
            guard case .object(let found)? = executor["container"] else { throw ImportError("task '\(key)': an executor pipespec cannot write") }
            container = found
        }
        let environment = container["env"]?.arrayValue ?? []
        let resources = container["resources"]?.objectValue
        container["env"] = nil
        container["resources"] = nil
        if component["dag"] == nil {
            entry.append(("uses", .string(catalog.use(key: reference, definition: component, container: container))))
        }
        let inputTypes = Self.inputTypes(component)
        var arguments: [(key: String, value: YAMLText)] = []
        var producers: Set<String> = []
        for section in ["parameters", "artifacts"] {
            // A final status is the backend's to fill in.
            for (name, source) in task[path: "inputs.\(section)"]?.objectValue?.members ?? []
            where inputTypes[name] != nil && source["taskFinalStatus"] == nil {
                arguments.append((name, try argument(source, type: inputTypes[name]!, task: task, scope: scope, producers: &producers)))
                if let text = source[path: "runtimeValue.constant"]?.stringValue ?? source[path: "runtimeValue.constantValue.stringValue"]?.stringValue,
                   RunIdentifiers.looksLikeOneRun(text) {
                    warnings.append("argument '\(name)' of task '\(key)' is '\(text)', which looks like one run's ID; write ${pipeline.job_id} instead")
                }
            }
        }
        if !arguments.isEmpty { entry.append(("with", .mapping(arguments))) }
        entry += try order(task, beyond: producers, scope: scope)
        if let retry = task["retryPolicy"]?.objectValue { entry.append(("retry", Self.retry(retry))) }
        if task[path: "triggerPolicy.strategy"]?.stringValue == "ALL_UPSTREAM_TASKS_COMPLETED" {
            entry.append(("ignore_upstream_failure", .scalar("true")))
        }
        if let resources {
            let written = try self.resources(resources, task: task, scope: scope)
            if case .mapping(let requests) = written, !requests.isEmpty {
                entry.append(("resources", written))
            } else {
                warnings.append("the resources of task '\(key)' are in a form pipespec does not read (only kfp 2's resourceCpuLimit and the like); they are left out")
            }
        }
        if !environment.isEmpty {
            entry.append(("env", .mapping(environment.compactMap { variable in
                variable["name"]?.stringValue.map { ($0, YAMLText.string(Self.literal(variable["value"]?.stringValue ?? ""))) }
            })))
        }
        return entry
    }

    /// Each input's parameter type (`nil` for artifacts), by name.
    private static func inputTypes(_ component: JSONObject) -> [String: String?] {
        var types: [String: String?] = [:]
        for (name, definition) in component[path: "inputDefinitions.parameters"]?.objectValue?.members ?? [] {
            types[name] = .some(parameterType(definition))
        }
        for (name, _) in component[path: "inputDefinitions.artifacts"]?.objectValue?.members ?? [] { types[name] = .some(nil) }
        return types
    }

    private static func retry(_ policy: JSONObject) -> YAMLText {
        var entry: [(key: String, value: YAMLText)] = [("max_retries", .constant(policy["maxRetryCount"] ?? .int(0)))]
        if let backoff = policy["backoffDuration"]?.stringValue { entry.append(("backoff", .string(backoff))) }
        if let factor = policy["backoffFactor"] { entry.append(("backoff_factor", .constant(factor))) }
        if let maximum = policy["backoffMaxDuration"]?.stringValue { entry.append(("max_backoff", .string(maximum))) }
        return .mapping(entry)
    }

    /// Requests as written (`resourceCpuLimit`, …), not as KFP's numbers; a param's value
    /// as its reference.
    private func resources(_ resources: JSONObject, task: JSONObject, scope: Scope) throws -> YAMLText {
        var ignored: Set<String> = []
        func amount(_ text: String) throws -> YAMLText {
            guard case .string(let written) = try interpolated(.string(text), task: task, scope: scope, producers: &ignored) else { return .string(text) }
            return written.allSatisfy(\.isNumber) ? .scalar(written) : .string(written)
        }
        var entry: [(key: String, value: YAMLText)] = []
        for (field, name) in [("resourceCpuLimit", "cpu_limit"), ("resourceCpuRequest", "cpu_request"),
                              ("resourceMemoryLimit", "memory_limit"), ("resourceMemoryRequest", "memory_request")] {
            if let text = resources[field]?.stringValue { entry.append((name, try amount(text))) }
        }
        if let accelerator = resources["accelerator"]?.objectValue,
           let type = accelerator["resourceType"]?.stringValue ?? accelerator["type"]?.stringValue {
            let count = accelerator["resourceCount"]?.stringValue ?? accelerator["count"]?.stringValue ?? "1"
            entry.append(("accelerator", .mapping([("type", try amount(type)), ("count", try amount(count))])))
        }
        return .mapping(entry)
    }

    /// An importer task: `import: {uri, type, metadata, reimport}`.
    private func importer(
        _ key: String, _ importer: JSONObject, task: JSONObject, display: [(key: String, value: YAMLText)], scope: Scope
    ) throws -> [(key: String, value: YAMLText)] {
        var producers: Set<String> = []
        var spec: [(key: String, value: YAMLText)] = []
        if let uri = importer[path: "artifactUri.constant"] {
            spec.append(("uri", .constant(Self.escaped(uri))))
        } else if let source = task[path: "inputs.parameters.uri"] {
            spec.append(("uri", try argument(source, type: "string", task: task, scope: scope, producers: &producers)))
        }
        spec.append(("type", .scalar(Self.artifactType(.object(["artifactType": importer["typeSchema"] ?? .null])))))
        if let metadata = importer["metadata"] {
            spec.append(("metadata", .constant(try interpolated(Self.escaped(metadata), task: task, scope: scope, producers: &producers))))
        }
        if importer["reimport"] == .bool(true) { spec.append(("reimport", .scalar("true"))) }
        return display + [("import", YAMLText.mapping(spec))] + (try order(task, beyond: producers, scope: scope))
    }

    /// `after` for the tasks waited for that no argument reads, and `caching: false`.
    private func order(_ task: JSONObject, beyond producers: Set<String>, scope: Scope) throws -> [(key: String, value: YAMLText)] {
        var entry: [(key: String, value: YAMLText)] = []
        let after = try waitedFor(task, beyond: producers, scope: scope)
        if !after.isEmpty { entry.append(("after", .sequence(after.map(YAMLText.string)))) }
        if task[path: "cachingOptions.enableCache"] != .bool(true) { entry.append(("caching", .scalar("false"))) }
        return entry
    }

    /// The names `after` gives for the tasks `task` waits for that no input of it reads.
    private func waitedFor(_ task: JSONObject, beyond producers: Set<String>, scope: Scope) throws -> [String] {
        try (task["dependentTasks"]?.arrayValue ?? []).compactMap(\.stringValue).filter { !producers.contains($0) }.map {
            try afterName($0, in: scope.tasks, depth: 0)
        }
    }

    /// An exit handler: its group's tasks under `do`, the task beside it that runs however
    /// they ended under `on_exit`.
    private mutating func exitHandler(
        _ key: String, task: JSONObject, component: JSONObject, exit: (key: String, task: JSONObject), scope: Scope
    ) throws -> (key: String, value: YAMLText) {
        let inputs = Self.inputs(of: task)
        let inner = Self.waiting(
            try entries(of: component["dag"], scope: .group(inputs: inputs, loop: nil, tasks: Self.tasks(component), parent: scope)),
            for: try groupWaits(task, scope: scope))
        guard let reference = exit.task[path: "componentRef.name"]?.stringValue, case .object(let exitComponent)? = components[reference] else {
            throw ImportError("the exit task of '\(key)' names no component of the spec")
        }
        // Waiting for the group and running whatever happened are what `on_exit` means.
        let exitEntry = try self.task(exit.key, task: exit.task, component: exitComponent, reference: reference, scope: scope)
            .filter { !["after", "ignore_upstream_failure"].contains($0.key) }
        let written = task[path: "taskInfo.name"]?.stringValue ?? key
        let name = Self.entryName(written == key ? String(key.dropFirst("exit-handler-".count)) : written)
        return (name, .mapping([("do", .mapping(inner)), ("on_exit", .mapping([(exit.key, .mapping(exitEntry))]))]))
    }

    // MARK: Arguments

    /// An input's source as the value `with` gives it.
    private func argument(
        _ source: JSONValue, type: String?, task: JSONObject, scope: Scope, producers: inout Set<String>
    ) throws -> YAMLText {
        if let constant = source[path: "runtimeValue.constant"] {
            return .constant(try interpolated(Self.escaped(constant), task: task, scope: scope, producers: &producers))
        }
        if let old = source[path: "runtimeValue.constantValue"]?.objectValue, let value = Self.constantValue(old, type: type) {
            return .constant(try interpolated(Self.escaped(value), task: task, scope: scope, producers: &producers))
        }
        return .string(try reference(source, scope: scope, producers: &producers))
    }

    /// kfp 1.8's `constantValue`: a list or struct was written as JSON text.
    private static func constantValue(_ value: JSONObject, type: String?) -> JSONValue? {
        if let number = value["intValue"] { return number.stringValue.flatMap(Double.init).map(JSONValue.double) ?? number }
        if let number = value["doubleValue"] { return number }
        guard let text = value["stringValue"]?.stringValue else { return nil }
        if type == "list" || type == "struct", let parsed = JSONText.parse(text) { return parsed }
        return .string(text)
    }

    /// A channel source as a reference: `${params.NAME}`, `${tasks.TASK.outputs.NAME}`, a
    /// loop's `${item}` (`${loops.NAME.item}` from inside a loop nested in it), a field of
    /// it, or what a loop's task gave, `….collected`.
    func reference(_ source: JSONValue, scope: Scope, producers: inout Set<String>, loopsPassed: Int = 0) throws -> String {
        for (kind, key) in [("taskOutputParameter", "outputParameterKey"), ("taskOutputArtifact", "outputArtifactKey")] {
            if let producer = source[kind]?["producerTask"]?.stringValue, let output = source[kind]?[key]?.stringValue {
                producers.insert(producer)
                return try taskOutput(producer, output, in: scope.tasks)
            }
        }
        guard let name = source["componentInputParameter"]?.stringValue ?? source["componentInputArtifact"]?.stringValue else {
            throw ImportError("an input source pipespec cannot write yet: \(String(decoding: JSONWriter.compactBytes(source), as: UTF8.self))")
        }
        switch scope {
        case .root:
            return "${params.\(name)}"
        case .group(let inputs, let loop, _, let parent):
            if let loop, loop.itemInput == name {
                let field = source["parameterExpressionSelector"]?.stringValue.flatMap(Self.selectedField).map { "." + $0 } ?? ""
                return loopsPassed == 0 ? "${item\(field)}" : "${loops.\(loop.name).item\(field)}"
            }
            guard var outer = inputs[name] else { throw ImportError("a group reads '\(name)', which its task does not pass") }
            if case .object(var object) = outer, let selector = source["parameterExpressionSelector"] {
                object["parameterExpressionSelector"] = selector
                outer = .object(object)
            }
            var ignored: Set<String> = []
            return try reference(outer, scope: parent, producers: &ignored, loopsPassed: loopsPassed + (loop == nil ? 0 : 1))
        }
    }

    /// What `after` names to wait for `key`: the task, or for a loop a task inside it
    /// (waiting for one of a loop's tasks waits for the whole loop).
    private func afterName(_ key: String, in tasks: JSONObject, depth: Int) throws -> String {
        guard let task = tasks[key], task["parameterIterator"] != nil || task["artifactIterator"] != nil,
              let reference = task[path: "componentRef.name"]?.stringValue, let component = components[reference]?.objectValue,
              let (first, _) = Self.tasks(component).members.first
        else { return key }
        guard depth < Self.maximumDepth else { throw ImportError("components nest deeper than \(Self.maximumDepth) levels, or hold themselves") }
        return try afterName(first, in: Self.tasks(component), depth: depth + 1)
    }

    /// The tasks a group waits for beyond those its inputs read: the emitter moves a task's
    /// wait for a task outside its group onto the group, so they go back onto its tasks.
    private func groupWaits(_ task: JSONObject, scope: Scope) throws -> [String] {
        let read = Set(Self.inputs(of: task).members.compactMap { _, source in
            source["taskOutputParameter"]?["producerTask"]?.stringValue ?? source["taskOutputArtifact"]?["producerTask"]?.stringValue
        })
        return try waitedFor(task, beyond: read, scope: scope)
    }

    /// Entries with `names` added to the `after` of each task among them.
    static func waiting(_ entries: [(key: String, value: YAMLText)], for names: [String]) -> [(key: String, value: YAMLText)] {
        guard !names.isEmpty else { return entries }
        return entries.map { key, value in
            guard case .mapping(var entry) = value, entry.contains(where: { $0.key == "uses" || $0.key == "import" }) else { return (key, value) }
            var after: [YAMLText] = []
            if let index = entry.firstIndex(where: { $0.key == "after" }) {
                if case .sequence(let items) = entry[index].value { after = items }
                entry.remove(at: index)
            }
            for name in names where !after.contains(where: { if case .scalar(let text) = $0 { return text == name } else { return false } }) {
                after.append(.string(name))
            }
            let position = (entry.firstIndex { $0.key == "with" } ?? entry.firstIndex { $0.key == "uses" || $0.key == "import" } ?? -1) + 1
            entry.insert(("after", .sequence(after)), at: position)
            return (key, .mapping(entry))
        }
    }

    /// How deep DAGs may nest: a spec whose component holds itself would go on forever.
    static let maximumDepth = 64

    /// A string as pipespec reads it back unchanged: a literal `${` written `$${`.
    static func literal(_ text: String) -> String {
        text.replacing("${", with: "$${")
    }

    /// `parseJson(string_value)["region"]` → `region`.
    private static func selectedField(_ selector: String) -> String? {
        guard selector.hasPrefix("parseJson(string_value)[\""), selector.hasSuffix("\"]") else { return nil }
        return String(selector.dropFirst("parseJson(string_value)[\"".count).dropLast(2))
    }

    /// A task's output as a reference: what a loop gathers, an if/elif/else output, or the
    /// task's own.
    func taskOutput(_ producer: String, _ output: String, in tasks: JSONObject) throws -> String {
        if let gathered = try collected(from: producer, output, in: tasks) { return gathered }
        if producer.hasPrefix("condition-branches-"), let wrapper = tasks[producer]?.objectValue, let number = output.split(separator: "-").last {
            return "${tasks.\(try ifElifElseName(wrapper)).outputs.oneof_\(number)}"
        }
        return "${tasks.\(producer).outputs.\(output)}"
    }

    /// When `producer` is a loop, the task inside it (or in loops inside it) whose output
    /// the loop gathers as `output`, as `${tasks.TASK.outputs.NAME.collected}`.
    func collected(from producer: String, _ output: String, in tasks: JSONObject, depth: Int = 0) throws -> String? {
        guard depth < Self.maximumDepth else { throw ImportError("components nest deeper than \(Self.maximumDepth) levels, or hold themselves") }
        guard let loop = tasks[producer], loop["parameterIterator"] != nil || loop["artifactIterator"] != nil,
              let reference = loop[path: "componentRef.name"]?.stringValue, let component = components[reference]
        else { return nil }
        let inner = component[path: "dag.tasks"]?.objectValue ?? [:]
        var source: (task: String, output: String)?
        if let parameter = component[path: "dag.outputs.parameters"]?[output]?["valueFromParameter"],
           let task = parameter["producerSubtask"]?.stringValue, let key = parameter["outputParameterKey"]?.stringValue {
            source = (task, key)
        } else if case .array(let selectors)? = component[path: "dag.outputs.artifacts"]?[output]?["artifactSelectors"],
                  let task = selectors.first?["producerSubtask"]?.stringValue, let key = selectors.first?["outputArtifactKey"]?.stringValue {
            source = (task, key)
        }
        guard let source else { throw ImportError("the loop '\(producer)' gives no output '\(output)'") }
        return try collected(from: source.task, source.output, in: inner, depth: depth + 1) ?? "${tasks.\(source.task).outputs.\(source.output).collected}"
    }

    /// Placeholders in strings as references: a task's `pipelinechannel--` inputs, and the
    /// run-time values.
    private func interpolated(_ value: JSONValue, task: JSONObject, scope: Scope, producers: inout Set<String>) throws -> JSONValue {
        switch value {
        case .string(var text):
            for runtime in RuntimeValue.allCases { text = text.replacing(runtime.placeholder, with: "${\(runtime.rawValue)}") }
            while let start = text.firstRange(of: "{{$.inputs.parameters['"), let end = text[start.upperBound...].firstRange(of: "']}}") {
                let name = String(text[start.upperBound..<end.lowerBound])
                guard let source = task[path: "inputs.parameters"]?[name] else { throw ImportError("'\(text)' reads '\(name)', which the task does not pass") }
                text.replaceSubrange(start.lowerBound..<end.upperBound, with: try reference(source, scope: scope, producers: &producers))
            }
            return .string(text)
        case .array(let items):
            return .array(try items.map { try interpolated($0, task: task, scope: scope, producers: &producers) })
        case .object(let object):
            return .object(JSONObject(try object.members.map { ($0.key, try interpolated($0.value, task: task, scope: scope, producers: &producers)) }))
        default:
            return value
        }
    }

    // MARK: Groups

    /// A name as a pipespec entry name: lowercase letters, digits and single `-` (kfp's rule),
    /// starting with a letter (else behind `prefix`), at most 63 characters.
    static func entryName(_ name: String, otherwise prefix: String = "group") -> String {
        let result = KFPNameRule.name(name, separator: "-", keepsSeparator: false)
        let named = result.first?.isLetter == true ? result : result.isEmpty ? prefix : prefix + "-" + result
        return String(named.prefix(63))
    }

    /// A task's or group's inputs, parameters and artifacts together.
    static func inputs(of task: JSONObject) -> JSONObject {
        JSONObject(["parameters", "artifacts"].flatMap { task[path: "inputs.\($0)"]?.objectValue?.members ?? [] })
    }

    static func tasks(_ component: JSONObject) -> JSONObject {
        component[path: "dag.tasks"]?.objectValue ?? [:]
    }

    /// A loop: `for_each` (the list written out, or the reference it iterates),
    /// `parallelism`, its tasks under `do`.
    private mutating func loop(_ key: String, task: JSONObject, component: JSONObject, scope: Scope) throws -> (key: String, value: YAMLText) {
        guard case .object(let iterator)? = task["parameterIterator"], let itemInput = iterator["itemInput"]?.stringValue else {
            throw ImportError("'\(key)' loops over artifacts; importing that is not supported yet")
        }
        let inputs = Self.inputs(of: task)
        let written = task[path: "taskInfo.name"]?.stringValue ?? key
        let name = Self.entryName(written == key ? String(key.dropFirst(key.hasPrefix("for-loop-") ? "for-loop-".count : 0)) : written)
        let items: YAMLText
        if let raw = iterator[path: "items.raw"]?.stringValue, let list = JSONText.parse(raw) {
            items = .constant(Self.escaped(list))
        } else if let parameter = iterator[path: "items.inputParameter"]?.stringValue, let source = inputs[parameter] {
            var ignored: Set<String> = []
            items = .string(try reference(source, scope: scope, producers: &ignored))
        } else {
            throw ImportError("the items of the loop '\(key)' are not a list or a channel")
        }
        let inner = Self.waiting(try entries(
            of: component["dag"], scope: .group(inputs: inputs, loop: Loop(itemInput: itemInput, name: name), tasks: Self.tasks(component), parent: scope)),
            for: try groupWaits(task, scope: scope))
        var entry: [(key: String, value: YAMLText)] = [("for_each", items)]
        if let limit = task[path: "iteratorPolicy.parallelismLimit"] { entry.append(("parallelism", .constant(limit))) }
        entry.append(("do", .mapping(inner)))
        return (name, .mapping(entry))
    }

    /// The branches of an if/elif/else wrapper in order (branch N's condition starts with
    /// the negations of the N before it), each with its task and component.
    private func branches(of wrapper: JSONObject) throws -> [(key: String, task: JSONObject, component: JSONObject, terms: [String])] {
        guard let reference = wrapper[path: "componentRef.name"]?.stringValue, let component = components[reference]?.objectValue else {
            throw ImportError("an if/elif/else names no component of the spec")
        }
        let found = try Self.tasks(component).members.map { key, value -> (key: String, task: JSONObject, component: JSONObject, terms: [String]) in
            guard case .object(let task) = value, let cel = task[path: "triggerPolicy.condition"]?.stringValue,
                  let inner = task[path: "componentRef.name"]?.stringValue, let branch = components[inner]?.objectValue
            else { throw ImportError("an if/elif/else holds '\(key)', which is not a branch") }
            return (key, task, branch, CELImport.conjunction(cel))
        }
        return Self.branchOrder(found.map(\.terms)).map { found[$0] }
    }

    /// The order branches were written in, from the terms each one's condition joins with
    /// `&&`: at each step, the branch whose own test every branch left negates next
    /// (`!(TEST) && …`); the else branch, with no test of its own, last.
    static func branchOrder(_ branches: [[String]]) -> [Int] {
        var ordered: [Int] = [], remaining = Array(branches.indices)
        while let next = remaining.firstIndex(where: { candidate in
            let own = branches[candidate].dropFirst(ordered.count).joined(separator: " && ")
            // A test of several `||`s is parenthesized where it is one term among others.
            let negations = ["!(\(own))"] + (own.hasPrefix("(") && own.hasSuffix(")") ? ["!\(own)"] : [])
            return !own.isEmpty && remaining.allSatisfy { other in
                other == candidate || (branches[other].count > ordered.count && negations.contains(branches[other][ordered.count]))
            }
        }) {
            ordered.append(remaining.remove(at: next))
        }
        return ordered + remaining
    }

    /// The name an if/elif/else is written under: its first branch's.
    private func ifElifElseName(_ wrapper: JSONObject) throws -> String {
        guard let first = try branches(of: wrapper).first else { throw ImportError("an if/elif/else without branches") }
        return Self.entryName(first.task[path: "taskInfo.name"]?.stringValue ?? first.key)
    }

    /// An if/elif/else: each branch's own test and tasks, and the outputs it gives (one value
    /// a branch, named `oneof_N` as the spec numbers them).
    private mutating func ifElifElse(_ key: String, task: JSONObject, component: JSONObject, scope: Scope) throws -> (key: String, value: YAMLText) {
        let inputs = Self.inputs(of: task)
        let wrapperScope = Scope.group(inputs: inputs, loop: nil, tasks: Self.tasks(component), parent: scope)
        let ordered = try branches(of: task)
        let outside = try groupWaits(task, scope: scope)
        var entry: [(key: String, value: YAMLText)] = []
        var elifs: [YAMLText] = []
        for (index, branch) in ordered.enumerated() {
            let branchInputs = Self.inputs(of: branch.task)
            let own = branch.terms.dropFirst(index)
            var ignored: Set<String> = []
            let condition = own.isEmpty ? nil : try CELImport.condition(own.joined(separator: " && ")) { name in
                guard let source = branchInputs[name] else { throw ImportError("a branch of '\(key)' reads '\(name)', which it is not passed") }
                return try reference(source, scope: wrapperScope, producers: &ignored)
            }
            let inner = YAMLText.mapping(Self.waiting(try entries(
                of: branch.component["dag"], scope: .group(inputs: branchInputs, loop: nil, tasks: Self.tasks(branch.component), parent: wrapperScope)),
                for: outside))
            switch (index, condition) {
            case (0, let condition?): entry += [("if", .string(condition)), ("then", inner)]
            case (_, let condition?): elifs.append(.mapping([("if", .string(condition)), ("then", inner)]))
            case (_, nil) where index == ordered.count - 1 && index > 0:
                if !elifs.isEmpty { entry.append(("elif", .sequence(elifs))) }
                elifs = []
                entry.append(("else", inner))
            default: throw ImportError("the branches of '\(key)' are not an if/elif/else pipespec can write")
            }
        }
        if !elifs.isEmpty { entry.append(("elif", .sequence(elifs))) }
        let outputs = try branchOutputs(component, branches: ordered)
        if !outputs.isEmpty { entry.append(("outputs", .mapping(outputs))) }
        return (try ifElifElseName(task), .mapping(entry))
    }

    /// The wrapper's outputs: for each, in the spec's numbering, the task output each branch
    /// gives it.
    private func branchOutputs(_ wrapper: JSONObject, branches: [(key: String, task: JSONObject, component: JSONObject, terms: [String])]) throws -> [(key: String, value: YAMLText)] {
        var outputs: [(number: Int, name: String, values: [YAMLText])] = []
        let declared = (wrapper[path: "dag.outputs.parameters"]?.objectValue?.members ?? []) + (wrapper[path: "dag.outputs.artifacts"]?.objectValue?.members ?? [])
        for (name, output) in declared {
            guard let number = name.split(separator: "-").last.flatMap({ Int($0) }) else { continue }
            let selectors = output[path: "valueFromOneof.parameterSelectors"]?.arrayValue ?? output["artifactSelectors"]?.arrayValue ?? []
            let values = try selectors.map { selector -> YAMLText in
                let keyName = selector["outputParameterKey"] != nil ? "outputParameterKey" : "outputArtifactKey"
                guard let branchKey = selector["producerSubtask"]?.stringValue, let channel = selector[keyName]?.stringValue,
                      let branch = branches.first(where: { $0.key == branchKey })
                else { throw ImportError("an if/elif/else output comes from no branch") }
                let surfaced = branch.component[path: "dag.outputs.parameters"]?[channel]?["valueFromParameter"]
                    ?? branch.component[path: "dag.outputs.artifacts"]?[channel]?["artifactSelectors"]?.arrayValue?.first
                guard let task = surfaced?["producerSubtask"]?.stringValue,
                      let key = surfaced?["outputParameterKey"]?.stringValue ?? surfaced?["outputArtifactKey"]?.stringValue
                else { throw ImportError("branch '\(branchKey)' gives no '\(channel)'") }
                return .string(try taskOutput(task, key, in: Self.tasks(branch.component)))
            }
            outputs.append((number, "oneof_\(number)", values))
        }
        return outputs.sorted { $0.number < $1.number }.map { ($0.name, YAMLText.sequence($0.values)) }
    }

    private mutating func group(_ key: String, task: JSONObject, component: JSONObject, scope: Scope) throws -> (key: String, value: YAMLText) {
        if task["parameterIterator"] != nil || task["artifactIterator"] != nil {
            return try loop(key, task: task, component: component, scope: scope)
        }
        guard let cel = task[path: "triggerPolicy.condition"]?.stringValue else {
            return try ifElifElse(key, task: task, component: component, scope: scope)
        }
        let inputs = Self.inputs(of: task)
        var ignored: Set<String> = []
        let condition = try CELImport.condition(cel) { name in
            guard let source = inputs[name] else { throw ImportError("the condition of '\(key)' reads '\(name)', which its task does not pass") }
            return try reference(source, scope: scope, producers: &ignored)
        }
        let inner = Self.waiting(
            try entries(of: component["dag"], scope: .group(inputs: inputs, loop: nil, tasks: Self.tasks(component), parent: scope)),
            for: try groupWaits(task, scope: scope))
        let written = task[path: "taskInfo.name"]?.stringValue ?? key
        let name = Self.entryName(written)
        if name != written { warnings.append("group '\(written)' is named '\(name)': pipespec names are lowercase letters, digits and '-'") }
        // An unnamed condition around one task is that task's `when`.
        if written == key, inner.count == 1, case .mapping(var entry) = inner[0].value, entry.contains(where: { $0.key == "uses" }) {
            let existing = entry.firstIndex { $0.key == "when" }
            let conditions: [YAMLText] = [.string(condition)] + (existing.map { index -> [YAMLText] in
                if case .sequence(let items) = entry[index].value { return items }
                return [entry[index].value]
            } ?? [])
            if let existing { entry.remove(at: existing) }
            let position = entry.firstIndex { $0.key == "with" } ?? entry.endIndex
            entry.insert(("when", conditions.count == 1 ? conditions[0] : .sequence(conditions)), at: position)
            return (inner[0].key, .mapping(entry))
        }
        return (name, .mapping([("if", .string(condition)), ("then", .mapping(inner))]))
    }
}

extension JSONValue {
    var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }
}
