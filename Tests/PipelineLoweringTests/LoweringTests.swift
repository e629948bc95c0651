import Diagnostics
import JSON
import PipelineConfig
@testable import PipeSpecCompiler
@testable import PipelineIR
@testable import PipelineLowering
@testable import PipelineSpecEmitter
import Testing

/// Lowers `yaml` through every stage before it, with `files` as the only readable files.
func lower(_ yaml: String, files: [String: String] = [:]) -> (ir: PipelineIR?, diagnostics: [String]) {
    let diagnostics = DiagnosticEngine()
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }
    let compiler = Compiler(readFile: { path in
        guard let text = files[path] else { throw Missing(description: "cannot read '\(path)': no such test file") }
        return Array(text.utf8)
    })
    guard case .compiled(let compiled) = compiler.compile(Array(yaml.utf8), file: "p.yaml", diagnostics: diagnostics) else {
        return (nil, diagnostics.sorted.map(\.description))
    }
    return (compiled.ir, diagnostics.sorted.map(\.description))
}

let echoComponent = """
    components:
      echo:
        container: {image: alpine, command: [echo, "${inputs.text}", "${outputs.out}"]}
        inputs: {text: string}
        outputs: {out: string, n: int}

    """

@Suite struct GroupTests {
    /// The KFP SDK numbers groups as they are created, but gives an if/elif/else wrapper the
    /// number of its `if` branch, which takes the next number; groups nested in the `if`
    /// branch keep theirs.
    @Test func groupsAreNumberedAsTheKFPSDKNumbersThem() throws {
        let (ir, diagnostics) = lower("""
            name: numbering
            \(echoComponent)
            tasks:
              a: {uses: echo, with: {text: a}}
              gate:
                if: ${tasks.a.outputs.n} > 1
                then:
                  b: {uses: echo, with: {text: b}}
                  inner:
                    if: ${tasks.a.outputs.n} > 2
                    then:
                      c: {uses: echo, with: {text: c}}
                elif:
                  - if: ${tasks.a.outputs.n} > 0
                    then:
                      d: {uses: echo, with: {text: d}}
                else:
                  e: {uses: echo, with: {text: e}}
              f: {uses: echo, when: "${tasks.a.outputs.n} == 7", with: {text: f}}
            """)
        let groups = try #require(ir, "\(diagnostics)").groups
        // In the order they are written, the wrapper after its first branch and what it holds.
        let summary = groups.ids.dropFirst().map { "\($0.index)=\(groups[$0].displayName ?? "-")<\(groups[$0].parent!.index)" }
        #expect(summary == ["1=gate<3", "2=inner<1", "3=-<0", "4=gate-elif-1<3", "5=gate-else<3", "6=-<0"])
        // The emitter names them after the file: the wrapper after its first branch, the
        // condition a `when` makes after its task.
        #expect(KFPNames(groups, tasks: ir!.tasks).groups.names == [
            "root", "condition-gate", "condition-inner", "condition-branches-gate", "condition-gate-elif-1", "condition-gate-else", "condition-f",
        ])
    }

    @Test func elseBranchesHoldTheNegationsOfEveryEarlierBranch() throws {
        let (ir, _) = lower("""
            name: negations
            \(echoComponent)
            tasks:
              a: {uses: echo, with: {text: a}}
              g:
                if: ${tasks.a.outputs.n} > 1
                then: {b: {uses: echo, with: {text: b}}}
                elif:
                  - if: ${tasks.a.outputs.n} > 0
                    then: {c: {uses: echo, with: {text: c}}}
                else: {d: {uses: echo, with: {text: d}}}
            """)
        let groups = try #require(ir).groups
        func negations(_ name: String) -> [Bool] {
            guard case .condition(let terms) = groups.first(where: { $0.displayName == name })!.kind else { return [] }
            return terms.map(\.isNegated)
        }
        #expect(negations("g") == [false])
        #expect(negations("g-elif-1") == [true, false])
        #expect(negations("g-else") == [true, true])
    }
}

