import Diagnostics
import PipelineConfig
import Testing
import YAML

/// Decodes a pipeline document; returns the config (nil on errors) and the diagnostics.
func decode(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (config: PipelineConfig?, diagnostics: [String]) {
    let root = try readYAML(text, sourceLocation: sourceLocation)
    let engine = DiagnosticEngine()
    let config = ConfigDecoder(diagnostics: engine).decode(root, file: file)
    #expect((config == nil) == engine.hasErrors, sourceLocation: sourceLocation)
    return (config, engine.rendered)
}

/// Decodes a document that must be free of errors.
func decodeValid(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> PipelineConfig {
    let (config, diagnostics) = try decode(text, sourceLocation: sourceLocation)
    #expect(diagnostics == [], sourceLocation: sourceLocation)
    return try #require(config, sourceLocation: sourceLocation)
}

/// A pipeline whose only task, `train`, has the body `task` (indented by four spaces, its
/// first line on line 4).
func pipeline(task: String) -> String {
    "name: demo\ntasks:\n  train:\n" + task.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
}

/// A pipeline with one task and `params` written as given (the first param on line 3).
func pipeline(params: String) -> String {
    "name: demo\nparams:\n" + params.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\ntasks: {a: {uses: c}}\n"
}

func onlyTask(_ config: PipelineConfig, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> TaskConfig {
    #expect(config.tasks.count == 1, sourceLocation: sourceLocation)
    guard case .task(let task) = config.tasks.first else {
        Issue.record("expected a task", sourceLocation: sourceLocation)
        throw CancellationError()
    }
    return task
}

/// A readable form of a decoded value.
func describe(_ value: Value) -> String {
    switch value.content {
    case .null: return "null"
    case .bool(let flag): return "\(flag)"
    case .int(let number): return "int \(number)"
    case .float(let number): return "float \(number)"
    case .string(let template): return "'" + segments(template).joined() + "'"
    case .list(let items): return "[" + items.map(describe).joined(separator: ", ") + "]"
    case .map(let entries): return "{" + entries.map { "\($0.key.value): \(describe($0.value))" }.joined(separator: ", ") + "}"
    }
}

// MARK: - The pipeline and its params

@Suite struct PipelineDecodingTests {
    @Test func topLevelFieldsAreDecodedWithLocations() throws {
        let config = try decodeValid("""
            name: demo
            display_name: Demo pipeline
            description: Does things.
            pipeline_root: gs://bucket/root
            tasks:
              first: {uses: step}
              second: {uses: dataproc/pyspark-batch}
            """)
        #expect(config.file == file)
        #expect(config.name.value == "demo")
        #expect(config.name.location == at(1, 7))
        #expect(config.displayName == "Demo pipeline")
        #expect(config.description == "Does things.")
        #expect(config.pipelineRoot?.value == "gs://bucket/root")
        #expect(config.pipelineRoot?.location == at(4, 16))
        #expect(config.tasks.map(\.name.value) == ["first", "second"])
        #expect(config.tasks.map(\.name.location) == [at(6, 3), at(7, 3)])
        #expect(config.params.isEmpty)
        #expect(config.components.isEmpty)
    }

    @Test func aDocumentWithoutANameDecodesToNothing() throws {
        // The schema check reports the missing name; decoding just stops.
        let engine = DiagnosticEngine()
        let config = ConfigDecoder(diagnostics: engine).decode(try readYAML("tasks: {a: {uses: c}}\n"), file: file)
        #expect(config == nil)
        #expect(engine.diagnostics.isEmpty)
    }

    @Test func paramShorthandDeclaresARequiredParam() throws {
        let config = try decodeValid(pipeline(params: "region: string\ncount: int"))
        #expect(config.params.map(\.name.value) == ["region", "count"])
        #expect(config.params.map(\.name.location) == [at(3, 3), at(4, 3)])
        #expect(config.params.map(\.type) == [.parameter(.string), .parameter(.int)])
        #expect(config.params.allSatisfy { !$0.isOptional && $0.defaultValue == nil && $0.description == nil })
    }

    @Test func paramLongFormKeepsDefaultOptionalityAndDescription() throws {
        let config = try decodeValid(pipeline(params: """
            threshold: {type: float, default: 0.5, description: Cut-off.}
            rate: {type: float, default: 1}
            tags: {type: list, default: [a, b]}
            extra: {type: struct, default: {k: v}}
            maybe: {type: string, optional: true}
            must: {type: bool, optional: false}
            both: {type: int, default: 3, optional: true}
            """))
        let params = Dictionary(uniqueKeysWithValues: config.params.map { ($0.name.value, $0) })
        #expect(params["threshold"].flatMap(\.defaultValue).map(describe) == "float 0.5")
        #expect(params["threshold"]?.defaultValue?.location == at(3, 37))
        #expect(params["threshold"]?.isOptional == true)
        #expect(params["threshold"]?.description == "Cut-off.")
        // An integer default is fine for a float.
        #expect(params["rate"].flatMap(\.defaultValue).map(describe) == "int 1")
        #expect(params["tags"].flatMap(\.defaultValue).map(describe) == "['a', 'b']")
        #expect(params["extra"].flatMap(\.defaultValue).map(describe) == "{k: 'v'}")
        #expect(params["maybe"]?.isOptional == true)
        #expect(params["maybe"]?.defaultValue == nil)
        #expect(params["must"]?.isOptional == false)
        #expect(params["both"]?.isOptional == true)
    }

    @Test(arguments: [
        ("string", "5", "must be a string, got an integer; write \"5\" in quotes for a string"),
        ("string", "true", "must be a string, got a boolean; write \"true\" in quotes for a string"),
        ("string", "1.5", "must be a string, got a number; write \"1.5\" in quotes for a string"),
        ("string", "~", "must be a string, got null"),
        ("int", "1.5", "must be an integer, got a number"),
        ("int", "'3'", "must be an integer, got a string"),
        ("float", "abc", "must be a number, got a string"),
        ("bool", "yes", "must be a boolean, got a string"),
        ("list", "{a: 1}", "must be a list, got a mapping"),
        ("struct", "[1]", "must be a mapping, got a list"),
    ])
    func aDefaultOfTheWrongTypeIsReportedAtTheDefault(type: String, written: String, message: String) throws {
        let (config, diagnostics) = try decode(pipeline(params: "x: {type: \(type), default: \(written)}"))
        #expect(config == nil)
        let column = try column(of: "default: ", in: "  x: {type: \(type), default: \(written)}") + "default: ".count
        #expect(diagnostics == ["p.yaml:3:\(column): error: the default of parameter 'x' \(message)"])
    }

    @Test func aDefaultMayNotHoldReferences() throws {
        let (config, diagnostics) = try decode(pipeline(params: "x: {type: list, default: [a, \"${pipeline.job_id}\"]}"))
        #expect(config == nil)
        #expect(diagnostics == [
            "p.yaml:3:33: error: the default of parameter 'x' must be a constant; '${pipeline.job_id}' is only allowed in task arguments",
        ])
    }

    @Test func optionalFalseBesideADefaultIsAnError() throws {
        let (config, diagnostics) = try decode(pipeline(params: "x: {type: int, default: 3, optional: false}"))
        #expect(config == nil)
        #expect(diagnostics == ["p.yaml:3:40: error: 'optional: false' contradicts the default: a declaration with a default is optional"])
    }
}

// MARK: - Components

@Suite struct ComponentDecodingTests {
    static let components = """
        name: demo
        components:
          train:
            description: Trains.
            container:
              image: gcr.io/p/train:1
              command: [train, "${inputs.data}"]
              args: [--out, "${outputs.model.uri}"]
            inputs:
              data: Dataset
              vertex: google.VertexDataset
              rate: {type: float, default: 0.1}
              flag: {type: bool, optional: true}
            outputs: {model: Model, score: float}
          fn:
            python: {source: fn.py, function: run, base_image: python:3.12, packages: [pandas, numpy]}
          loaded:
            file: components/loaded.yaml
        tasks: {a: {uses: train}}
        """

    @Test func containerComponentsKeepTheirInterfaceAndCommandLine() throws {
        let config = try decodeValid(Self.components)
        #expect(config.components.map(\.name.value) == ["train", "fn", "loaded"])
        let train = try #require(config.components.first)
        #expect(train.name.location == at(3, 3))
        #expect(train.description == "Trains.")
        guard case .container(let container) = train.implementation else {
            Issue.record("expected a container component")
            return
        }
        #expect(container.image.value == "gcr.io/p/train:1")
        #expect(container.image.location == at(6, 14))
        #expect(container.command.map { segments($0) } == [["train"], ["{inputs.data@7:25}"]])
        #expect(container.args.map { segments($0) } == [["--out"], ["{outputs.model.uri@8:22}"]])
        #expect(train.inputs.map(\.name.value) == ["data", "vertex", "rate", "flag"])
        #expect(train.inputs.map(\.type.value) == [.artifact("system.Dataset"), .artifact("google.VertexDataset"), .parameter(.float), .parameter(.bool)])
        #expect(train.inputs.map(\.type.location) == [at(10, 13), at(11, 15), at(12, 20), at(13, 20)])
        #expect(train.inputs.map(\.isOptional) == [false, false, true, true])
        #expect(train.inputs[2].defaultValue.map(describe) == "float 0.1")
        #expect(train.outputs.map(\.type.value) == [.artifact("system.Model"), .parameter(.float)])
    }

    @Test func anIfPresentItemNamesItsInputAndBranches() throws {
        let config = try decodeValid("""
            name: demo
            components:
              run:
                container:
                  image: alpine
                  args: [{if_present: limit, then: ["--limit=${inputs.limit}"], else: [--all]}]
                inputs: {limit: {type: int, optional: true}}
            tasks:
              run: {uses: run}
            """)
        guard case .container(let container) = try #require(config.components.first).implementation,
              case .ifPresent(let input, let then, let otherwise)? = container.args.first
        else {
            Issue.record("no if_present item")
            return
        }
        #expect(input.value == "limit" && input.location == at(6, 27))
        #expect(then.map(segments) == [["--limit=", "{inputs.limit@6:50}"]])
        #expect(otherwise?.map(segments) == [["--all"]])
    }

    @Test func pythonAndFileComponents() throws {
        let config = try decodeValid(Self.components)
        guard config.components.count == 3,
              case .python(let python) = config.components[1].implementation,
              case .file(let path) = config.components[2].implementation
        else {
            Issue.record("expected a Python and a file component")
            return
        }
        #expect(python.source.value == "fn.py")
        #expect(python.function.value == "run")
        #expect(python.function.location == at(16, 39))
        #expect(python.baseImage == "python:3.12")
        #expect(python.packages == ["pandas", "numpy"])
        #expect(path.value == "components/loaded.yaml")
        #expect(path.location == at(18, 11))
    }

    @Test func artifactInputsCannotHaveDefaults() throws {
        let (config, diagnostics) = try decode("""
            name: demo
            components:
              c:
                container: {image: i}
                inputs: {data: {type: Dataset, default: x}, n: {type: int, default: one}}
            tasks: {a: {uses: c}}
            """)
        #expect(config == nil)
        #expect(diagnostics == [
            "p.yaml:5:45: error: artifact input 'data' cannot have a default",
            "p.yaml:5:73: error: the default of input 'n' must be an integer, got a string",
        ])
    }

    @Test func badReferencesInACommandLineAreReported() throws {
        let (config, diagnostics) = try decode("""
            name: demo
            components:
              c:
                container: {image: i, command: [run, "${input.x}"]}
            tasks: {a: {uses: c}}
            """)
        #expect(config == nil)
        #expect(diagnostics == [
            "p.yaml:4:43: error: unknown reference '${input.x}' (did you mean 'inputs'?); a reference starts with params, tasks, item, pipeline or task",
        ])
    }

    @Test(arguments: [
        ("int", IOType.parameter(.int)), ("struct", .parameter(.struct)), ("Artifact", .artifact("system.Artifact")),
        ("HTML", .artifact("system.HTML")), ("system.Metrics", .artifact("system.Metrics")),
    ])
    func ioTypeNames(name: String, expected: IOType) {
        #expect(IOType(name: name) == expected)
    }

    @Test(arguments: ["Integer", "dataset", "", "Str"])
    func unknownIOTypeNames(name: String) {
        #expect(IOType(name: name) == nil)
    }
}

