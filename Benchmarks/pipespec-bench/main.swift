// pipespec-bench: runs the built `pipespec` (and the kfp SDK, for comparison) as child
// processes and checks the design's performance targets. See `helpText` in Options.swift.
import Foundation

let churnPipeline = "pipelines/customer-churn-training.yaml"
/// The kfp twin runs from here, with PYTHONPATH=. so that `twins` imports.
let twinDirectory = "Tests/Conformance"
/// Compiles the twin to the path given as the first argument.
let kfpScript = """
    import importlib, sys; from kfp import compiler; \
    m = importlib.import_module('twins.customer_churn_training'); \
    compiler.Compiler().compile(m.pipeline, sys.argv[1])
    """

func main() -> Int32 {
    let options: Options
    do {
        switch try parseArguments(Array(CommandLine.arguments.dropFirst())) {
        case .help:
            print(helpText)
            return 0
        case .run(let parsed):
            options = parsed
        }
    } catch {
        printError("\(error)\nSee pipespec-bench --help.")
        return 2
    }
    do {
        let results = try runBenchmarks(options)
        print(table(results) + "\n")
        let verdicts = verdicts(results)
        for verdict in verdicts {
            print("\(verdict.line) \(verdict.passed ? "PASS" : "FAIL")")
        }
        return verdicts.allSatisfy(\.passed) ? 0 : 1
    } catch {
        printError("\(error)")
        return 1
    }
}

func runBenchmarks(_ options: Options) throws -> Results {
    let files = FileManager.default
    guard files.fileExists(atPath: churnPipeline) else {
        throw BenchError("no \(churnPipeline) here; run from the repository root")
    }
    let pipespec = absolutePath(options.pipespec)
    guard files.isExecutableFile(atPath: pipespec) else {
        throw BenchError("no pipespec at \(pipespec); build it (scripts/benchmark does) or pass --pipespec")
    }
    let python = absolutePath(options.python)
    guard files.isExecutableFile(atPath: python) else {
        throw BenchError("no Python at \(python); run scripts/ensure-oracles or pass --python")
    }

    let work = files.temporaryDirectory.appendingPathComponent("pipespec-bench-\(UUID().uuidString)").path
    try files.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? files.removeItem(atPath: work) }

    let small = try writeGenerated(taskCount: 1_000, in: work)
    let large = try writeGenerated(taskCount: 10_000, in: work)
    let hugeValid = try write(largeValidPipelineYAML(bytes: Target.hostileInputBytes), to: "\(work)/huge-valid.yaml")
    let hugeInvalid = try write(unknownKeysYAML(bytes: Target.hostileInputBytes), to: "\(work)/huge-invalid.yaml")
    var rejected = pipespecBenchmark("20 MiB, 800k errors", pipespec, input: hugeInvalid, work: work, runs: options.generatedRuns)
    rejected.rejectsInput = true
    let benchmarks = [
        pipespecBenchmark("churn: pipespec", pipespec, input: churnPipeline, work: work, runs: options.pipespecRuns),
        kfpBenchmark(python: python, work: work, runs: options.kfpRuns),
        pipespecBenchmark("1,000 tasks", pipespec, input: small, work: work, runs: options.generatedRuns),
        pipespecBenchmark("10,000 tasks", pipespec, input: large, work: work, runs: options.generatedRuns),
        pipespecBenchmark("20 MiB, valid", pipespec, input: hugeValid, work: work, runs: options.generatedRuns),
        rejected,
    ]
    let runs = benchmarks.map(\.runs).reduce(0, +)
    printError("measuring: \(benchmarks.count) warm-up runs, then \(runs) measured, interleaved…")
    let measured = try measure(benchmarks, logPath: "\(work)/child.log")
    return Results(
        pipespecChurn: measured[0], kfpChurn: measured[1], small: measured[2], large: measured[3],
        hugeValid: measured[4], hugeInvalid: measured[5])
}

func pipespecBenchmark(_ name: String, _ pipespec: String, input: String, work: String, runs: Int) -> Benchmark {
    let output = "\(work)/\(URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent).json"
    let command = Command(executable: pipespec, arguments: ["compile", input, "-o", output])
    return Benchmark(name: name, command: command, outputPath: output, runs: runs)
}

func kfpBenchmark(python: String, work: String, runs: Int) -> Benchmark {
    let output = "\(work)/kfp.json"
    let command = Command(
        executable: python, arguments: ["-c", kfpScript, output],
        directory: twinDirectory, environment: ["PYTHONPATH": "."])
    return Benchmark(name: "churn: kfp", command: command, outputPath: output, runs: runs)
}

func writeGenerated(taskCount: Int, in directory: String) throws -> String {
    try write(generatedPipelineYAML(taskCount: taskCount), to: "\(directory)/generated-\(taskCount).yaml")
}

func write(_ text: String, to path: String) throws -> String {
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
}

/// `path` made absolute against the working directory, without resolving symlinks (a venv's
/// python is a symlink, and must be run by its own path to find the venv).
func absolutePath(_ path: String) -> String {
    path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("pipespec-bench: \(message)\n".utf8))
}

exit(main())