@Suite struct BindingTests {
    static func bindings(_ ir: PipelineIR?, _ task: String) -> [String: Binding] {
        Dictionary(uniqueKeysWithValues: ir?.tasks.first { $0.name == task }?.bindings.map { ($0.input, $0.binding) } ?? [])
    }

    @Test func wholeReferencesKeepTheirTypeAndStringsInterpolate() throws {
        let (ir, diagnostics) = lower("""
            name: bindings
            params: {who: string, count: {type: int, default: 3}}
            components:
              use:
                container: {image: alpine}
                inputs: {name: string, n: int, ratio: float, parts: list}
            \(echoComponent.dropFirst("components:\n".count))
            tasks:
              first: {uses: echo, with: {text: x}}
              second:
                uses: use
                with:
                  name: "${params.who}-${tasks.first.outputs.out}-${pipeline.job_id}"
                  n: ${params.count}
                  ratio: 2
                  parts: ["${params.who}", 1]
            """)
        #expect(diagnostics.isEmpty)
        let bindings = Self.bindings(ir, "second")
        guard case .interpolated(let name) = bindings["name"] else { Issue.record("name is \(String(describing: bindings["name"]))"); return }
        #expect(name.channels.map(\.source) == [.param("who"), .taskOutput(task: "first", output: "out")])
        guard case .string(let parts) = name, parts.count == 5, case .runtime(.jobID) = parts[4] else { Issue.record("name is \(name)"); return }
        // As the emitter spells it.
        #expect(name.json(KFPNames(ir!.groups, tasks: ir!.tasks)) == .string("{{$.inputs.parameters['pipelinechannel--who']}}-{{$.inputs.parameters['pipelinechannel--first-out']}}-{{$.pipeline_job_uuid}}"))
        guard case .channel(let count) = bindings["n"] else { Issue.record("n is not a channel"); return }
        #expect(count.type == .parameter(.int))
        guard case .constant(let ratio) = bindings["ratio"] else { Issue.record("ratio is not a constant"); return }
        #expect(ratio == .double(2))
        guard case .interpolated(let parts) = bindings["parts"] else { Issue.record("parts is not interpolated"); return }
        #expect(parts.json(KFPNames(ir!.groups, tasks: ir!.tasks)) == .array([.string("{{$.inputs.parameters['pipelinechannel--who']}}"), .double(1)]))
    }

    @Test func taskArgumentsWinOverComponentDefaultsWhichWinOverFamilyDefaults() throws {
        let (ir, diagnostics) = lower("""
            name: defaults
            defaults:
              with:
                dataproc/*: {location: us-east1, batch_id: "from-family-${pipeline.job_id}", project: family}
                dataproc/pyspark-batch: {location: europe-west4}
            tasks:
              spark:
                uses: dataproc/pyspark-batch
                with: {main_python_file_uri: gs://bucket/main.py, project: task}
            """)
        #expect(diagnostics.isEmpty)
        let bindings = Self.bindings(ir, "spark")
        func constant(_ input: String) -> JSONValue? {
            switch bindings[input] {
            case .constant(let value)?: return value
            case .interpolated(let value)? where value.channels.isEmpty: return value.json(KFPNames(ir!.groups, tasks: ir!.tasks))
            default: return nil
            }
        }
        #expect(constant("project") == .string("task"))
        #expect(constant("location") == .string("europe-west4"))
        #expect(constant("batch_id") == .string("from-family-{{$.pipeline_job_uuid}}"))
    }

    @Test func typeMismatchesAreReportedWhereTheValueIs() {
        let (ir, diagnostics) = lower("""
            name: types
            params: {n: int}
            \(echoComponent)
            tasks:
              a: {uses: echo, with: {text: 12}}
              b: {uses: echo, with: {text: "${params.n}"}}
            """)
        #expect(ir == nil)
        #expect(diagnostics == [
            "p.yaml:10:32: error: input 'text' of echo is a string (string), got an integer (12); write \"12\" in quotes for a string",
            "p.yaml:11:33: error: input 'text' of echo is a string (string), but '${params.n}' is an integer (int)",
        ])
    }
}

