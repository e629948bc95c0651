import ArgumentParser

/// What `pipespec compile` was asked to do, as plain values: `CompileCommand` fills it from
/// ArgumentParser's parse, and `init?(plainArguments:)` from the common invocations directly.
/// `run()` (in CompileRequest+Run.swift) does it.
struct CompileRequest: Equatable {
    enum Format: String, CaseIterable {
        case spec, job
    }

    enum Emit: String, CaseIterable {
        case spec, ir
    }

    var file: String
    var output: String?
    var format: Format = .spec
    var emit: Emit = .spec
    var check = false
    var params: [String] = []
    var paramsFile: String?
    var pipelineRoot: String?
    var reporter = Reporter()

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
}
