#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PipeSpecCompiler
import Testing

/// The command line as users and CI meet it: exit statuses (0 success, 1 input errors,
/// 2 usage or I/O errors), where output goes, atomic writes, help, and job bodies.
@Suite struct CLITests {
    static let churn = "pipelines/customer-churn-training.yaml"
    static let churnGolden = "Tests/Golden/pipelines/customer-churn-training.json"

    @Test func compileWritesTheSpecToStandardOutput() throws {
        let result = try PipeSpecBinary.run(["compile", Self.churn])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        #expect(result.standardOutput == (try String(contentsOfFile: Repository.path(Self.churnGolden), encoding: .utf8)))
    }

    @Test func compileWritesToTheOutputFile() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path("churn.json")
        let result = try PipeSpecBinary.run(["compile", Self.churn, "-o", output])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output)) == Data(contentsOf: URL(fileURLWithPath: Repository.path(Self.churnGolden))))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["churn.json"], "a temporary file was left behind")
    }

    @Test func aFailedCompileLeavesTheOldOutputUntouched() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path("out.json")
        try Data("previous\n".utf8).write(to: URL(fileURLWithPath: output))
        let broken = directory.path("broken.yaml")
        try Data("name: broken\ntasks: {}\n".utf8).write(to: URL(fileURLWithPath: broken))
        let result = try PipeSpecBinary.run(["compile", broken, "-o", output])
        #expect(result.status == 1)
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "previous\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["broken.yaml", "out.json"])
    }

    /// Root can make device nodes; they are made in a temporary directory, never in /dev.
    static let canMakeDevices = getuid() == 0

    /// Linux's `makedev` for major and minor numbers below 256 (glibc's is a macro).
    static func device(major: UInt64, minor: UInt64) -> dev_t { dev_t(major << 8 | minor) }

    @Test(.enabled(if: canMakeDevices)) func aDeviceIsWrittenToNotReplaced() throws {
        let directory = try TemporaryDirectory()
        let device = directory.path("null")
        #expect(mknod(device, S_IFCHR | 0o666, Self.device(major: 1, minor: 3)) == 0)
        let result = try PipeSpecBinary.run(["compile", Self.churn, "-o", device])
        #expect(result.status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: device)
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path) == ["null"])
    }

    @Test func aFIFOIsWrittenTo() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.path("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Held open for reading (and writing, so that opening never blocks) while pipespec writes.
        let reader = open(fifo, O_RDWR | O_NONBLOCK)
        defer { close(reader) }
        let result = try PipeSpecBinary.run(["compile", "examples/hello-container.yaml", "-o", fifo])
        #expect(result.status == 0)
        var received = [UInt8](repeating: 0, count: 1 << 20)
        let count = received.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
        let golden = try Data(contentsOf: URL(fileURLWithPath: Repository.path("Tests/Golden/examples/hello-container.json")))
        #expect(count == golden.count && Data(received[0..<max(count, 0)]) == golden)
        let attributes = try FileManager.default.attributesOfItem(atPath: fifo)
        #expect(attributes[.type] as? FileAttributeType != .typeRegular)
    }

    @Test func aReadOnlyFileIsReplacedAndStaysReadOnly() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path("out.json")
        try Data("previous\n".utf8).write(to: URL(fileURLWithPath: output))
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: output)
        let result = try PipeSpecBinary.run(["compile", "examples/hello-container.yaml", "-o", output])
        #expect(result.status == 0)
        #expect(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("{"))
        #expect(try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int == 0o444)
    }

    @Test func standardInputIsReadForADash() throws {
        let source = try String(contentsOfFile: Repository.path("examples/hello-container.yaml"), encoding: .utf8)
        let result = try PipeSpecBinary.run(["compile", "-", "-o", "-"], standardInput: source)
        #expect(result.status == 0)
        #expect(result.standardOutput == (try String(contentsOfFile: Repository.path("Tests/Golden/examples/hello-container.json"), encoding: .utf8)))
        let broken = try PipeSpecBinary.run(["validate", "-"], standardInput: "name: x\ntasks: {}\nbogus: 1\n")
        #expect(broken.status == 1)
        #expect(broken.standardError.hasPrefix("<stdin>:"))
    }

    @Test(.enabled(if: canMakeDevices)) func onlyRegularFilesAreReadAsPipelines() throws {
        let directory = try TemporaryDirectory()
        let zero = directory.path("zero")
        #expect(mknod(zero, S_IFCHR | 0o666, Self.device(major: 1, minor: 5)) == 0)
        let result = try PipeSpecBinary.run(["compile", zero])
        #expect(result.status == 2)
        #expect(result.standardError.contains("not a regular file"))
    }

    @Test func aLinkKeepsPointingAtTheNewContentsAndModesAreKept() throws {
        let directory = try TemporaryDirectory()
        let target = directory.path("real.json")
        let link = directory.path("link.json")
        try Data("previous\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: target)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
        let result = try PipeSpecBinary.run(["compile", Self.churn, "-o", link])
        #expect(result.status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.json")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(contentsOf: URL(fileURLWithPath: Repository.path(Self.churnGolden))))
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() == ["link.json", "real.json"])
    }

    @Test func aDirectoryIsNotAnOutputFile() throws {
        let directory = try TemporaryDirectory()
        let result = try PipeSpecBinary.run(["compile", Self.churn, "-o", directory.url.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("it is a directory"))
    }

    /// A pipeline with one warning: a batch ID that is the same on every run.
    static let warnedPipeline = """
        name: demo
        tasks:
          a:
            uses: dataproc/pyspark-batch
            with: {main_python_file_uri: "gs://bucket/x.py", batch_id: fixed-id}

        """

    @Test func warningsAsErrorsFailsAndWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let output = directory.path("out.json")
        let warned = try PipeSpecBinary.run(["compile", "-", "-o", output], standardInput: Self.warnedPipeline)
        #expect(warned.status == 0)
        #expect(warned.standardError.hasPrefix("<stdin>:5:64: warning: batch_id is the same on every run"))
        try FileManager.default.removeItem(atPath: output)
        let strict = try PipeSpecBinary.run(["compile", "-", "-o", output, "--warnings-as-errors"], standardInput: Self.warnedPipeline)
        #expect(strict.status == 1)
        #expect(strict.standardError.hasPrefix("<stdin>:5:64: error: batch_id is the same on every run"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func errorsAreCappedAndCanBeShownForMachines() throws {
        let tasks = (1...5).map { "  t\($0): {uses: nowhere-\($0)}" }.joined(separator: "\n")
        let broken = "name: demo\ntasks:\n\(tasks)\n"
        let capped = try PipeSpecBinary.run(["validate", "-", "--error-limit", "2"], standardInput: broken)
        #expect(capped.status == 1)
        let headlines = capped.standardError.split(separator: "\n").filter { $0.hasPrefix("<stdin>:") || $0.hasPrefix("pipespec:") }
        #expect(headlines.count == 3)
        #expect(headlines.last == "pipespec: note: 3 more errors not shown (--error-limit N shows more)")
        let github = try PipeSpecBinary.run(["validate", "-", "--diagnostics-format", "github"], standardInput: broken)
        #expect(github.standardError.split(separator: "\n").count == 5)
        #expect(github.standardError.hasPrefix("::error file=<stdin>,line=3,col="))
    }

    @Test func aFloodOfErrorsIsCountedNotListed() throws {
        let keys = (0..<20_000).map { "k\($0): 1" }.joined(separator: "\n")
        let result = try PipeSpecBinary.run(["validate", "-"], standardInput: "name: flood\ntasks:\n  t: {uses: echo}\n\(keys)\n")
        #expect(result.status == 1)
        let headlines = result.standardError.split(separator: "\n").filter { $0.hasPrefix("<stdin>:") || $0.hasPrefix("pipespec:") }
        #expect(headlines.count == 51)
        #expect(headlines.last == "pipespec: note: 19950 more errors not shown (--error-limit N shows more)")
    }

    @Test func anUnknownCommandGetsASuggestion() throws {
        let result = try PipeSpecBinary.run(["compil", Self.churn])
        #expect(result.status == 2)
        #expect(result.standardError == "pipespec: error: unknown command 'compil' (did you mean 'compile'?); commands: compile, validate, diff, graph, import, plan, apply, run, explain, builtins\n")
    }

    @Test func anUnreadableInputIsAnIOError() throws {
        let result = try PipeSpecBinary.run(["compile", "no/such/pipeline.yaml"])
        #expect(result.status == 2)
        #expect(result.standardError == "pipespec: error: cannot read 'no/such/pipeline.yaml': No such file or directory [input-unreadable]\n")
    }

    @Test func anUnwritableOutputIsAnIOError() throws {
        let result = try PipeSpecBinary.run(["compile", Self.churn, "-o", "/nonexistent-directory/out.json"])
        #expect(result.status == 2)
        #expect(result.standardError.hasPrefix("pipespec: error: cannot write '/nonexistent-directory/out.json'"))
    }

    @Test(arguments: [["compile"], ["compile", churn, "--format", "yaml"], ["frobnicate"], ["compile", churn, "--param", "x=1"], ["validate"]])
    func usageErrorsExitWithTwo(arguments: [String]) throws {
        let result = try PipeSpecBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.standardError)")
        #expect(result.standardError.contains("Error:") || result.standardError.contains("error:"))
    }

    @Test(arguments: [["--help"], ["compile", "--help"], ["validate", "--help"], ["help", "compile"]])
    func everyCommandHasHelp(arguments: [String]) throws {
        let result = try PipeSpecBinary.run(arguments)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE: pipespec"))
    }

    @Test func versionIsPrinted() throws {
        let result = try PipeSpecBinary.run(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("pipespec "))
    }

    @Test func validateChecksEveryFileAndReportsTheWorst() throws {
        let directory = try TemporaryDirectory()
        let broken = directory.path("broken.yaml")
        try Data("name: Broken\ntasks: {}\n".utf8).write(to: URL(fileURLWithPath: broken))
        #expect(try PipeSpecBinary.run(["validate", Self.churn, "examples/hello-container.yaml"]).status == 0)
        let invalid = try PipeSpecBinary.run(["validate", broken, Self.churn])
        #expect(invalid.status == 1)
        #expect(invalid.standardOutput.isEmpty)
        #expect(invalid.standardError.contains("\(broken):1:7: error: name: expected a pipeline name"))
        #expect(invalid.standardError.contains("\(broken):2:8: error: tasks: expected at least one entry"))
        #expect(try PipeSpecBinary.run(["validate", broken, "missing.yaml"]).status == 2)
    }

    @Test func jobFormatWrapsTheSpecWithRuntimeConfig() throws {
        let result = try PipeSpecBinary.run([
            "compile", Self.churn, "--format", "job", "--pipeline-root", "gs://churn-artifacts/runs",
            "--param", "project_id=acme-ml", "--param", "project_number=123456789",
            "--param", "service_account=spark@acme-ml.iam.gserviceaccount.com",
            "--param", "subnetwork_uri=projects/acme-ml/regions/us-central1/subnetworks/spark",
            "--param", "history_server=projects/acme-ml/regions/us-central1/clusters/history",
            "--param", "container_image=gcr.io/acme-ml/churn:1.0.0",
            "--param", "code_bucket=gs://acme-code", "--param", "metrics_bucket=gs://acme-metrics",
            "--param", "aupr_threshold=0.7",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        let job = try #require(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(job["displayName"] as? String == "Customer churn training")
        let runtime = try #require(job["runtimeConfig"] as? [String: Any])
        #expect(runtime["gcsOutputDirectory"] as? String == "gs://churn-artifacts/runs")
        let values = try #require(runtime["parameterValues"] as? [String: Any])
        #expect(values.count == 9)
        #expect(values["aupr_threshold"] as? Double == 0.7)
        #expect(values["project_id"] as? String == "acme-ml")
        let spec = try #require(job["pipelineSpec"] as? [String: Any])
        #expect(spec["schemaVersion"] as? String == "2.1.0")
    }

    @Test func jobFormatRejectsMissingAndMistypedValues() throws {
        let missing = try PipeSpecBinary.run(["compile", Self.churn, "--format", "job", "--pipeline-root", "gs://b/r"])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("pipespec: error: missing a value for required param 'project_id'"))

        let mistyped = try PipeSpecBinary.run([
            "compile", "examples/typed-params.yaml", "--format", "job", "--pipeline-root", "gs://b/r",
            "--param", "epochs=many", "--param", "learning_rat=0.1",
        ])
        #expect(mistyped.status == 2)
        #expect(mistyped.standardError.contains("pipespec: error: param 'epochs' is an integer, got a string"))
        #expect(mistyped.standardError.contains("pipespec: error: the pipeline has no param 'learning_rat' (did you mean 'learning_rate'?)"))

        let noRoot = try PipeSpecBinary.run(["compile", "examples/typed-params.yaml", "--format", "job"])
        #expect(noRoot.status == 2)
        #expect(noRoot.standardError.contains("--pipeline-root"))
    }

    @Test func jobValuesCanComeFromAFile() throws {
        let directory = try TemporaryDirectory()
        let values = directory.path("values.yaml")
        try Data("epochs: 12\nlayers: [64, 32]\nlearning_rate: x\n".utf8).write(to: URL(fileURLWithPath: values))
        let result = try PipeSpecBinary.run([
            "compile", "examples/typed-params.yaml", "--format", "job", "--pipeline-root", "gs://b/r", "--params-file", values,
        ])
        #expect(result.status == 2)
        #expect(result.standardError.contains("\(values):3:16: error: param 'learning_rate' is a number, got a string"))
    }

    @Test func theLastParamGivenWinsAndEmptyValuesAreRejected() throws {
        let common = ["compile", "examples/typed-params.yaml", "--format", "job", "--pipeline-root", "gs://b/r", "--param", "dataset_uri=gs://d/x.csv"]
        let result = try PipeSpecBinary.run(common + ["--param", "epochs=3", "--param", "epochs=7"])
        #expect(result.status == 0, "\(result.standardError)")
        let job = try #require(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let values = try #require((job["runtimeConfig"] as? [String: Any])?["parameterValues"] as? [String: Any])
        #expect(values["epochs"] as? Double == 7)

        let empty = try PipeSpecBinary.run(common + ["--param", "epochs="])
        #expect(empty.status == 2)
        #expect(empty.standardError == "pipespec: error: --param epochs= has no value; epochs is an integer [job-param-type]\n")

        let infinite = try PipeSpecBinary.run(common + ["--param", "learning_rate=.inf"])
        #expect(infinite.status == 2)
        #expect(infinite.standardError == "pipespec: error: param 'learning_rate': .inf is not a finite number, which JSON cannot hold [job-param-type]\n")
    }

    /// A run is given parameters only: an artifact param is handed in by a pipeline that
    /// uses this one as a component, and a run of it on its own cannot set it.
    @Test func anArtifactParamTakesNoValueFromARun() throws {
        let common = ["compile", "examples/pipelines/profile-dataset.yaml", "--format", "job", "--pipeline-root", "gs://b/r"]
        let message = "param 'data' is an artifact (system.Dataset); a run takes parameter values only, so only a pipeline that uses this one as a component can hand it in"
        let given = try PipeSpecBinary.run(common + ["--param", "data=gs://d/x.csv"])
        #expect(given.status == 2)
        #expect(given.standardError == "pipespec: error: \(message) [job-param-type]\n")
        let missing = try PipeSpecBinary.run(common)
        #expect(missing.status == 2)
        #expect(missing.standardError == "pipespec: error: \(message) [missing-param-value]\n")
    }
}