@Suite struct DependencyTests {
    @Test func cyclesAreReportedOnceWithTheirPath() {
        let (_, diagnostics) = lower("""
            name: cycle
            \(echoComponent)
            tasks:
              a: {uses: echo, after: c, with: {text: a}}
              b: {uses: echo, after: a, with: {text: b}}
              c: {uses: echo, with: {text: "${tasks.b.outputs.out}"}}
            """)
        #expect(diagnostics == ["p.yaml:10:26: error: dependency cycle: a → c → b → a"])
    }

    @Test func aTaskMayNotDependOnATaskThatMightNotRun() {
        let (_, diagnostics) = lower("""
            name: scope
            \(echoComponent)
            tasks:
              a: {uses: echo, with: {text: a}}
              gate:
                if: ${tasks.a.outputs.n} > 1
                then: {b: {uses: echo, with: {text: b}}}
              c: {uses: echo, with: {text: "${tasks.b.outputs.out}"}}
            """)
        #expect(diagnostics == [
            "p.yaml:13:33: error: task 'c' depends on 'b', which may not run: it is inside group 'gate' and task 'c' is not",
        ])
    }
}

@Suite struct PythonSourceTests {
    static let source = #"""
        import os

        @decorator(
            option=1,
        )
        def first(a: int,
                  b: str = "x, (y)",  # a comment, with a comma
                  *args, c: float = 1.0, **kwargs) -> NamedTuple("Out", [("x", int)]):
            """Docstring whose lines
        start at column zero.
            """
            text = '''# not a comment
        def fake(): pass'''
            return (a,)
        # a comment at the top level, between
            # a trailing comment indented as the body is part of the function

