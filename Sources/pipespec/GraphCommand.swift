import ArgumentParser
import Diagnostics
import PipeSpecCompiler

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Draw a pipeline's task DAG, as Mermaid or Graphviz DOT.",
        discussion: """
            Tasks are nodes; conditions, if/elif/else branches, loops, exit handlers and \
            sub-pipelines are clusters. Data edges are solid and labelled with the outputs \
            passed, `after` edges dotted, exit edges bold. Mermaid renders in GitHub pull \
            requests and READMEs inside a ```mermaid block; DOT renders with `dot -Tsvg`.
            """
    )

    @Argument(help: "The pipeline YAML file, or - for standard input.")
    var file: String

    @Option(help: "mermaid or dot.")
    var format: GraphFormat = .mermaid

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    func run() throws {
        let reporter = reporting.reporter
        let diagnostics = reporter.engine()
        let outcome = Compiler().compile(path: file, diagnostics: diagnostics)
        reporter.report(diagnostics)
        switch outcome {
        case .compiled(let pipeline) where !reporter.fails(diagnostics):
            let text = pipeline.graph(format)
            if case .failure(let failure) = FileSystem.writeToStandardOutput(Array(text.utf8)) {
                throw ValidationError(failure.description)
            }
        case .compiled, .invalidInput: throw ExitStatus.invalidInput
        case .unreadable: throw ExitStatus.usageOrIO
        }
    }
}

extension GraphFormat: CommandLineChoice {}
