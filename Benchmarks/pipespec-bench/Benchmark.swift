import Foundation

/// A command measured over several runs; each run must exit 0 and write `outputPath`, or,
/// for an input with errors, exit 1 and write nothing there.
struct Benchmark {
    var name: String
    var command: Command
    var outputPath: String
    var runs: Int
    var rejectsInput = false
}

/// The runs of one benchmark.
struct Measurement {
    var name: String
    var runs: [Run]

    var times: [Double] { runs.map(\.seconds).sorted() }
    var median: Double {
        let times = times
        let middle = times.count / 2
        return times.count % 2 == 1 ? times[middle] : (times[middle - 1] + times[middle]) / 2
    }
    var fastest: Double { times.first! }
    var slowest: Double { times.last! }
    /// The run with the highest peak RSS.
    var peakRSSRun: Run { runs.max { $0.maxRSSBytes < $1.maxRSSBytes }! }
}

/// Runs each benchmark once to warm caches (not counted), then all of them in rounds, each
/// one's runs spread evenly over the rounds: a change of load on the machine during the
/// measurement then weighs on every benchmark alike, and the ratios between them hold.
func measure(_ benchmarks: [Benchmark], logPath: String) throws -> [Measurement] {
    for benchmark in benchmarks {
        _ = try runChecked(benchmark, logPath: logPath)
    }
    let rounds = benchmarks.map(\.runs).max() ?? 0
    var runs = Array(repeating: [Run](), count: benchmarks.count)
    for round in 0..<rounds {
        for (index, benchmark) in benchmarks.enumerated() where runsInRound(round, of: rounds, benchmark.runs) {
            runs[index].append(try runChecked(benchmark, logPath: logPath))
        }
    }
    return zip(benchmarks, runs).map { Measurement(name: $0.name, runs: $1) }
}

/// Whether a benchmark with `runs` runs over `rounds` rounds runs in `round`: it does each
/// time the running count `round * runs / rounds` steps up by one.
private func runsInRound(_ round: Int, of rounds: Int, _ runs: Int) -> Bool {
    (round + 1) * runs / rounds > round * runs / rounds
}

/// One run, failing unless the child exited 0 and wrote a non-empty output file (or exited 1
/// and wrote none, for a benchmark that rejects its input).
private func runChecked(_ benchmark: Benchmark, logPath: String) throws -> Run {
    let files = FileManager.default
    try? files.removeItem(atPath: benchmark.outputPath)
    let run = try spawnAndWait(benchmark.command, logPath: logPath)
    if benchmark.rejectsInput {
        // The status as waitpid gives it: exit status 1 is 0x100.
        guard run.waitStatus == 1 << 8, !files.fileExists(atPath: benchmark.outputPath) else {
            throw BenchError("\(benchmark.name): expected exit status 1 and no output, got \(describeWaitStatus(run.waitStatus))")
        }
        return run
    }
    guard run.waitStatus == 0 else {
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw BenchError(
            "\(benchmark.name): \(benchmark.command.executable) ended with \(describeWaitStatus(run.waitStatus))"
                + (log.isEmpty ? "" : "; its output ends with:\n\(log.suffix(2000))"))
    }
    let size = (try? files.attributesOfItem(atPath: benchmark.outputPath)[.size] as? Int) ?? 0
    guard size > 0 else {
        throw BenchError("\(benchmark.name): exited 0 but wrote nothing to \(benchmark.outputPath)")
    }
    return run
}
