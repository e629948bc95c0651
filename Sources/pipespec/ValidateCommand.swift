import ArgumentParser
import Diagnostics
import PipeSpecCompiler

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipelines without writing anything.",
        discussion: "Runs every stage of compile on each file and reports all problems found."
    )

    @Argument(help: "The pipeline YAML files; - for standard input.")
    var files: [String]

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one pipeline file") }
    }

    func run() throws {
        let compiler = Compiler()
        var status: ExitCode = .success
        for file in files {
            let diagnostics = reporting.engine()
            switch compiler.compile(path: file, diagnostics: diagnostics) {
            case .compiled: if reporting.fails(diagnostics), status == .success { status = ExitStatus.invalidInput }
            case .invalidInput: if status == .success { status = ExitStatus.invalidInput }
            case .unreadable: status = ExitStatus.usageOrIO
            }
            reporting.report(diagnostics)
        }
        if status != .success { throw status }
    }
}