// MARK: - Tasks

@Suite struct TaskDecodingTests {
    @Test func argumentsKeepTheirTypesAndReferences() throws {
        let task = try onlyTask(decodeValid(pipeline(task: """
            uses: step
            with:
              count: 1
              ratio: 1.5
              flag: true
              nothing: ~
              text: "run ${params.p} on ${tasks.prep.outputs.data}"
              list: [1, "${params.q}"]
              map: {k: v}
            """)))
        #expect(task.uses.value == "step")
        #expect(task.uses.location == at(4, 11))
        #expect(task.arguments.map(\.name.value) == ["count", "ratio", "flag", "nothing", "text", "list", "map"])
        #expect(task.arguments.map { describe($0.value) } == [
            "int 1", "float 1.5", "true", "null", "'run {params.p@10:18} on {tasks.prep.outputs.data@10:33}'",
            "[int 1, '{params.q@11:18}']", "{k: 'v'}",
        ])
        #expect(task.arguments[5].value.references.map(\.reference) == [.param("q")])
        #expect(task.arguments[4].value.references.map(\.location) == [at(10, 18), at(10, 33)])
    }

    @Test(arguments: [
        ("99999999999999999999", "the integer 99999999999999999999 is too large"),
        (".inf", ".inf cannot be written in JSON; use a finite number"),
        (".nan", ".nan cannot be written in JSON; use a finite number"),
    ])
    func numbersJSONCannotHoldAreErrors(written: String, message: String) throws {
        let (config, diagnostics) = try decode(pipeline(task: "uses: step\nwith: {x: \(written)}"))
        #expect(config == nil)
        #expect(diagnostics == ["p.yaml:5:15: error: \(message)"])
    }

    @Test func afterMayBeOneNameOrAList() throws {
        let single = try onlyTask(decodeValid(pipeline(task: "uses: step\nafter: prep")))
        #expect(single.after.map(\.value) == ["prep"])
        #expect(single.after.map(\.location) == [at(5, 12)])
        let list = try onlyTask(decodeValid(pipeline(task: "uses: step\nafter: [prep, split]")))
        #expect(list.after.map(\.value) == ["prep", "split"])
        #expect(list.after.map(\.location) == [at(5, 13), at(5, 19)])
        let none = try onlyTask(decodeValid(pipeline(task: "uses: step")))
        #expect(none.after.isEmpty)
        #expect(none.when.isEmpty)
        #expect(none.retry == nil)
        #expect(none.resources == nil)
        #expect(none.caching == nil)
    }

    @Test func whenMayBeOneConditionOrAList() throws {
        let single = try onlyTask(decodeValid(pipeline(task: "uses: step\nwhen: ${params.a} == 1")))
        #expect(single.when.map { describe($0.expression) } == ["ref params.a@5:11 == int 1"])
        let list = try onlyTask(decodeValid(pipeline(task: "uses: step\nwhen:\n  - ${params.a} == 1\n  - ${tasks.x.outputs.y} < 2.5")))
        #expect(list.when.map { describe($0.expression) } == [
            "ref params.a@6:9 == int 1", "ref tasks.x.outputs.y@7:9 < float 2.5",
        ])
        #expect(list.when.map(\.location) == [at(6, 9), at(7, 9)])
    }

    @Test func aBadConditionFailsTheDecode() throws {
        let (config, diagnostics) = try decode(pipeline(task: "uses: step\nwhen: [\"${params.a} == 1\", \"${params.b} 2\"]"))
        #expect(config == nil)
        #expect(diagnostics == ["p.yaml:5:45: error: expected a comparison operator: ==, !=, <, <=, > or >="])
    }

    @Test func settingsOfATask() throws {
        let task = try onlyTask(decodeValid(pipeline(task: """
            uses: step
            display_name: The step
            caching: false
            env: {MODE: full, LEVEL: "3"}
            """)))
        #expect(task.displayName == "The step")
        #expect(task.caching?.value == false)
        #expect(task.caching?.location == at(6, 14))
        #expect(task.environment.map(\.name) == ["MODE", "LEVEL"])
        #expect(task.environment.map(\.value) == ["full", "3"])
    }

    @Test func resourcesKeepTheAmountsAsValues() throws {
        let task = try onlyTask(decodeValid(pipeline(task: """
            uses: step
            resources:
              cpu_limit: 500m
              cpu_request: 2
              memory_limit: 4Gi
              memory_request: 512
              accelerator: {type: NVIDIA_TESLA_T4, count: 2}
            """)))
        let resources = try #require(task.resources)
        /// A scalar as written: strings as text, integers in decimal.
        func written(_ value: Value?) -> String? {
            switch value?.content {
            case .string(let template)?: return template.constantText
            case .int(let number)?: return String(number)
            default: return nil
            }
        }
        #expect(written(resources.cpuLimit) == "500m")
        #expect(resources.cpuLimit?.location == at(6, 18))
        #expect(written(resources.cpuRequest) == "2")
        #expect(written(resources.memoryLimit) == "4Gi")
        #expect(written(resources.memoryRequest) == "512")
        #expect(written(resources.acceleratorType) == "NVIDIA_TESLA_T4")
        #expect(written(resources.acceleratorCount) == "2")
    }

    @Test func aParamInResourcesIsAReference() throws {
        let task = try onlyTask(decodeValid(pipeline(task: "uses: step\nresources: {cpu_limit: \"${params.cpu}\"}")))
        guard case .string(let template)? = task.resources?.cpuLimit?.content else {
            Issue.record("cpu_limit is not a string")
            return
        }
        #expect(template.wholeReference?.reference == .param("cpu"))
    }
}

