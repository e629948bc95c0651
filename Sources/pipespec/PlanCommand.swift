import ArgumentParser
import DeployEngine
import Diagnostics
import JSON
import PipeSpecCompiler

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change in Google Cloud.",
        discussion: """
            Compiles every deployment of the configuration, reads the live templates, Cloud \
            Scheduler jobs and Vertex AI schedules this configuration owns, and prints each \
            change: create, update (field by field), replace (with the reason) or delete.

            --out saves the plan for `pipespec apply PLAN`, with the live version of every \
            resource it read; apply refuses the plan if any of them has changed since.
            With --detailed-exitcode: 0 when there is nothing to do, 2 when there are \
            changes, 1 on errors.
            """
    )

    enum Format: String, CommandLineChoice {
        case text, json
    }

    @OptionGroup var options: DeployOptions

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    @Option(help: ArgumentHelp("Save the plan to this file, for apply.", valueName: "plan"))
    var out: String?

    @Flag(help: "Exit 0 when there are no changes, 2 when there are, 1 on errors.")
    var detailedExitcode = false

    @Option(help: "text: for people; json: for programs.")
    var format: Format = .text

    func run() throws {
        let reporter = reporting.reporter
        let diagnostics = reporter.engine()
        let plan: Plan
        do {
            plan = try Self.makePlan(options, diagnostics: diagnostics)
        } catch let status as ExitCode {
            reporter.report(diagnostics)
            // With --detailed-exitcode, 2 means changes: every error is 1.
            throw detailedExitcode ? ExitStatus.invalidInput : status
        }
        reporter.report(diagnostics)
        if reporter.fails(diagnostics) { throw ExitStatus.invalidInput }
        if let out {
            let saved = JSONWriter.bytes(PlanCodec.encode(plan, includeBodies: true))
            if case .failure(let failure) = FileSystem.writeAtomically(saved, to: out) {
                FileSystem.writeToStandardError("pipespec: error: \(failure)\n")
                throw detailedExitcode ? ExitStatus.invalidInput : ExitStatus.usageOrIO
            }
        }
        let output = format == .json
            ? String(decoding: JSONWriter.bytes(PlanCodec.encode(plan, includeBodies: false)), as: UTF8.self)
            : PlanTextRenderer.render(plan) + (out.map { "\nSaved the plan to \($0); apply it with: pipespec apply \($0)\n" } ?? "")
        _ = FileSystem.writeToStandardOutput(Array(output.utf8))
        if detailedExitcode, plan.hasChanges { throw ExitCode(2) }
    }

    /// Compiles, reads live state and plans; reports problems and throws the exit status.
    static func makePlan(_ options: DeployOptions, diagnostics: DiagnosticEngine) throws -> Plan {
        let session = try DeploySession.load(options, diagnostics: diagnostics)
        guard let desired = session.desiredStateBuilder().resources(in: session.environments) else { throw ExitStatus.invalidInput }
        let engine = try DeploySession.engine(owner: session.config.owner, parallelism: options.parallelism)
        do {
            return try engine.plan(desired: desired, environments: session.environments)
        } catch {
            for message in error.messages { diagnostics.error(.cloudRequestFailed, message, at: nil) }
            throw ExitStatus.invalidInput
        }
    }
}
