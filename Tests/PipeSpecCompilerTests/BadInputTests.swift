import Foundation
import Testing

/// Every file in BadInputs/ is a pipeline with mistakes. Its leading comment lines say what
/// pipespec must report, one line per diagnostic, in order:
///
///     # expect: 12:7: error: unknown task 'evalute' in 'after' (did you mean 'evaluate'?)
///
/// `# expect-line:` gives a whole line, for a note that points into another file.
///
/// The test runs the real binary and checks the exact diagnostics (with the file's path in
/// front), exit status 1, no crash, and that no output file was written.
@Suite struct BadInputTests {
    static let files = Repository.files(in: "Tests/PipeSpecCompilerTests/BadInputs", withExtension: "yaml")

    @Test func theSuiteIsLargeEnough() {
        #expect(Self.files.count >= 30)
    }

    @Test(arguments: files)
    func reportsExactDiagnostics(file: String) throws {
        let text = try String(contentsOfFile: Repository.path(file), encoding: .utf8)
        let expected = text.split(separator: "\n").prefix { $0.hasPrefix("#") }.compactMap { line -> String? in
            if line.hasPrefix("# expect: ") { return "\(file):" + line.dropFirst("# expect: ".count) }
            if line.hasPrefix("# expect-line: ") { return String(line.dropFirst("# expect-line: ".count)) }
            return nil
        }
        #expect(!expected.isEmpty, "\(file) has no '# expect:' line")

        let directory = try TemporaryDirectory()
        let output = directory.path("out.json")
        let result = try PipeSpecBinary.run(["compile", file, "-o", output])
        #expect(!result.crashed)
        #expect(result.status == 1, "exit status \(result.status); stderr:\n\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: output), "a failed compile wrote \(output)")
        // Headlines only: source excerpts are indented under a gutter.
        let reported = result.standardError.split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix(" ") && !$0.first!.isNumber && ($0.contains(": error: ") || $0.contains(": warning: ") || $0.contains(": note: ")) }
        #expect(reported == expected)
    }
}

/// The fuzz target, built plainly, replays inputs through the same body the fuzzer runs.
@Suite struct FuzzTargetTests {
    @Test func theFuzzBodyRunsOverEverySeedWithoutACrash() throws {
        let replay = PipeSpecBinary.url.deletingLastPathComponent().appendingPathComponent("pipespec-fuzz")
        let seeds = BadInputTests.files + Repository.files(in: "examples", withExtension: "yaml") + Repository.files(in: "pipelines", withExtension: "yaml")
        let process = Process()
        process.executableURL = replay
        process.arguments = seeds.map(Repository.path)
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(seeds.count > 100)
    }
}