@Suite struct ExplainAndSilenceTests {
    static let unusedParam = """
        name: demo
        params:
          spare: {type: string, default: x}
        components:
          hello: {container: {image: alpine}}
        tasks:
          a: {uses: hello}

        """

    @Test func explainPrintsTheExplanation() throws {
        let result = try PipeSpecBinary.run(["explain", "unknown-task"])
        #expect(result.status == 0)
        #expect(result.standardOutput.hasPrefix("# unknown-task\n\n**error** · "))
        #expect(result.standardOutput.contains("## Fix"))
    }

    @Test func explainListsEveryIDWithItsSeverity() throws {
        let result = try PipeSpecBinary.run(["explain"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count == DiagnosticCatalog.all.count)
        #expect(lines.contains { $0.hasPrefix("unused-param ") && $0.contains(" warning ") })
        #expect(lines.contains { $0.hasPrefix("unknown-task ") && $0.contains(" error ") })
    }

    @Test func anUnknownIDGetsASuggestion() throws {
        let result = try PipeSpecBinary.run(["explain", "unknown-tsk"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("no diagnostic 'unknown-tsk' (did you mean 'unknown-task'?)"))
    }

    @Test func aWarningKindCanBeSilencedButNotAnError() throws {
        let loud = try PipeSpecBinary.run(["validate", "-"], standardInput: Self.unusedParam)
        #expect(loud.status == 0)
        #expect(loud.standardError.contains("warning: param 'spare' is never used [unused-param]"))
        let quiet = try PipeSpecBinary.run(["validate", "-", "--silence", "unused-param", "--warnings-as-errors"], standardInput: Self.unusedParam)
        #expect(quiet.status == 0)
        #expect(quiet.standardError.isEmpty)
        let error = try PipeSpecBinary.run(["validate", "-", "--silence", "unknown-task"], standardInput: Self.unusedParam)
        #expect(error.status == 2)
        #expect(error.standardError.contains("only warnings can be silenced"))
        let typo = try PipeSpecBinary.run(["validate", "-", "--silence", "unused-parm"], standardInput: Self.unusedParam)
        #expect(typo.status == 2)
        #expect(typo.standardError.contains("(did you mean 'unused-param'?)"))
    }

    @Test func aFixItIsShownUnderTheMistake() throws {
        let pipeline = "name: demo\ncomponents:\n  hello: {container: {image: alpine}}\ntasks:\n  a: {uses: hello}\n  b: {uses: hello, after: [aa]}\n  c: {uses: helo}\n"
        let result = try PipeSpecBinary.run(["validate", "--color", "never", "-"], standardInput: pipeline)
        #expect(result.status == 1)
        #expect(result.standardError.contains("""
            <stdin>:7:13: error: unknown component 'helo' (did you mean 'hello'?); define it under 'components' or use a built-in (pipespec builtins lists them) [unknown-component]
            """))
        #expect(result.standardError.contains("""
            7 |   c: {uses: helo}
              |             ^~~~
              |             hello

            """))
    }

    @Test func validateReportsManyFilesInTheOrderGivenInOneDocument() throws {
        let directory = try TemporaryDirectory()
        var files: [String] = []
        for index in 0..<12 {
            let file = directory.path("p\(String(format: "%02d", index)).yaml")
            let body = index % 3 == 0 ? "name: p\(index)\ntasks:\n  t: {uses: nowhere}\n" : "name: p\(index)\ncomponents:\n  c: {container: {image: alpine}}\ntasks:\n  t: {uses: c}\n"
            try Data(body.utf8).write(to: URL(fileURLWithPath: file))
            files.append(file)
        }
        // Given in reverse name order: the report follows the arguments, not the sort.
        let result = try PipeSpecBinary.run(["validate", "--color", "never"] + files.reversed())
        #expect(result.status == 1)
        let reported = result.standardError.split(separator: "\n").filter { $0.contains(": error: ") }.map { String($0.prefix { $0 != ":" }) }
        #expect(reported == files.enumerated().filter { $0.offset % 3 == 0 }.map(\.element).reversed())
        let json = try PipeSpecBinary.run(["validate", "--diagnostics-format", "json"] + files)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.standardError.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 4)
        #expect(parsed?.allSatisfy { $0["id"] as? String == "unknown-component" } == true)
        let clean = try PipeSpecBinary.run(["validate", "--diagnostics-format", "sarif", files[1]])
        #expect(clean.status == 0)
        #expect(clean.standardError.contains(#""results": []"#))
    }
}

@Suite struct BuiltinsCommandTests {
    @Test func listsTheBuiltinsOneALine() throws {
        let result = try PipeSpecBinary.run(["builtins"])
        #expect(result.status == 0)
        let names = result.standardOutput.split(separator: "\n").map(String.init)
        #expect(names.contains("dataproc/pyspark-batch") && names.contains("vertex/tabular-dataset-create"))
        #expect(names == names.sorted())
    }

    /// Inputs in columns with their defaults, run-time values as the file writes them.
    @Test func showsOnesInputsAndOutputs() throws {
        let result = try PipeSpecBinary.run(["builtins", "vertex/tabular-dataset-create"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "vertex/tabular-dataset-create")
        #expect(lines.contains("  display_name              string  required"))
        #expect(lines.contains("  location                  string  default \"us-central1\""))
        #expect(lines.contains("  project                   string  default \"${pipeline.project}\""))
        #expect(lines.contains("  dataset  google.VertexDataset"))
    }

    @Test func anUnknownNameIsAUsageErrorWithASuggestion() throws {
        let result = try PipeSpecBinary.run(["builtins", "dataproc/pyspark-bach"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("no built-in component 'dataproc/pyspark-bach' (did you mean 'dataproc/pyspark-batch'?)"))
    }
}
