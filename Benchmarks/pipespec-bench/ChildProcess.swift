import Foundation

/// A program to run as a child process.
struct Command {
    /// Absolute path of the program.
    var executable: String
    var arguments: [String]
    /// Working directory of the child; the benchmark's own when nil.
    var directory: String? = nil
    /// Variables added to the benchmark's own environment.
    var environment: [String: String] = [:]
}

/// What one finished child process cost.
struct Run {
    var seconds: Double
    var maxRSSBytes: Int
    /// The child's peak RSS is at most `maxRSSBytes` rather than exactly that (see spawnAndWait).
    var maxRSSIsUpperBound: Bool
    /// The raw wait status: 0 when the child exited with status 0.
    var waitStatus: Int32
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `command` to completion, standard output and error going to `logPath`, and times it
/// from spawn to reaping. wait4 gives this child's own peak RSS, so runs don't mix.
func spawnAndWait(_ command: Command, logPath: String) throws -> Run {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)

    let arguments = [command.executable] + command.arguments
    let environment = ProcessInfo.processInfo.environment
        .merging(command.environment) { _, added in added }
        .map { "\($0.key)=\($0.value)" }

    let clock = ContinuousClock()
    var pid = pid_t()
    let start = try inDirectory(command.directory) {
        try withCStrings(arguments) { argv in
            try withCStrings(environment) { envp in
                let start = clock.now
                let spawned = posix_spawn(&pid, command.executable, &actions, nil, argv, envp)
                guard spawned == 0 else {
                    throw BenchError("cannot run \(command.executable): \(String(cString: strerror(spawned)))")
                }
                return start
            }
        }
    }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) == -1 {
        guard errno == EINTR else { throw BenchError("wait4 failed: \(String(cString: strerror(errno)))") }
    }
    let elapsed = start.duration(to: clock.now)

    // ru_maxrss is in KiB on Linux. glibc's posix_spawn runs the child on the parent's memory
    // until exec (vfork), and exec folds that memory's peak into the child's ru_maxrss: a
    // child using less than this process has used shows this process's peak instead.
    let maxRSS = Int(usage.ru_maxrss) * 1024
    return Run(
        seconds: elapsed.seconds, maxRSSBytes: maxRSS,
        maxRSSIsUpperBound: maxRSS <= ownPeakRSSBytes(), waitStatus: status)
}

/// This process's peak RSS (VmHWM in /proc/self/status), or 0 where /proc does not say.
private func ownPeakRSSBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    // "VmHWM:    18564 kB"
    let fields = line.split(whereSeparator: \.isWhitespace)
    return fields.count == 3 ? (Int(fields[1]) ?? 0) * 1024 : 0
}

/// "exit status N" or "killed by signal N", decoding a wait status.
func describeWaitStatus(_ status: Int32) -> String {
    let signal = status & 0x7f
    return signal == 0 ? "exit status \((status >> 8) & 0xff)" : "killed by signal \(signal)"
}

/// Runs `body` in `directory`, for the child to inherit it: posix_spawn's chdir action is a
/// GNU extension that Swift's Glibc module does not import.
private func inDirectory<R>(_ directory: String?, _ body: () throws -> R) throws -> R {
    guard let directory else { return try body() }
    let previous = FileManager.default.currentDirectoryPath
    guard chdir(directory) == 0 else {
        throw BenchError("cannot enter \(directory): \(String(cString: strerror(errno)))")
    }
    defer { chdir(previous) }
    return try body()
}

/// Calls `body` with a NULL-terminated C array of copies of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) throws -> R) rethrows -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return try body(pointers)
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
