let helpText = """
    USAGE: pipespec-bench [options]

    Measures the built pipespec against its design targets, side by side in one run:
      churn      compiling pipelines/customer-churn-training.yaml is at least 100x faster
                 than the kfp SDK compiling its Python twin (whole process each)
      10k tasks  a generated 10,000-task pipeline compiles in under 1 s, peak RSS < 256 MiB
      scaling    the 10,000-task pipeline takes under 12x the time of a 1,000-task one
      20 MiB     a 20 MiB pipeline (a list default of 800,000 strings) compiles, and a
                 20 MiB file of 800,000 unknown keys fails, each in under 2 s with a peak
                 RSS of at most 10x the input

    Each command runs as its own process, from spawn to exit, writing its output to a file.
    Each runs once to warm up, then the given number of times, the runs of all six
    interleaved so that changes in machine load touch them alike. The table shows median,
    fastest and slowest wall time and the highest peak RSS (the child's ru_maxrss). Run it
    from the repository root (scripts/benchmark does).

    OPTIONS:
      --pipespec PATH        the pipespec binary (default: .build/release/pipespec)
      --python PATH          Python with kfp and GCPC, for the twin (default: .venv/bin/python)
      --runs N               runs of every benchmark (overrides the defaults below)
      --pipespec-runs N      runs of pipespec on the churn pipeline (default: 20)
      --kfp-runs N           runs of kfp on the churn twin (default: 3)
      --generated-runs N     runs of each generated pipeline, the 20 MiB ones too (default: 5)
      -h, --help             show this help

    Exit status: 0 when every target passes, 1 when one fails or a benchmark cannot run,
    2 on usage errors.
    """

struct Options {
    var pipespec = ".build/release/pipespec"
    var python = ".venv/bin/python"
    var pipespecRuns = 20
    var kfpRuns = 3
    var generatedRuns = 5
}

enum ParsedArguments {
    case run(Options)
    case help
}

func parseArguments(_ arguments: [String]) throws -> ParsedArguments {
    var options = Options()
    var remaining = arguments[...]
    while let flag = remaining.popFirst() {
        if flag == "-h" || flag == "--help" { return .help }
        guard let value = remaining.popFirst() else { throw BenchError("\(flag) needs a value") }
        switch flag {
        case "--pipespec": options.pipespec = value
        case "--python": options.python = value
        case "--runs":
            let runs = try runCount(value, flag)
            (options.pipespecRuns, options.kfpRuns, options.generatedRuns) = (runs, runs, runs)
        case "--pipespec-runs": options.pipespecRuns = try runCount(value, flag)
        case "--kfp-runs": options.kfpRuns = try runCount(value, flag)
        case "--generated-runs": options.generatedRuns = try runCount(value, flag)
        default: throw BenchError("unknown option \(flag)")
        }
    }
    return .run(options)
}

private func runCount(_ value: String, _ flag: String) throws -> Int {
    guard let count = Int(value), count > 0 else { throw BenchError("\(flag) takes a positive number, got '\(value)'") }
    return count
}
