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
        let diagnostics = reporting.engine()
        guard let imported = Compiler().importSpec(path: spec, diagnostics: diagnostics) else {
            reporting.report(diagnostics)
            throw diagnostics.errorCount > 0 && FileSystem.exists(spec) ? ExitStatus.invalidInput : ExitStatus.usageOrIO
        }
        for warning in imported.warnings { diagnostics.warning(.importIncomplete, warning, at: nil) }
        for (path, contents) in imported.files {
            let target = output + "/" + path
            let directory = String(target[..<(target.lastIndex(of: "/") ?? target.startIndex)])
            let written = FileSystem.createDirectories(directory).flatMap { FileSystem.writeAtomically(Array(contents.utf8), to: target) }
            if case .failure(let failure) = written {
                diagnostics.error(.outputUnwritable, failure.description, at: nil)
                reporting.report(diagnostics)
                throw ExitStatus.usageOrIO
            }
        }
        // What was written must compile.
        if let pipeline = imported.files.first, case .compiled = Compiler().compile(path: output + "/" + pipeline.path, diagnostics: diagnostics) {
            reporting.report(diagnostics)
            if reporting.fails(diagnostics) { throw ExitStatus.invalidInput }
            return
        }
        reporting.report(diagnostics)
        throw ExitStatus.invalidInput
    }
}

extension DiagnosticID {
    static let importIncomplete = DiagnosticID("import-incomplete")
}
