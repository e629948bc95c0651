import ArgumentParser
import Diagnostics
import PipeSpecCompiler

extension CompileRequest {
    /// Compiles FILE, writes what was asked for, reports, and ends the process with its status.
    func run() -> Never {
        let diagnostics = reporter.engine()
        let compiler = Compiler()
        var compiled: CompiledPipeline?
        let status: ExitCode
        do throws(ExitCode) {
            compiled = try compileAndWrite(compiler, diagnostics)
            status = .success
        } catch {
            status = error
        }
        reporter.report(diagnostics)
        // End while the compiled trees (and the compiler's schema) are alive: freeing a large
        // pipeline node by node takes about as long as building it, and the process is ending.
        withExtendedLifetime((compiler, compiled)) { exitWithoutTeardown(status) }
    }

    private func compileAndWrite(_ compiler: Compiler, _ diagnostics: DiagnosticEngine) throws(ExitCode) -> CompiledPipeline {
        let compiled: CompiledPipeline
        switch compiler.compile(path: file, diagnostics: diagnostics) {
        case .compiled(let pipeline): compiled = pipeline
        case .invalidInput: throw ExitStatus.invalidInput
        case .unreadable: throw ExitStatus.usageOrIO
        }
        if reporter.fails(diagnostics) { throw ExitStatus.invalidInput }
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
    private func checkUnchanged(_ bytes: [UInt8], _ path: String, _ diagnostics: DiagnosticEngine) throws(ExitCode) {
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
