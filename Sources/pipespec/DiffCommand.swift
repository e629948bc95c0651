import ArgumentParser
import Diagnostics
import JSON
import PipeSpecCompiler

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what differs between two pipelines in what they run.",
        discussion: """
            Each of OLD and NEW is a pipespec pipeline file (compiled first), a compiled \
            PipelineSpec or a Vertex AI PipelineJob body, in JSON or YAML, from pipespec or \
            kfp. Tasks and groups are matched by name and each task's component and executor \
            compared in place, so component names, group numbering and key order do not \
            count. Exit status: 0 when they run the same, 1 when they differ, 2 on errors.
            """
    )

    enum Format: String, CommandLineChoice {
        case text, markdown, json
    }

    @Argument(help: "The pipeline before.")
    var old: String

    @Argument(help: "The pipeline after.")
    var new: String

    @Option(help: "text: one line a difference; markdown: for a pull-request comment; json: an array of {path, summary, old, new}.")
    var format: Format = .text

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    func run() throws {
        let reporter = reporting.reporter
        let diagnostics = reporter.engine()
        let compiler = Compiler()
        let specs = [old, new].map { compiler.pipelineSpec(path: $0, diagnostics: diagnostics) }
        reporter.report(diagnostics)
        guard let before = specs[0], let after = specs[1] else { throw ExitStatus.usageOrIO }
        let differences = SpecComparison.differences(before, after)
        _ = FileSystem.writeToStandardOutput(Array(render(differences).utf8))
        if !differences.isEmpty { throw ExitStatus.invalidInput }
    }

    private func render(_ differences: [SpecComparison.Difference]) -> String {
        switch format {
        case .text:
            return SpecComparison.render(differences, limit: .max)
        case .markdown:
            guard !differences.isEmpty else { return "`\(old)` and `\(new)` run the same pipeline.\n" }
            let lines = SpecComparison.render(differences, limit: .max)
            return "**\(differences.count) difference\(differences.count == 1 ? "" : "s")** between `\(old)` and `\(new)`:\n\n```diff\n\(lines)```\n"
        case .json:
            let items: [JSONValue] = differences.map { difference in
                var object: JSONObject = ["path": .string(difference.path), "summary": .string(difference.summary)]
                if let old = difference.old { object.append("old", old) }
                if let new = difference.new { object.append("new", new) }
                return .object(object)
            }
            return String(decoding: JSONWriter.bytes(.array(items)), as: UTF8.self)
        }
    }
}
