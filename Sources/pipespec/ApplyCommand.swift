#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import DeployEngine
import Diagnostics
import PipeSpecCompiler
import Synchronization

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the changes of a plan in Google Cloud.",
        discussion: """
            With a saved plan (pipespec plan --out PLAN), makes exactly its changes, and \
            refuses it, changing nothing, when a resource it read has changed since. Without \
            one, plans first and applies after a confirmation on the terminal, or at once with \
            --auto-approve.

            Templates are uploaded before the schedules that send them; jobs and schedules are \
            patched in place; deletions come last. Re-running an interrupted apply completes it.
            """
    )

    @Argument(help: ArgumentHelp("A plan saved by plan --out.", valueName: "plan"))
    var plan: String?

    @OptionGroup var options: DeployOptions

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    @Flag(help: "Apply without asking for confirmation.")
    var autoApprove = false

    func run() throws {
        let reporter = reporting.reporter
        let diagnostics = reporter.engine()
        defer { reporter.report(diagnostics) }
        let planned: Plan
        if let plan {
            switch FileSystem.read(plan) {
            case .success(let bytes):
                guard let decoded = PlanCodec.decode(bytes, file: plan, diagnostics: diagnostics) else { throw ExitStatus.invalidInput }
                planned = decoded
            case .failure(let failure):
                diagnostics.error(.inputUnreadable, failure.description, at: nil)
                throw ExitStatus.usageOrIO
            }
        } else {
            planned = try PlanCommand.makePlan(options, diagnostics: diagnostics)
            guard planned.hasChanges else {
                print(PlanTextRenderer.render(planned), terminator: "")
                return
            }
            if !autoApprove {
                print(PlanTextRenderer.render(planned))
                try confirm()
            }
        }
        guard planned.hasChanges else {
            print("Nothing to apply: the plan has no changes.")
            return
        }
        let engine = try DeploySession.engine(owner: planned.owner, parallelism: options.parallelism)
        let output = Mutex(())
        do {
            _ = try engine.apply(planned, requireFresh: plan != nil) { outcome in
                output.withLock { _ in
                    let verb = outcome.failure == nil ? Self.pastTense(outcome.change.action) : "failed to \(outcome.change.action.rawValue)"
                    print("\(verb) \(outcome.change.address) \(outcome.change.kind.rawValue) \(outcome.change.name)")
                }
            }
        } catch {
            for message in error.messages { diagnostics.error(.cloudRequestFailed, message, at: nil) }
            throw ExitStatus.invalidInput
        }
        print("Apply complete: \(planned.count(.create)) created, \(planned.count(.update)) updated, \(planned.count(.replace)) replaced, \(planned.count(.delete)) deleted.")
    }

    static func pastTense(_ action: PlannedChange.Action) -> String {
        switch action {
        case .create: return "created"
        case .update: return "updated"
        case .replace: return "replaced"
        case .delete: return "deleted"
        case .none: return "kept"
        }
    }

    /// Asks on the terminal; without one, refuses (CI must pass a plan or --auto-approve).
    private func confirm() throws {
        guard isatty(STDIN_FILENO) == 1 else {
            FileSystem.writeToStandardError("pipespec: error: apply without a saved plan asks for confirmation on a terminal; pass --auto-approve or apply a plan saved with plan --out\n")
            throw ExitStatus.invalidInput
        }
        print("Apply these changes? Only 'yes' applies: ", terminator: "")
        guard readLine() == "yes" else {
            print("Apply cancelled.")
            throw ExitStatus.invalidInput
        }
    }
}
