import Foundation
import JSON
import PipeSpecCompiler
import Testing

/// `compile --check`, `compile --emit ir` and `diff`, as CI runs them.
@Suite struct ReviewCommandTests {
    static let example = "examples/custom-training-job.yaml"
    static let golden = "Tests/Golden/examples/custom-training-job.json"

    /// The example with one machine type changed, beside its components.
    private static func edited(in directory: TemporaryDirectory) throws -> String {
        let source = try String(contentsOfFile: Repository.path(example), encoding: .utf8)
        let edited = directory.path("custom-training-job.yaml")
        try Data(source.replacingOccurrences(of: "n1-highmem-8", with: "n1-highmem-16").utf8).write(to: URL(fileURLWithPath: edited))
        try FileManager.default.copyItem(atPath: Repository.path("examples/components"), toPath: directory.path("components"))
        return edited
    }

    @Test func checkPassesWhenTheCommittedSpecIsCurrentAndWritesNothing() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: Repository.path(Self.golden)))
        let result = try PipeSpecBinary.run(["compile", Self.example, "-o", Self.golden, "--check"])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty && result.standardError.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: Repository.path(Self.golden))) == before)
    }

    @Test func checkFailsWithTheDifferenceWhenTheSpecIsStale() throws {
        let directory = try TemporaryDirectory()
        let committed = directory.path("committed.json")
        try FileManager.default.copyItem(atPath: Repository.path(Self.golden), toPath: committed)
        let before = try Data(contentsOf: URL(fileURLWithPath: committed))
        let result = try PipeSpecBinary.run(["compile", try Self.edited(in: directory), "-o", committed, "--check"])
        #expect(result.status == 1)
        #expect(result.standardOutput == """
            ~ task train: component input worker_pool_specs.defaultValue.0.machine_spec.machine_type "n1-highmem-8" → "n1-highmem-16"

            """)
        #expect(result.standardError.contains("[output-stale]"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: committed)) == before, "--check wrote the output")
    }

    @Test func checkFailsWhenThereIsNoCommittedSpec() throws {
        let directory = try TemporaryDirectory()
        let result = try PipeSpecBinary.run(["compile", Self.example, "-o", directory.path("missing.json"), "--check"])
        #expect(result.status == 1)
        #expect(result.standardError.contains("[output-stale]"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test(arguments: [["--check"], ["--check", "-o", "-"], ["--emit", "ir", "--format", "job"]])
    func misusedReviewFlagsAreUsageErrors(_ flags: [String]) throws {
        let result = try PipeSpecBinary.run(["compile", Self.example] + flags)
        #expect(result.status == 2)
    }

    @Test func theIREmitsResolvedTasksBindingsAndGroups() throws {
        let result = try PipeSpecBinary.run(["compile", "examples/conditions.yaml", "--emit", "ir"])
        #expect(result.status == 0)
        let ir = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(ir["name"] as? String == "conditions")
        let tasks = try #require(ir["tasks"] as? [[String: Any]])
        let groups = try #require(ir["groups"] as? [[String: Any]])
        #expect(groups.first?["kind"] as? String == "root")
        #expect(groups.contains { $0["kind"] as? String == "condition" })
        // Every task sits in a group that lists it, and names a component that exists.
        let components = try #require(ir["components"] as? [[String: Any]])
        for (index, task) in tasks.enumerated() {
            let group = try #require(task["group"] as? Int)
            let members = try #require(groups[group]["members"] as? [[String: Int]])
            #expect(members.contains { $0["task"] == index })
            #expect((task["component"] as? Int).map { $0 < components.count } == true)
        }
        // Nothing is spelled as KFP spells it.
        #expect(!result.standardOutput.contains("pipelinechannel--") && !result.standardOutput.contains("{{$"))
    }

    @Test func diffIsSilentAndZeroForThePipelineAndItsSpec() throws {
        let result = try PipeSpecBinary.run(["diff", Self.example, Self.golden])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func diffListsTheChangeInEachFormat() throws {
        let directory = try TemporaryDirectory()
        let edited = try Self.edited(in: directory)
        let text = try PipeSpecBinary.run(["diff", Self.example, edited])
        #expect(text.status == 1)
        #expect(text.standardOutput.hasPrefix("~ task train: component input worker_pool_specs."))
        let markdown = try PipeSpecBinary.run(["diff", Self.example, edited, "--format", "markdown"])
        #expect(markdown.standardOutput.hasPrefix("**1 difference** between"))
        #expect(markdown.standardOutput.contains("```diff\n~ task train:"))
        let json = try PipeSpecBinary.run(["diff", Self.example, edited, "--format", "json"])
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: String]])
        #expect(items.map { [$0["old"], $0["new"]] } == [["n1-highmem-8", "n1-highmem-16"]])
        #expect(items.first?["path"] == "$.root.dag.tasks.train.component.inputDefinitions.parameters.worker_pool_specs.defaultValue[0].machine_spec.machine_type")
        #expect(items.first?["summary"]?.hasPrefix("task train: component input") == true)
    }

    /// A repository with a pipeline and the Python file its component runs, committed; then
    /// the Python file changed in the working tree.
    private static func repository() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        func write(_ name: String, _ text: String) throws {
            try FileManager.default.createDirectory(atPath: directory.path("src"), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory.path(name)))
        }
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["-C", directory.url.path, "-c", "user.name=t", "-c", "user.email=t@example.com"] + arguments
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "git \(arguments)")
        }
        try write("src/pipeline.yaml", """
            name: in-git
            components:
              step:
                python: {source: step.py, function: step}
            tasks:
              step: {uses: step}
            """)
        try write("src/step.py", "def step(n: int = 1) -> int:\n    return n\n")
        try git("init", "-q")
        try git("add", ".")
        try git("commit", "-qm", "base")
        try write("src/step.py", "def step(n: int = 1) -> int:\n    return n + 1\n")
        return directory
    }

    @Test func diffReadsARevisionAndItsComponentsFromGit() throws {
        let directory = try Self.repository()
        let src = URL(fileURLWithPath: directory.path("src"))
        let changed = try PipeSpecBinary.run(["diff", "HEAD:pipeline.yaml", "pipeline.yaml"], in: src)
        #expect(changed.status == 1, "\(changed.standardError)")
        #expect(changed.standardOutput.hasPrefix("~ task step: command "), "\(changed.standardOutput)")
        // The committed pipeline with its committed component, from the top too.
        let same = try PipeSpecBinary.run(["diff", "HEAD:src/pipeline.yaml", "HEAD:src/pipeline.yaml"], in: directory.url)
        #expect(same.status == 0, "\(same.standardError)")
        let missing = try PipeSpecBinary.run(["diff", "HEAD:nope.yaml", "pipeline.yaml"], in: src)
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("does not exist"))
    }

    @Test func diffOfAnUnreadableFileIsAnIOError() throws {
        let result = try PipeSpecBinary.run(["diff", "no-such-pipeline.yaml", Self.example])
        #expect(result.status == 2)
        #expect(result.standardError.contains("[input-unreadable]"))
    }
}

/// The comparison itself, on specs written out.
@Suite struct SpecComparisonTests {
    /// One task reading another's output, spelled with the given keys and names.
    private static func spec(first: String, second: String, component: String, executor: String, image: String) -> [UInt8] {
        Array("""
            {"pipelineInfo": {"name": "p", "description": "prose"}, "sdkVersion": "kfp-2.15.2",
             "components": {"\(component)": {"executorLabel": "\(executor)", "inputDefinitions": {"parameters": {"x": {"parameterType": "STRING"}}}}},
             "deploymentSpec": {"executors": {"\(executor)": {"container": {"image": "\(image)"}}}},
             "root": {"dag": {"tasks": {
               "\(first)": {"taskInfo": {"name": "make"}, "componentRef": {"name": "\(component)"}},
               "\(second)": {"taskInfo": {"name": "use"}, "componentRef": {"name": "\(component)"}, "dependentTasks": ["\(first)"],
                 "inputs": {"parameters": {"x": {"taskOutputParameter": {"producerTask": "\(first)", "outputParameterKey": "o"}},
                                           "y": {"componentInputParameter": "pipelinechannel--\(first)-o"}}}}}}}}
            """.utf8)
    }

    @Test func keysComponentNamesExecutorLabelsAndProseDoNotCount() {
        let old = Self.spec(first: "make", second: "use", component: "comp-a", executor: "exec-a", image: "i:1")
        let new = Self.spec(first: "task-1", second: "task-2", component: "comp-b", executor: "exec-b", image: "i:1")
        #expect(SpecComparison.differences(committed: old, current: new, file: "old.json").isEmpty)
    }

    @Test func aChangedExecutorIsFoundWhereEachTaskRunsIt() {
        let old = Self.spec(first: "make", second: "use", component: "comp-a", executor: "exec-a", image: "i:1")
        let new = Self.spec(first: "make", second: "use", component: "comp-a", executor: "exec-a", image: "i:2")
        let differences = SpecComparison.differences(committed: old, current: new, file: "old.json")
        #expect(differences.map(\.path) == [
            "$.root.dag.tasks.make.component.executor.container.image",
            "$.root.dag.tasks.use.component.executor.container.image",
        ])
        #expect(SpecComparison.render(differences, limit: 1) == "~ task make: image \"i:1\" → \"i:2\"\n… and 1 more difference\n")
    }

    @Test(arguments: [
        (["root", "inputDefinitions", "parameters", "epochs", "defaultValue"], JSONValue.double(10), JSONValue.double(20),
         "param epochs: default 10 → 20"),
        (["root", "inputDefinitions", "parameters", "rate"], nil, .object(["parameterType": "NUMBER_DOUBLE", "defaultValue": .double(0.5)]),
         "param rate: added (number_double, default 0.5)"),
        (["root", "dag", "tasks", "gate", "component", "dag", "tasks", "tune", "dependentTasks"], .array(["a"]), .array(["a", "b"]),
         "task gate / tune: waits for [\"a\"] → [\"a\",\"b\"]"),
        (["root", "dag", "tasks", "gate", "triggerPolicy", "condition"], "x > 1", "x > 2", "task gate: condition \"x > 1\" → \"x > 2\""),
        (["root", "dag", "tasks", "old"], .object(["component": .object(["executor": .object(["container": .object(["image": "i:1"])])])]), nil,
         "task old: removed (runs i:1)"),
        (["sdk"], "a", "b", "$.sdk: \"a\" → \"b\""),
    ] as [([String], JSONValue?, JSONValue?, String)])
    func aDifferenceIsToldInWords(components: [String], old: JSONValue?, new: JSONValue?, summary: String) {
        #expect(SpecComparison.Difference(components: components, old: old, new: new).summary == summary)
    }

    @Test func somethingThatIsNotJSONDiffersAsAWhole() {
        let differences = SpecComparison.differences(committed: Array("not json".utf8), current: Array("{}".utf8), file: "old.json")
        #expect(differences.map(\.path) == ["$"])
    }
}