// MARK: - Retry

@Suite struct RetryDecodingTests {
    @Test func retrySettingsAreDecoded() throws {
        let task = try onlyTask(decodeValid(pipeline(task: "uses: step\nretry: {max_retries: 3, backoff: 30s, backoff_factor: 2, max_backoff: 1h}")))
        let retry = try #require(task.retry)
        #expect(retry.maxRetries == 3)
        #expect(retry.backoffSeconds == 30)
        #expect(retry.backoffFactor == 2)
        #expect(retry.maxBackoffSeconds?.value == 3600)
        #expect(retry.maxBackoffSeconds?.location == at(5, 75))
    }

    @Test func onlyMaxRetriesIsNeeded() throws {
        let retry = try #require(try onlyTask(decodeValid(pipeline(task: "uses: step\nretry: {max_retries: 0}"))).retry)
        #expect(retry.maxRetries == 0)
        #expect(retry.backoffSeconds == nil)
        #expect(retry.backoffFactor == nil)
        #expect(retry.maxBackoffSeconds == nil)
    }

    @Test(arguments: [("45s", 45), ("5m", 300), ("1h", 3600), ("2d", 172_800), ("1w", 604_800), ("0s", 0), ("90m", 5400)])
    func durationsAreConvertedToSeconds(written: String, seconds: Int) throws {
        let task = try onlyTask(decodeValid(pipeline(task: "uses: step\nretry: {max_retries: 1, backoff: \(written)}")))
        #expect(task.retry?.backoffSeconds == seconds)
    }

