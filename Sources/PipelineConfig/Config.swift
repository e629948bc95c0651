import Diagnostics

/// A value and where it was written.
package struct Located<Value: Sendable>: Sendable {
    package let value: Value
    package let location: SourceLocation

    package init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// The typed form of a pipeline file, as the schema describes it. Names are not resolved yet:
/// that, and every check across entities, is lowering's work.
package struct PipelineConfig: Sendable {
    package var file: String
    package var name: Located<String>
    package var displayName: String?
    package var description: String?
    package var pipelineRoot: Located<String>?
    package var params: [ParamConfig]
    package var defaults: DefaultsConfig
    package var components: [ComponentConfig]
    package var tasks: [TaskEntry]
    /// What the pipeline gives back (its DAG outputs): each one reference to a value.
    package var outputs: [OutputConfig]
}

/// A named value a pipeline or an if/elif/else group gives back: one reference, or for a
/// group one reference per branch (the value of the branch that ran).
package struct OutputConfig: Sendable {
    package var name: Located<String>
    package var values: [Value]
}

package enum ParameterType: String, CaseIterable, Sendable {
    case string, int, float, bool, list, `struct`
    /// How the tasks an exit handler guards ended; only an exit task's input has it.
    case taskFinalStatus = "task_final_status"
}

/// The type of a component input or output.
package enum IOType: Sendable, Equatable {
    case parameter(ParameterType)
    /// An artifact, by schema title (`system.Dataset`, `google.VertexDataset`).
    case artifact(String)
    /// A list of artifacts of one schema title (written `list[Model]`), such as a loop collects.
    case artifactList(String)

    /// KFP's own artifact classes, whose schema titles are `system.` and the name.
    package static let systemArtifactNames = ["Artifact", "Dataset", "Model", "Metrics", "ClassificationMetrics", "SlicedClassificationMetrics", "HTML", "Markdown"]

    package init?(name: String) {
        if name.hasPrefix("list["), name.hasSuffix("]"), case .artifact(let title)? = IOType(name: String(name.dropFirst(5).dropLast())) {
            self = .artifactList(title)
        } else if let parameter = ParameterType(rawValue: name) {
            self = .parameter(parameter)
        } else if name.contains(".") {
            self = .artifact(name)
        } else if Self.systemArtifactNames.contains(name) {
            self = .artifact("system." + name)
        } else {
            return nil
        }
    }

    /// The schema title of an artifact type or of a list's artifacts.
    package var artifactTitle: String? {
        switch self {
        case .parameter: return nil
        case .artifact(let title), .artifactList(let title): return title
        }
    }

    /// Whether values of the type are artifacts (one or a list).
    package var isArtifact: Bool {
        if case .parameter = self { return false }
        return true
    }
}

package struct ParamConfig: Sendable {
    package var name: Located<String>
    /// A parameter type, or an artifact type: an artifact handed to the pipeline by the
    /// pipeline that uses it as a component.
    package var type: IOType
    package var defaultValue: Value?
    package var isOptional: Bool
    package var description: String?
}

package struct DefaultsConfig: Sendable {
    package var caching: Located<Bool>?
    package var retry: RetryConfig?
    /// Resources of every task that sets none of its own.
    package var resources: ResourcesConfig?
    /// Environment variables of every task; a task's own of the same name win.
    package var environment: [(name: String, value: String)]
    /// Arguments for every task whose component matches the selector, in file order.
    package var arguments: [(selector: Located<String>, arguments: [Argument])]

    package init(
        caching: Located<Bool>? = nil, retry: RetryConfig? = nil, resources: ResourcesConfig? = nil,
        environment: [(name: String, value: String)] = [], arguments: [(selector: Located<String>, arguments: [Argument])] = []
    ) {
        self.caching = caching
        self.retry = retry
        self.resources = resources
        self.environment = environment
        self.arguments = arguments
    }
}

package struct ComponentConfig: Sendable {
    package enum Implementation: Sendable {
        case container(ContainerConfig)
        case python(PythonConfig)
        /// A KFP component YAML file, path relative to the pipeline file.
        case file(Located<String>)
        /// A pipeline file, path relative to this one: its params are the inputs, its
        /// outputs the outputs.
        case pipeline(Located<String>)
    }

    package var name: Located<String>
    package var description: String?
    package var implementation: Implementation
    package var inputs: [IOConfig]
    package var outputs: [IOConfig]
    /// Set when the component runs as a Vertex AI CustomJob.
    package var customJob: CustomJobConfig?
}

/// `custom_job`: a component run as a Vertex AI CustomJob, with GCPC's settings of
/// `create_custom_training_job_from_component`, all constants.
package struct CustomJobConfig: Sendable {
    /// Where `custom_job` is written.
    package var location: SourceLocation
    package var settings: [Argument]

    package init(location: SourceLocation, settings: [Argument]) {
        self.location = location
        self.settings = settings
    }

    package func setting(_ name: String) -> Value? { settings.first { $0.name.value == name }?.value }
}

package struct IOConfig: Sendable {
    package var name: Located<String>
    package var type: Located<IOType>
    package var defaultValue: Value?
    package var isOptional: Bool
    package var description: String?
}

package struct ContainerConfig: Sendable {
    package var image: Located<String>
    package var command: [CommandLineConfig]
    package var args: [CommandLineConfig]
}

/// One item of a container's `command` or `args`.
package enum CommandLineConfig: Sendable {
    case argument(Template)
    /// `then` when the optional input is given, else `otherwise`.
    case ifPresent(input: Located<String>, then: [Template], otherwise: [Template]?)
}

package struct PythonConfig: Sendable {
    package var source: Located<String>
    package var function: Located<String>
    package var baseImage: String?
    package var packages: [String]
    package var pip: PipOptions
    /// Other functions of the source, embedded before the function.
    package var helpers: [Located<String>]
    /// The image of a containerized component (kfp's `target_image`).
    package var targetImage: String?
}

/// Where pip installs packages from.
package struct PipOptions: Sendable, Hashable {
    /// The first is the index, the others extra indexes.
    package var indexURLs: [String]
    /// Hosts trusted without TLS; `nil` trusts the index URLs.
    package var trustedHosts: [String]?

    package init(indexURLs: [String] = [], trustedHosts: [String]? = nil) {
        self.indexURLs = indexURLs
        self.trustedHosts = trustedHosts
    }
}

package indirect enum TaskEntry: Sendable {
    case task(TaskConfig)
    case conditionGroup(ConditionGroupConfig)
    case loop(LoopConfig)
    case exitHandler(ExitHandlerConfig)

    package var name: Located<String> {
        switch self {
        case .task(let task): return task.name
        case .conditionGroup(let group): return group.name
        case .loop(let loop): return loop.name
        case .exitHandler(let handler): return handler.name
        }
    }
}

package struct TaskConfig: Sendable {
    package var name: Located<String>
    package var uses: Located<String>
    /// For an importer task (`import:` instead of `uses:`), what it imports.
    package var importer: ImporterConfig?
    package var displayName: String?
    package var arguments: [Argument]
    package var after: [Located<String>]
    /// All must hold; each becomes one nested condition.
    package var when: [Condition]
    package var caching: Located<Bool>?
    /// Run once the upstream tasks have finished, even if one failed.
    package var ignoresUpstreamFailure: Bool
    package var retry: RetryConfig?
    package var resources: ResourcesConfig?
    package var environment: [(name: String, value: String)]
    /// Where `env` is written, if it is.
    package var environmentLocation: SourceLocation?
}

/// `if` / `then`, any `elif` branches, and an optional `else`.
package struct ConditionGroupConfig: Sendable {
    package struct Branch: Sendable {
        package var condition: Condition
        package var tasks: [TaskEntry]
    }

    package var name: Located<String>
    package var branches: [Branch]
    package var elseTasks: [TaskEntry]?
    /// Values taken from whichever branch ran, one reference per branch in order.
    package var outputs: [OutputConfig]
    package var outputsLocation: SourceLocation?
}

/// `import`: an existing URI made an artifact.
package struct ImporterConfig: Sendable {
    package var uri: Value
    package var type: Located<IOType>
    package var reimport: Bool
    package var metadata: Value?
}

/// `do` / `on_exit`: a task run once the guarded tasks have finished, however they ended.
package struct ExitHandlerConfig: Sendable {
    package var name: Located<String>
    package var tasks: [TaskEntry]
    package var exitTask: TaskConfig
}

/// `for_each` / `do`: tasks run once for each item of a list.
package struct LoopConfig: Sendable {
    package var name: Located<String>
    /// A list written out, or a string that is one reference to a list.
    package var items: Value
    package var parallelism: Int?
    package var tasks: [TaskEntry]
}

package struct Argument: Sendable {
    package var name: Located<String>
    package var value: Value
}

package struct RetryConfig: Sendable {
    package var maxRetries: Int
    package var backoffSeconds: Int?
    package var backoffFactor: Double?
    package var maxBackoffSeconds: Located<Int>?
}

/// Each amount a constant (a string as written, a number) or a string that is one reference.
package struct ResourcesConfig: Sendable {
    package var location: SourceLocation
    package var cpuLimit: Value?
    package var cpuRequest: Value?
    package var memoryLimit: Value?
    package var memoryRequest: Value?
    package var acceleratorType: Value?
    package var acceleratorCount: Value?
}

/// A YAML value whose strings may hold `${...}` references: an argument, a default.
package struct Value: Sendable {
    // Not `indirect`: lists and maps recurse through arrays, and a box for every scalar of
    // a large pipeline cost more than the inline payload.
    package enum Content: Sendable {
        case null
        case bool(Bool)
        case int(Int)
        case float(Double)
        case string(Template)
        case list([Value])
        case map([(key: Located<String>, value: Value)])
    }

    package let content: Content
    package let location: SourceLocation

    /// Every reference inside, depth first.
    package var references: [(reference: Reference, location: SourceLocation)] {
        switch content {
        case .string(let template): return template.references
        case .list(let items): return items.flatMap(\.references)
        case .map(let entries): return entries.flatMap(\.value.references)
        default: return []
        }
    }

    /// The items, when this is a list.
    package var listItems: [Value]? {
        if case .list(let items) = content { return items }
        return nil
    }
}
