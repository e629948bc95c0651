import ArgumentParser
import Diagnostics
import PipeSpecCompiler

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

    enum Format: String, CommandLineChoice {
        case spec, job
    }

    enum Emit: String, CommandLineChoice {
        case spec, ir
    }

    @Argument(help: "The pipeline YAML file, or - for standard input.")
    var file: String

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    @Option(name: .shortAndLong, help: "Write the result to this file instead of standard output.")
    var output: String?

    @Option(help: "spec: the PipelineSpec; job: a PipelineJob body with runtimeConfig.")
    var format: Format = .spec

    @Option(help: "spec: what --format says; ir: the lowered IR as JSON, for debugging.")
    var emit: Emit = .spec

    @Flag(help: "Write nothing; exit 1 and list the differences when the -o file is not what FILE compiles to.")
    var check = false

    @Option(name: .customLong("param"), help: ArgumentHelp("With --format job: a parameter value.", valueName: "name=value"))
    var params: [String] = []

    @Option(help: ArgumentHelp("With --format job: a YAML file mapping param names to values.", valueName: "file"))
    var paramsFile: String?

    @Option(help: ArgumentHelp("With --format job: the run's output directory (overrides pipeline_root).", valueName: "gs-uri"))
    var pipelineRoot: String?

    func validate() throws {
        if emit == .ir, format == .job { throw ValidationError("--emit ir writes the IR, not a PipelineJob; leave out --format job") }
        if check, output == nil || output == "-" { throw ValidationError("--check compares with the file given by -o") }
        if format == .spec, !params.isEmpty || paramsFile != nil || pipelineRoot != nil {
            throw ValidationError("--param, --params-file and --pipeline-root need --format job")
        }
        if let bad = params.first(where: { !$0.contains("=") }) {
            throw ValidationError("--param takes NAME=VALUE, got '\(bad)'")
        }
    }

    func run() throws {
        let diagnostics = reporting.engine()
        do {
            let compiled = try compileAndWrite(diagnostics)
            reporting.report(diagnostics)
            // Exit while the compiled trees are still alive: freeing a large pipeline node by
            // node takes longer than building it, and the process is ending anyway.
            withExtendedLifetime(compiled) { exitWithoutTeardown() }
        } catch {
            reporting.report(diagnostics)
            throw error
        }
    }

    private func compileAndWrite(_ diagnostics: DiagnosticEngine) throws -> CompiledPipeline {
        let compiled: CompiledPipeline
        switch Compiler().compile(path: file, diagnostics: diagnostics) {
        case .compiled(let pipeline): compiled = pipeline
        case .invalidInput: throw ExitStatus.invalidInput
        case .unreadable: throw ExitStatus.usageOrIO
        }
        if reporting.fails(diagnostics) { throw ExitStatus.invalidInput }
        let bytes: [UInt8]
        switch format {
        case .spec where emit == .ir:
            bytes = compiled.irBytes()
        case .spec:
            bytes = compiled.specBytes()
        case .job:
            var values = JobValues()
            for assignment in params { _ = values.add(assignment: assignment) }
            if let paramsFile {
                switch FileSystem.read(paramsFile) {
                case .success(let contents):
                    guard values.addFile(contents, path: paramsFile, diagnostics: diagnostics) else { throw ExitStatus.usageOrIO }
                case .failure(let failure):
                    diagnostics.error(.inputUnreadable, failure.description, at: nil)
                    throw ExitStatus.usageOrIO
                }
            }
            guard let job = compiled.jobBytes(values: values, pipelineRoot: pipelineRoot, diagnostics: diagnostics) else {
                throw ExitStatus.usageOrIO
            }
            bytes = job
        }
        if check, let output {
            try checkUnchanged(bytes, output, diagnostics)
            return compiled
        }
        let written = output.flatMap { $0 == "-" ? nil : $0 }.map { FileSystem.writeAtomically(bytes, to: $0) }
            ?? FileSystem.writeToStandardOutput(bytes)
        if case .failure(let failure) = written {
            diagnostics.error(.outputUnwritable, failure.description, at: nil)
            throw ExitStatus.usageOrIO
        }
        return compiled
    }

    /// `--check`: compares with the committed file and lists what differs.
    private func checkUnchanged(_ bytes: [UInt8], _ path: String, _ diagnostics: DiagnosticEngine) throws {
        switch SpecComparison.check(bytes, against: path) {
        case .upToDate:
            return
        case .unreadable(let reason):
            diagnostics.error(.outputStale, "\(path) is not what \(file) compiles to: \(reason)", at: nil)
        case .stale(let differences):
            diagnostics.error(.outputStale, "\(path) is not what \(file) compiles to now; run pipespec compile \(file) -o \(path)", at: nil)
            let listed = differences.isEmpty
                ? "  (they differ only in spelling: key order, names, numbering)\n"
                : SpecComparison.render(differences, limit: 50)
            _ = FileSystem.writeToStandardOutput(Array(listed.utf8))
        }
        throw ExitStatus.invalidInput
    }
}