    @Test(arguments: ["3600s", "60m", "1h", "59m"])
    func maxBackoffUpToAnHourIsFine(written: String) throws {
        _ = try decodeValid(pipeline(task: "uses: step\nretry: {max_retries: 1, max_backoff: \(written)}"))
    }

    @Test(arguments: ["3601s", "61m", "2h", "1d", "1w"])
    func maxBackoffOverAnHourIsAnError(written: String) throws {
        let (config, diagnostics) = try decode(pipeline(task: "uses: step\nretry: {max_retries: 1, max_backoff: \(written)}"))
        #expect(config == nil)
        #expect(diagnostics == ["p.yaml:5:42: error: max_backoff is at most 1h (3600s) on Vertex AI, got \(written)"])
    }

    @Test func defaultsHaveCachingRetryAndArgumentsBySelector() throws {
        let config = try decodeValid("""
            name: demo
            defaults:
              caching: false
              retry: {max_retries: 2, backoff: 1m}
              with:
                dataproc/*: {region: "${params.region}"}
                train: {epochs: 3}
            tasks: {a: {uses: train}}
            """)
        #expect(config.defaults.caching?.value == false)
        #expect(config.defaults.caching?.location == at(3, 12))
        #expect(config.defaults.retry?.maxRetries == 2)
        #expect(config.defaults.retry?.backoffSeconds == 60)
        #expect(config.defaults.arguments.map(\.selector.value) == ["dataproc/*", "train"])
        #expect(config.defaults.arguments.map(\.selector.location) == [at(6, 5), at(7, 5)])
        #expect(config.defaults.arguments.map { $0.arguments.map { "\($0.name.value)=\(describe($0.value))" } } == [
            ["region='{params.region@6:27}'"], ["epochs=int 3"],
        ])
    }

    @Test func defaultsAreEmptyWhenNotWritten() throws {
        let config = try decodeValid("name: demo\ntasks: {a: {uses: b}}\n")
        #expect(config.defaults.caching == nil)
        #expect(config.defaults.retry == nil)
        #expect(config.defaults.arguments.isEmpty)
    }
}

