import Diagnostics
import YAML

/// Decodes a schema-checked node tree into `PipelineConfig`. Shape errors were already
/// reported by the schema check; this stage adds the checks a schema cannot express
/// (a default of the wrong type, `${...}` syntax, condition syntax, duration bounds).
package struct ConfigDecoder {
    let diagnostics: DiagnosticEngine

    package init(diagnostics: DiagnosticEngine) {
        self.diagnostics = diagnostics
    }

    package func decode(_ root: Node, file: String) -> PipelineConfig? {
        let errorsBefore = diagnostics.errorCount
        guard let name = root["name"].flatMap(locatedString) else { return nil }
        let config = PipelineConfig(
            file: file,
            name: name,
            displayName: root["display_name"].flatMap { constantString($0, in: "display_name") },
            description: root["description"]?.string,
            pipelineRoot: root["pipeline_root"].flatMap(locatedString),
            params: (root["params"]?.mapping ?? []).compactMap(param),
            defaults: root["defaults"].map(defaults) ?? DefaultsConfig(),
            components: (root["components"]?.mapping ?? []).compactMap(component),
            tasks: taskEntries(root["tasks"]),
            outputs: outputs(root["outputs"])
        )
        return diagnostics.errorCount == errorsBefore ? config : nil
    }

    // MARK: Params and component interfaces

    private func param(_ entry: MappingEntry) -> ParamConfig? {
        let name = Located(entry.key, at: entry.keyLocation)
        if let typeName = entry.value.string {
            guard let type = IOType(name: typeName) else { return nil }
            return ParamConfig(name: name, type: type, defaultValue: nil, isOptional: false, description: nil)
        }
        guard let type = entry.value["type"]?.string.flatMap(IOType.init(name:)) else { return nil }
        if type.isArtifact, let node = entry.value["default"] {
            diagnostics.error(.artifactDefault, "artifact param '\(entry.key)' cannot have a default", at: node.location)
            return nil
        }
        let defaultValue = entry.value["default"].flatMap { constant($0, of: type, what: "parameter '\(entry.key)'") }
        guard let isOptional = optionality(entry.value, hasDefault: entry.value["default"] != nil) else { return nil }
        return ParamConfig(name: name, type: type, defaultValue: defaultValue, isOptional: isOptional, description: entry.value["description"]?.string)
    }

    private func io(_ entry: MappingEntry, allowsDefault: Bool) -> IOConfig? {
        let name = Located(entry.key, at: entry.keyLocation)
        let typeNode = entry.value.string != nil ? entry.value : entry.value["type"]
        guard let typeNode, let type = typeNode.string.flatMap(IOType.init(name:)) else { return nil }
        var defaultValue: Value?
        if allowsDefault, let node = entry.value["default"] {
            guard case .parameter = type else {
                diagnostics.error(.artifactDefault, "artifact input '\(entry.key)' cannot have a default", at: node.location)
                return nil
            }
            defaultValue = constant(node, of: type, what: "input '\(entry.key)'")
        }
        guard let isOptional = optionality(entry.value, hasDefault: entry.value["default"] != nil) else { return nil }
        return IOConfig(
            name: name, type: Located(type, at: typeNode.location), defaultValue: defaultValue,
            isOptional: isOptional, description: entry.value["description"]?.string)
    }

    /// A default makes a declaration optional; saying `optional: false` beside one is an error.
    private func optionality(_ node: Node, hasDefault: Bool) -> Bool? {
        guard let flagNode = node["optional"], let flag = flagNode.scalar?.boolValue else { return hasDefault }
        if hasDefault, !flag {
            diagnostics.error(.optionalContradictsDefault, "'optional: false' contradicts the default: a declaration with a default is optional", at: flagNode.location)
            return nil
        }
        return flag
    }

    /// A constant of `type`, for a default. References are not allowed: defaults are fixed
    /// when the pipeline is compiled.
    private func constant(_ node: Node, of type: IOType, what: String) -> Value? {
        guard let value = value(node) else { return nil }
        if let reference = value.references.first {
            diagnostics.error(.defaultNotConstant, "the default of \(what) must be a constant; '${\(reference.reference.spelling)}' is only allowed in task arguments", at: reference.location)
            return nil
        }
        guard case .parameter(let parameterType) = type else { return value }
        let kind = ValueKind(value.content)
        guard parameterType.admits(kind) else {
            let hint = parameterType.quotingHint(for: node.scalar?.text ?? "", kind: kind)
            diagnostics.error(.defaultType, "the default of \(what) must be \(parameterType.phrase), got \(node.kindDescription)\(hint)", at: node.location)
            return nil
        }
        return value
    }

    // MARK: Defaults and components

    private func defaults(_ node: Node) -> DefaultsConfig {
        DefaultsConfig(
            caching: node["caching"].flatMap(locatedBool),
            retry: node["retry"].flatMap(retry),
            resources: node["resources"].map(resources),
            environment: node["env"].map(environment) ?? [],
            arguments: (node["with"]?.mapping ?? []).map { entry in
                (Located(entry.key, at: entry.keyLocation), arguments(entry.value))
            }
        )
    }

    private func component(_ entry: MappingEntry) -> ComponentConfig? {
        let node = entry.value
        let implementation: ComponentConfig.Implementation
        if let container = node["container"] {
            guard let imageNode = container["image"], let image = constantString(imageNode, in: "a container's image") else { return nil }
            implementation = .container(ContainerConfig(
                image: Located(image, at: imageNode.location),
                command: (container["command"]?.sequence ?? []).compactMap(commandLineItem),
                args: (container["args"]?.sequence ?? []).compactMap(commandLineItem)))
        } else if let python = node["python"] {
            guard let source = python["source"].flatMap(locatedString),
                  let function = python["function"].flatMap(locatedString)
            else { return nil }
            implementation = .python(PythonConfig(
                source: source, function: function, baseImage: python["base_image"]?.string,
                packages: python["packages"]?.sequence?.compactMap(\.string) ?? [],
                pip: PipOptions(
                    indexURLs: python["pip_index_urls"]?.sequence?.compactMap(\.string) ?? [],
                    trustedHosts: python["pip_trusted_hosts"]?.sequence?.compactMap(\.string)),
                helpers: (python["helpers"]?.sequence ?? []).compactMap(locatedString),
                targetImage: python["target_image"].flatMap { constantString($0, in: "target_image") }))
        } else if let file = node["file"].flatMap(locatedString) {
            implementation = .file(file)
        } else if let pipeline = node["pipeline"].flatMap(locatedString) {
            implementation = .pipeline(pipeline)
        } else {
            return nil
        }
        return ComponentConfig(
            name: Located(entry.key, at: entry.keyLocation),
            description: node["description"]?.string,
            implementation: implementation,
            inputs: (node["inputs"]?.mapping ?? []).compactMap { io($0, allowsDefault: true) },
            outputs: (node["outputs"]?.mapping ?? []).compactMap { io($0, allowsDefault: false) },
            customJob: node.mapping?.first { $0.key == "custom_job" }.flatMap(customJob))
    }

    /// `custom_job`, its settings constants: GCPC bakes them into the component.
    private func customJob(_ entry: MappingEntry) -> CustomJobConfig? {
        let settings = arguments(entry.value)
        for reference in settings.flatMap(\.value.references) {
            diagnostics.error(
                .constantOnly, "custom_job settings are written into the component as they are; '${\(reference.reference.spelling)}' would not be filled in (pass the value as the task's argument of the same name instead)",
                at: reference.location)
        }
        guard settings.allSatisfy({ $0.value.references.isEmpty }) else { return nil }
        return CustomJobConfig(location: entry.keyLocation, settings: settings)
    }

    // MARK: Tasks

    private func taskEntries(_ node: Node?) -> [TaskEntry] {
        (node?.mapping ?? []).compactMap { entry in
            if entry.value["if"] != nil { return conditionGroup(entry).map(TaskEntry.conditionGroup) }
            if entry.value["for_each"] != nil { return loop(entry).map(TaskEntry.loop) }
            if entry.value["on_exit"] != nil { return exitHandler(entry).map(TaskEntry.exitHandler) }
            return task(entry).map(TaskEntry.task)
        }
    }

    private func task(_ entry: MappingEntry) -> TaskConfig? {
        let node = entry.value
        var importer: ImporterConfig?
        var importArguments: [Argument] = []
        if let importNode = node["import"] {
            guard let uri = importNode["uri"].flatMap(value), let typeNode = importNode["type"], let typeName = typeNode.string,
                  let type = IOType(name: typeName)
            else { return nil }
            let metadata = importNode["metadata"].flatMap(value)
            importer = ImporterConfig(
                uri: uri, type: Located(type, at: typeNode.location), reimport: importNode["reimport"]?.scalar?.boolValue ?? false,
                metadata: metadata)
            // What the importer reads: the URI, and the one reference its metadata may hold.
            importArguments = [Argument(name: Located("uri", at: importNode["uri"]!.location), value: uri)]
            let references = metadata?.references ?? []
            if let first = references.first {
                guard references.allSatisfy({ $0.reference == first.reference }) else {
                    diagnostics.error(.importerMetadata, "an importer's metadata may read one value (KFP passes it as one input); this reads \(Set(references.map(\.reference.spelling)).count)", at: references[1].location)
                    return nil
                }
                let whole = Template(segments: [.reference(first.reference, first.location)], location: first.location)
                importArguments.append(Argument(name: Located("metadata", at: first.location), value: Value(content: .string(whole), location: first.location)))
            }
        }
        guard let uses = node["uses"].flatMap(locatedString) ?? importer.map({ _ in Located("importer", at: entry.keyLocation) }) else { return nil }
        let after: [Located<String>]
        if let single = node["after"].flatMap(locatedString) {
            after = [single]
        } else {
            after = (node["after"]?.sequence ?? []).compactMap(locatedString)
        }
        let conditionNodes = node["when"].map { $0.sequence ?? [$0] } ?? []
        return TaskConfig(
            name: Located(entry.key, at: entry.keyLocation),
            uses: uses,
            importer: importer,
            displayName: node["display_name"].flatMap { constantString($0, in: "display_name") },
            arguments: importer == nil ? node["with"].map(arguments) ?? [] : importArguments,
            after: after,
            when: conditionNodes.compactMap(condition),
            caching: node["caching"].flatMap(locatedBool),
            ignoresUpstreamFailure: node["ignore_upstream_failure"]?.scalar?.boolValue ?? false,
            retry: node["retry"].flatMap(retry),
            resources: node["resources"].map(resources),
            environment: node["env"].map(environment) ?? [],
            environmentLocation: node["env"]?.location)
    }

    private func conditionGroup(_ entry: MappingEntry) -> ConditionGroupConfig? {
        let node = entry.value
        var branches: [ConditionGroupConfig.Branch] = []
        for branchNode in [node] + (node["elif"]?.sequence ?? []) {
            guard let conditionNode = branchNode["if"], let condition = condition(conditionNode) else { continue }
            branches.append(.init(condition: condition, tasks: taskEntries(branchNode["then"])))
        }
        return ConditionGroupConfig(
            name: Located(entry.key, at: entry.keyLocation),
            branches: branches,
            elseTasks: node["else"].map { taskEntries($0) },
            outputs: outputs(node["outputs"]), outputsLocation: node["outputs"]?.location)
    }

    /// `outputs`: a reference (a pipeline's) or a list of references (a group's), by name.
    private func outputs(_ node: Node?) -> [OutputConfig] {
        (node?.mapping ?? []).compactMap { entry in
            let values = (entry.value.sequence ?? [entry.value]).compactMap(value)
            return OutputConfig(name: Located(entry.key, at: entry.keyLocation), values: values)
        }
    }

    private func exitHandler(_ entry: MappingEntry) -> ExitHandlerConfig? {
        guard let exitTasks = entry.value["on_exit"]?.mapping, let exit = exitTasks.first, let exitTask = task(exit) else { return nil }
        if exitTasks.count > 1 {
            diagnostics.error(.exitTaskCount, "an exit handler runs one task on exit; put the others in a group under 'do' or after it", at: exitTasks[1].keyLocation)
            return nil
        }
        return ExitHandlerConfig(name: Located(entry.key, at: entry.keyLocation), tasks: taskEntries(entry.value["do"]), exitTask: exitTask)
    }

    private func loop(_ entry: MappingEntry) -> LoopConfig? {
        let node = entry.value
        guard let items = node["for_each"].flatMap(value) else { return nil }
        return LoopConfig(
            name: Located(entry.key, at: entry.keyLocation), items: items,
            parallelism: node["parallelism"]?.scalar?.intValue, tasks: taskEntries(node["do"]))
    }

    private func condition(_ node: Node) -> Condition? {
        guard let scalar = node.scalar else { return nil }
        return ConditionParser.parse(scalar, at: node.location, diagnostics: diagnostics)
    }

    private func arguments(_ node: Node) -> [Argument] {
        Self.compactMap(node.mapping ?? []) { entry in
            value(entry.value).map { Argument(name: Located(entry.key, at: entry.keyLocation), value: $0) }
        }
    }

    /// `compactMap` into an array sized once: a task may have hundreds of thousands of
    /// arguments, and growing by doubling holds up to three times their size at a time.
    private static func compactMap<Element, Result>(_ elements: [Element], _ transform: (Element) -> Result?) -> [Result] {
        var results: [Result] = []
        results.reserveCapacity(elements.count)
        for element in elements {
            if let result = transform(element) { results.append(result) }
        }
        return results
    }

    private func environment(_ node: Node) -> [(name: String, value: String)] {
        (node.mapping ?? []).compactMap { env in constantString(env.value, in: "env").map { (env.key, $0) } }
    }

    /// A string Vertex AI takes as written when the pipeline is submitted: `$${` writes `${`,
    /// and a `${...}` reference is an error, since nothing would fill it in.
    private func constantString(_ node: Node, in setting: String) -> String? {
        guard let scalar = node.scalar, let template = TemplateParser.parse(scalar, at: node.location, diagnostics: diagnostics) else { return nil }
        if let reference = template.references.first {
            diagnostics.error(.constantOnly, "\(setting) is written into the pipeline as it is; '${\(reference.reference.spelling)}' would not be filled in (write $${ for a literal ${)", at: reference.location)
            return nil
        }
        return template.constantText
    }

    private func retry(_ node: Node) -> RetryConfig? {
        guard let maxRetries = node["max_retries"]?.scalar?.intValue else { return nil }
        /// The duration under `key` in seconds, at most `limit`.
        func duration(_ key: String, limit: (seconds: Int, phrase: String)) -> Located<Int>? {
            guard let value = node[key], let text = value.string else { return nil }
            guard let seconds = Self.seconds(text), seconds <= limit.seconds else {
                diagnostics.error(.valueTooLarge, "\(key) is at most \(limit.phrase), got \(text)", at: value.location)
                return nil
            }
            return Located(seconds, at: value.location)
        }
        return RetryConfig(
            maxRetries: maxRetries,
            // The longest protobuf Duration: 10,000 years.
            backoffSeconds: duration("backoff", limit: (315_576_000_000, "10,000 years (315576000000s)"))?.value,
            backoffFactor: node["backoff_factor"]?.scalar?.doubleValue,
            maxBackoffSeconds: duration("max_backoff", limit: (3600, "1h (3600s) on Vertex AI")))
    }

    /// Seconds in a duration such as `30s`, `5m`, `1h`, `2d` or `1w`; `nil` when the
    /// number does not fit.
    static func seconds(_ duration: String) -> Int? {
        let perUnit: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        guard let unit = duration.last.flatMap({ perUnit[$0] }), let amount = Int(duration.dropLast()) else { return nil }
        let (seconds, overflow) = amount.multipliedReportingOverflow(by: unit)
        return overflow ? nil : seconds
    }

    private func resources(_ node: Node) -> ResourcesConfig {
        ResourcesConfig(
            location: node.location,
            cpuLimit: node["cpu_limit"].flatMap(value), cpuRequest: node["cpu_request"].flatMap(value),
            memoryLimit: node["memory_limit"].flatMap(value), memoryRequest: node["memory_request"].flatMap(value),
            acceleratorType: node["accelerator"]?["type"].flatMap(value), acceleratorCount: node["accelerator"]?["count"].flatMap(value))
    }

    // MARK: Values

    package func value(_ node: Node) -> Value? {
        switch node.content {
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return Value(content: .null, location: node.location)
            case .bool: return Value(content: .bool(scalar.boolValue!), location: node.location)
            case .int:
                guard let number = scalar.intValue else {
                    diagnostics.error(.integerTooLarge, "the integer \(scalar.text) is too large", at: node.location)
                    return nil
                }
                return Value(content: .int(number), location: node.location)
            case .float:
                guard let number = scalar.doubleValue, number.isFinite else {
                    diagnostics.error(.nonFiniteNumber, "\(scalar.text) cannot be written in JSON; use a finite number", at: node.location)
                    return nil
                }
                return Value(content: .float(number), location: node.location)
            case .string:
                return template(node).map { Value(content: .string($0), location: node.location) }
            }
        case .sequence(let items):
            let values = Self.compactMap(items, value)
            return values.count == items.count ? Value(content: .list(values), location: node.location) : nil
        case .mapping(let entries):
            let values = Self.compactMap(entries) { entry in
                value(entry.value).map { (key: Located(entry.key, at: entry.keyLocation), value: $0) }
            }
            return values.count == entries.count ? Value(content: .map(values), location: node.location) : nil
        }
    }

    private func commandLineItem(_ node: Node) -> CommandLineConfig? {
        guard let input = node["if_present"] else { return template(node).map(CommandLineConfig.argument) }
        guard let name = input.string else { return nil }
        return .ifPresent(
            input: Located(name, at: input.location), then: (node["then"]?.sequence ?? []).compactMap(template),
            otherwise: node["else"].map { ($0.sequence ?? []).compactMap(template) })
    }

    private func template(_ node: Node) -> Template? {
        guard let scalar = node.scalar else { return nil }
        return TemplateParser.parse(scalar, at: node.location, diagnostics: diagnostics)
    }

    private func locatedString(_ node: Node) -> Located<String>? {
        node.string.map { Located($0, at: node.location) }
    }

    private func locatedBool(_ node: Node) -> Located<Bool>? {
        node.scalar?.boolValue.map { Located($0, at: node.location) }
    }
}

extension DiagnosticID {
    static let exitTaskCount = DiagnosticID("exit-task-count")
    static let constantOnly = DiagnosticID("constant-only")
    static let importerMetadata = DiagnosticID("importer-metadata")
    static let artifactDefault = DiagnosticID("artifact-default")
    static let optionalContradictsDefault = DiagnosticID("optional-contradicts-default")
    static let defaultNotConstant = DiagnosticID("default-not-constant")
    static let defaultType = DiagnosticID("default-type")
    static let valueTooLarge = DiagnosticID("value-too-large")
    static let integerTooLarge = DiagnosticID("integer-too-large")
    static let nonFiniteNumber = DiagnosticID("non-finite-number")
}
