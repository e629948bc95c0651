import ArgumentParser
import Diagnostics
import PipeSpecCompiler

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check pipelines without writing anything.",
        discussion: """
            Runs every stage of compile on each file, several files at once, and reports all \
            problems found, file by file in the order given (in one document for --diagnostics-format \
            json or sarif).
            """
    )

    @Argument(help: "The pipeline YAML files; - for standard input.")
    var files: [String]

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one pipeline file") }
    }

    func run() throws {
        if files.count(where: { $0 == "-" }) > 1 { throw ValidationError("standard input (-) can be given once") }
        let reporter = reporting.reporter
        let results = Compiler.validate(files, engine: reporter.makeEngine)
        reporter.report(results.flatMap(\.diagnostics), omitted: results.map(\.omittedErrors).reduce(0, +))
        if results.contains(where: { $0.status == .unreadable }) { throw ExitStatus.usageOrIO }
        if results.contains(where: { $0.status == .invalidInput || reporter.fails($0.diagnostics) }) { throw ExitStatus.invalidInput }
    }
}