// MARK: - if / elif / else

@Suite struct ConditionGroupDecodingTests {
    static let text = """
        name: demo
        tasks:
          prep: {uses: step}
          gate:
            if: ${tasks.prep.outputs.score} >= 0.9
            then:
              deploy: {uses: step}
              notify: {uses: step, after: deploy}
            elif:
              - if: ${tasks.prep.outputs.score} >= 0.5
                then: {review: {uses: step}}
              - if: ${params.force} == true
                then:
                  nested:
                    if: ${params.level} > 1
                    then: {deep: {uses: step}}
            else:
              drop: {uses: step}
        """

    @Test func branchesAreDecodedInOrder() throws {
        let config = try decodeValid(Self.text)
        #expect(config.tasks.map(\.name.value) == ["prep", "gate"])
        guard case .conditionGroup(let group) = config.tasks.last else {
            Issue.record("expected an if/elif/else group")
            return
        }
        #expect(group.name.location == at(4, 3))
        #expect(group.branches.count == 3)
        #expect(group.branches.map { describe($0.condition.expression) } == [
            "ref tasks.prep.outputs.score@5:9 >= float 0.9",
            "ref tasks.prep.outputs.score@10:13 >= float 0.5",
            "ref params.force@12:13 == bool true",
        ])
        #expect(group.branches.map { $0.tasks.map(\.name.value) } == [["deploy", "notify"], ["review"], ["nested"]])
        #expect(group.elseTasks?.map(\.name.value) == ["drop"])
        guard case .task(let notify) = group.branches[0].tasks[1] else {
            Issue.record("expected a task")
            return
        }
        #expect(notify.after.map(\.value) == ["deploy"])
    }

    @Test func groupsNestInsideBranches() throws {
        let config = try decodeValid(Self.text)
        guard case .conditionGroup(let group) = config.tasks.last,
              group.branches.count == 3,
              case .conditionGroup(let nested) = group.branches[2].tasks.first
        else {
            Issue.record("expected a group nested in the second elif")
            return
        }
        #expect(nested.name.value == "nested")
        #expect(nested.branches.map { $0.tasks.map(\.name.value) } == [["deep"]])
        #expect(nested.elseTasks == nil)
    }

    @Test func aBadConditionInABranchIsReported() throws {
        let (config, diagnostics) = try decode("""
            name: demo
            tasks:
              gate:
                if: ${params.a} == 1
                then: {a: {uses: step}}
                elif:
                  - if: ${params.a} === 2
                    then: {b: {uses: step}}
            """)
        #expect(config == nil)
        #expect(diagnostics == [
            "p.yaml:7:27: error: expected an operand: a ${...} reference, a number, a quoted string, true or false; got '='",
        ])
    }
}

/// Durations beyond what the field can hold are errors at the value, never a crash or a
/// dropped setting.
@Test(arguments: [
    ("backoff: 99999999999999999w", "backoff is at most 10,000 years (315576000000s), got 99999999999999999w"),
    ("max_backoff: 99999999999999999999s", "max_backoff is at most 1h (3600s) on Vertex AI, got 99999999999999999999s"),
    ("max_backoff: 2h", "max_backoff is at most 1h (3600s) on Vertex AI, got 2h"),
])
func overlongDurationsAreErrors(setting: String, message: String) throws {
    let (config, diagnostics) = try decode(pipeline(task: "uses: c\nretry: {max_retries: 1, \(setting)}"))
    #expect(config == nil)
    let column = "    retry: {max_retries: 1, \(setting.prefix { $0 != ":" }): ".count + 1
    #expect(diagnostics == ["p.yaml:5:\(column): error: \(message)"])
}
