import ArgumentParser
import Diagnostics
import PipeSpecCompiler

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a compiled PipelineSpec into a pipespec pipeline file.",
        discussion: """
            SPEC is a PipelineSpec or a Vertex AI PipelineJob body, JSON or YAML, from kfp 2, \
            kfp 1.8 or pipespec. DIR gets NAME.yaml and, under components/, the source of each \
            Python function component and a component file for each container component \
            that is not a built-in. The pipeline is compiled once written, to check it; what \
            could not be carried over is reported as warnings.
            """
    )

    @Argument(help: "The compiled PipelineSpec or PipelineJob body.")
    var spec: String

    @Option(name: .shortAndLong, help: "The directory to write into (made if missing).")
    var output: String

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    func run() throws {
        let reporter = reporting.reporter
        let diagnostics = reporter.engine()
        let outcome = Compiler().importSpec(path: spec, into: output, diagnostics: diagnostics)
        reporter.report(diagnostics)
        switch outcome {
        case .imported where !reporter.fails(diagnostics): return
        case .imported, .invalidInput: throw ExitStatus.invalidInput
        case .unwritable: throw ExitStatus.usageOrIO
        }
    }
}
