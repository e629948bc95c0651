#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Diagnostics
import PipeSpecCompiler

/// Exit codes: 0 success, 1 the input has errors, 2 usage or I/O errors.
enum ExitStatus {
    static let invalidInput = ExitCode(1)
    static let usageOrIO = ExitCode(2)
}

@main
struct PipeSpecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipespec",
        abstract: "Compile YAML pipelines to Vertex AI / Kubeflow PipelineSpec JSON, and deploy them with schedules.",
        discussion: """
            Exit status: 0 on success, 1 when the input has errors, 2 on usage or I/O errors.
            Diagnostics go to standard error as FILE:LINE:COLUMN: error: MESSAGE [ID];
            pipespec explain ID describes one.
            """,
        version: Compiler.version,
        subcommands: [CompileCommand.self, ValidateCommand.self, DiffCommand.self, GraphCommand.self, ImportCommand.self, PlanCommand.self, ApplyCommand.self, RunCommand.self, ExplainCommand.self, BuiltinsCommand.self]
    )

    /// ArgumentParser exits 64 on usage errors; pipespec promises 2.
    static func main() {
        // The plain compile needs nothing below: no command's configuration, no parse.
        CompileRequest(plainArguments: Array(CommandLine.arguments.dropFirst()))?.run()
        if let first = CommandLine.arguments.dropFirst().first, !first.hasPrefix("-"),
           !(configuration.subcommands.map { $0.configuration.commandName ?? "" } + ["help"]).contains(first) {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName }
            FileSystem.writeToStandardError("pipespec: error: unknown command '\(first)'\(Suggestions.didYouMean(first, in: names)); commands: \(names.joined(separator: ", "))\n")
            Self.exit(withError: ExitStatus.usageOrIO)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Self.exit(withError: exit)
        } catch {
            let code = exitCode(for: error)
            if code == .success { Self.exit(withError: error) }
            FileSystem.writeToStandardError(fullMessage(for: error) + "\n")
            // `plan --detailed-exitcode` keeps 2 for "changes": every error is 1 there.
            let detailed = CommandLine.arguments.contains("--detailed-exitcode")
            Self.exit(withError: detailed ? ExitStatus.invalidInput : ExitStatus.usageOrIO)
        }
    }
}

/// Ends the process with `status` at once, skipping deallocation.
func exitWithoutTeardown(_ status: ExitCode) -> Never {
    exit(status.rawValue)
}

extension DiagnosticID {
    static let outputStale = DiagnosticID("output-stale")
    static let cloudRequestFailed = DiagnosticID("cloud-request-failed")
}