          # one indented less is not, and does not end it
        def second(): return 2
        """#

    /// As kfp reads it with `inspect.getsource`: through the last statement, or the last
    /// comment after it indented as far as the body.
    @Test func aFunctionIsItsDefLineThroughItsLastStatementOrIndentedComment() throws {
        let function = try #require(PythonSource(Self.source).function(named: "first"))
        #expect(function.line == 6)
        #expect(function.source.hasPrefix("def first(a: int,\n"))
        #expect(function.source.hasSuffix("    return (a,)\n# a comment at the top level, between\n    # a trailing comment indented as the body is part of the function\n"))
        #expect(!function.source.contains("one indented less"))
        #expect(function.parameters == [
            .init(name: "a", annotation: "int"), .init(name: "b", annotation: "str", defaultText: #""x, (y)""#),
            .init(name: "c", annotation: "float", defaultText: "1.0"),
        ])
        #expect(function.returnAnnotation == #"NamedTuple("Out", [("x", int)])"#)
    }

    /// The interface `@dsl.component` reads from annotations.
    @Test func annotationsGiveTheInterfaceKFPReads() throws {
        let source = """
            def f(data: Input[Dataset], model: dsl.Output[dsl.Model], size: OutputPath(int), n: int = 3,
                  tags: typing.List[str] = ['a', "b"], note: Optional[str] = None, config: dict = {'k': 1.5},
                  flag: bool = True, status: PipelineTaskFinalStatus = None, models: Input[List[Model]] = None, raw=1):
                pass
            """
        let function = try #require(PythonSource(source).function(named: "f"))
        let interface = PythonInterface.interface(of: function)
        #expect(interface.inputs.map { "\($0.name):\(ArgumentBinder.typeName($0.type))" } == [
            "data:an artifact (system.Dataset)", "n:an integer (int)", "tags:a list (list)", "note:a string (string)",
            "config:a mapping (struct)", "flag:a boolean (bool)", "status:a task's final status (task_final_status)",
            "models:a list of artifacts (system.Model)",
        ])
        #expect(interface.inputs.map(\.defaultValue) == [nil, .double(3), .array([.string("a"), .string("b")]), nil, .object(["k": .double(1.5)]), .bool(true), nil, nil])
        #expect(interface.inputs.map(\.isOptional) == [false, true, true, true, true, true, true, true])
        #expect(interface.outputs.map { "\($0.name):\(ArgumentBinder.typeName($0.type))" } == ["model:an artifact (system.Model)", "size:an integer (int)"])
        #expect(interface.unreadable == ["raw"])
    }

    @Test(arguments: [
        ("float", ["Output:a number (float)"]),
        ("dsl.Dataset", ["Output:an artifact (system.Dataset)"]),
        (#"NamedTuple("Outputs", [("aupr", float), ('model', Model)])"#, ["aupr:a number (float)", "model:an artifact (system.Model)"]),
        (#"NamedTuple("Outputs", aupr=float, passed=bool)"#, ["aupr:a number (float)", "passed:a boolean (bool)"]),
        ("None", []),
    ])
    func returnAnnotationsGiveOutputs(annotation: String, outputs: [String]) throws {
        let function = try #require(PythonSource("def f() -> \(annotation):\n    pass\n").function(named: "f"))
        #expect(PythonInterface.interface(of: function).outputs.map { "\($0.name):\(ArgumentBinder.typeName($0.type))" } == outputs)
    }

    /// What Python's tokenizer stops at, each at its line and column (in characters).
    @Test func tokenizerMistakesAreFoundWhereTheyAre() {
        let source = """
            def f(x):
                y = "é unterminated
                  z = 1
                return [x)
            w = (1,
            """
        #expect(PythonSource(source).problems == [
            PythonSyntaxProblem(line: 2, column: 9, message: "unterminated string literal"),
            PythonSyntaxProblem(line: 3, column: 7, message: "unexpected indent"),
            PythonSyntaxProblem(line: 4, column: 14, message: "closing ')' does not match opening '['"),
            PythonSyntaxProblem(line: 5, column: 5, message: "'(' was never closed"),
        ])
        // Inside a triple-quoted string, nothing counts.
        #expect(PythonSource("def f():\n    s = '''a\n  # not a comment\n(b'''\n    return s\n").problems == [])
    }

    /// kfp dedents the source, which empties lines of only whitespace.
    @Test func aLineOfOnlyWhitespaceIsEmbeddedEmpty() throws {
        let function = try #require(PythonSource("def f():\n    a = 1\n    \t\n    return a\n").function(named: "f"))
        #expect(function.source == "def f():\n    a = 1\n\n    return a\n")
    }

    @Test func oneLineFunctionsAndMissingFunctions() throws {
        #expect(try #require(PythonSource(Self.source).function(named: "second")).source == "def second(): return 2\n")
        #expect(PythonSource(Self.source).function(named: "fake") == nil)
        #expect(PythonSource(Self.source).functionNames == ["first", "second"])
    }
}

@Test(arguments: [
    ("../components/x.py", "pipelines/churn.yaml", "components/x.py"),
    ("./x.py", "churn.yaml", "x.py"),
    ("x.py", "/abs/dir/churn.yaml", "/abs/dir/x.py"),
    ("../../x.py", "a/churn.yaml", "../x.py"),
])
func pathsAreRelativeToThePipelineFile(path: String, file: String, resolved: String) {
    #expect(SourcePaths.resolve(path, relativeTo: file) == resolved)
}

@Suite struct LoopLoweringTests {
    @Test func loopsHoldTheirItemsTypeAndParallelismAndTasksReadTheItem() throws {
        let (lowered, diagnostics) = lower("""
            name: loops
            params: {regions: {type: list, default: [a]}}
            components:
              use:
                container: {image: alpine}
                inputs: {text: string, n: int}
            tasks:
              numbers:
                for_each: [1, 2.5]
                parallelism: 3
                do:
                  a: {uses: use, with: {text: "n=${item}", n: 1}}
              configs:
                for_each: [{region: us}]
                do:
                  b: {uses: use, with: {text: "${item.region}", n: 2}}
              regions:
                for_each: ${params.regions}
                do:
                  c: {uses: use, with: {text: "${item}", n: 3}}
            """)
        #expect(diagnostics.isEmpty)
        let ir = try #require(lowered)
        let loops = ir.groups.ids.compactMap { index -> (GroupID, LoopIR)? in
            if case .loop(let loop) = ir.groups[index].kind { return (index, loop) } else { return nil }
        }
        #expect(loops.map { ir.groups[$0.0].displayName } == ["numbers", "configs", "regions"])
        // The first item's type, integers kept as integers; a channel's items are strings.
        #expect(loops.map { $0.1.itemType } == [ParameterType.int, .struct, .string])
        #expect(loops[0].1.parallelism == 3)
        guard case .list(let numbers) = loops[0].1.items, case .channel(let regions) = loops[2].1.items else { Issue.record("items"); return }
        #expect(numbers == [JSONValue.int(1), .double(2.5)])
        #expect(regions.source == Channel.Source.param("regions"))
        let a = BindingTests.bindings(ir, "a"), b = BindingTests.bindings(ir, "b"), c = BindingTests.bindings(ir, "c")
        guard case .interpolated(let text)? = a["text"] else { Issue.record("a: \(String(describing: a["text"]))"); return }
        guard case .loopItemField(let item, let field)? = b["text"] else { Issue.record("b: \(String(describing: b["text"]))"); return }
        guard case .channel(let whole)? = c["text"] else { Issue.record("c: \(String(describing: c["text"]))"); return }
        let expected: [Channel.Source] = [.loopItem(group: loops[0].0)]
        #expect(text.channels.map(\.source) == expected)
        #expect(item.source == Channel.Source.loopItem(group: loops[1].0) && field == "region")
        #expect(whole.source == Channel.Source.loopItem(group: loops[2].0) && whole.type == IOType.parameter(.string))
    }
}

@Suite struct DefaultSettingsTests {
    @Test func defaultResourcesAndEnvironmentApplyWhereATaskSetsNone() throws {
        let (lowered, diagnostics) = lower("""
            name: defaults
            defaults:
              resources: {cpu_limit: 2, memory_limit: 8Gi}
              env: {LOG_LEVEL: info, MODE: batch}
            components:
              run: {container: {image: alpine}}
            tasks:
              plain: {uses: run}
              own:
                uses: run
                resources: {cpu_limit: 16}
                env: {MODE: stream, EXTRA: "$${HOME}"}
            """)
        #expect(diagnostics.isEmpty)
        let tasks = try #require(lowered).tasks
        let plain = try #require(tasks.first { $0.name == "plain" }), own = try #require(tasks.first { $0.name == "own" })
        #expect(plain.resources?.cpuLimit == .constant("2") && plain.resources?.memoryLimit == .constant("8Gi"))
        #expect(own.resources?.cpuLimit == .constant("16") && own.resources?.memoryLimit == nil)
        #expect(plain.environment.map { "\($0.name)=\($0.value)" } == ["LOG_LEVEL=info", "MODE=batch"])
        // A task's own variables win; `$${` writes a literal `${`.
        #expect(own.environment.map { "\($0.name)=\($0.value)" } == ["LOG_LEVEL=info", "MODE=stream", "EXTRA=${HOME}"])
    }

    @Test func referencesWhereOnlyConstantsAreTakenAreErrors() {
        let (_, diagnostics) = lower("""
            name: constants
            params: {stage: {type: string, default: dev}}
            components:
              run: {container: {image: alpine, command: [run, "${inputs.stage}"]}, inputs: {stage: string}}
            tasks:
              a:
                uses: run
                display_name: run ${params.stage}
                with: {stage: "${params.stage}"}
                env: {STAGE: "${pipeline.job_id}"}
            """)
        #expect(diagnostics == [
            "p.yaml:8:23: error: display_name is written into the pipeline as it is; '${params.stage}' would not be filled in (write $${ for a literal ${)",
            "p.yaml:10:19: error: env is written into the pipeline as it is; '${pipeline.job_id}' would not be filled in (write $${ for a literal ${)",
        ])
    }
}
