import ArgumentParser

extension CompileRequest.Format: CommandLineChoice {}
extension CompileRequest.Emit: CommandLineChoice {}

struct CompileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compile",
        abstract: "Compile a pipeline to PipelineSpec JSON (or a PipelineJob body).",
        discussion: """
            Reads standard input for FILE `-`. Writes to standard output unless -o is given \
            (-o - is standard output too). A file written with -o is replaced atomically: a \
            failed compile leaves the previous file as it was; a device or pipe is written to.

            With --format job the output is a Vertex AI PipelineJob request body: the \
            PipelineSpec plus runtimeConfig (parameter values and the output directory), \
            ready for `POST .../pipelineJobs`. With --emit ir the output is the lowered IR as \
            JSON instead, for debugging.

            With --check (and -o OUT) nothing is written: the exit status is 0 when OUT holds \
            exactly what FILE compiles to now, and 1, with the differences listed, when it \
            does not (or does not exist), so CI can tell a stale committed spec.
            """
    )

    @Argument(help: "The pipeline YAML file, or - for standard input.")
    var file: String

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    @Option(name: .shortAndLong, help: "Write the result to this file instead of standard output.")
    var output: String?

    @Option(help: "spec: the PipelineSpec; job: a PipelineJob body with runtimeConfig.")
    var format: CompileRequest.Format = .spec

    @Option(help: "spec: what --format says; ir: the lowered IR as JSON, for debugging.")
    var emit: CompileRequest.Emit = .spec

    @Flag(help: "Write nothing; exit 1 and list the differences when the -o file is not what FILE compiles to.")
    var check = false

    @Option(name: .customLong("param"), help: ArgumentHelp("With --format job: a parameter value.", valueName: "name=value"))
    var params: [String] = []

    @Option(help: ArgumentHelp("With --format job: a YAML file mapping param names to values.", valueName: "file"))
    var paramsFile: String?

    @Option(help: ArgumentHelp("With --format job: the run's output directory (overrides pipeline_root).", valueName: "gs-uri"))
    var pipelineRoot: String?

    var request: CompileRequest {
        CompileRequest(
            file: file, output: output, format: format, emit: emit, check: check, params: params,
            paramsFile: paramsFile, pipelineRoot: pipelineRoot, reporter: reporting.reporter)
    }

    func validate() throws {
        try request.validate()
    }

    func run() {
        request.run()
    }
}
