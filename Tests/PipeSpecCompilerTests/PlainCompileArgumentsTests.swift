import ArgumentParser
import Testing
@testable import pipespec

/// `pipespec compile FILE [-o OUT]` is read without ArgumentParser; these check that it is read
/// exactly as ArgumentParser reads it, and that everything else is left to ArgumentParser.
@Suite struct PlainCompileArgumentsTests {
    /// ArgumentParser's request for `arguments`, or `nil` when it refuses them or they are not
    /// a compile.
    static func parsed(_ arguments: [String]) -> CompileRequest? {
        guard let command = try? PipeSpecCommand.parseAsRoot(arguments) as? CompileCommand else { return nil }
        return command.request
    }

    @Test(arguments: [
        ["compile", "p.yaml"],
        ["compile", "-"],
        ["compile", "p.yaml", "-o", "out.json"],
        ["compile", "p.yaml", "--output", "out.json"],
        ["compile", "-o", "out.json", "p.yaml"],
        ["compile", "--output", "-", "-"],
        ["compile", "help"],
        ["compile", "dir with spaces/p.yaml", "-o", "a b.json"],
        ["compile", "ünïcode.yaml", "-o", "out.json"],
        ["compile", "validate", "-o", "help"],
        ["compile", ""],
        ["compile", "p.yaml", "-o", ""],
    ])
    func plainFormsAreReadAsArgumentParserReadsThem(_ arguments: [String]) throws {
        let plain = try #require(CompileRequest(plainArguments: arguments))
        #expect(plain == Self.parsed(arguments))
    }

    @Test(arguments: [
        // Other options, and their values.
        ["compile", "p.yaml", "--check", "-o", "out.json"],
        ["compile", "p.yaml", "--format", "job"],
        ["compile", "p.yaml", "--diagnostics-format", "json"],
        ["compile", "p.yaml", "--output=out.json"],
        ["compile", "p.yaml", "-oout.json"],
        // Help, version and completion requests.
        ["compile", "--help"],
        ["compile", "-h"],
        ["compile", "-help"],
        ["compile", "p.yaml", "--help"],
        ["compile", "p.yaml", "--version"],
        ["--version"],
        ["compile", "--generate-completion-script", "bash"],
        // What ArgumentParser refuses, and explains.
        ["compile"],
        ["compile", "-o", "out.json"],
        ["compile", "p.yaml", "-o"],
        ["compile", "a.yaml", "b.yaml"],
        ["compile", "a.yaml", "-o", "out.json", "b.yaml"],
        ["compile", "-p.yaml"],
        ["compile", "p.yaml", "-o", "-x.json"],
        // What ArgumentParser reads by rules of its own: the last of repeated options, and
        // values after `--`.
        ["compile", "p.yaml", "-o", "a.json", "-o", "b.json"],
        ["compile", "--", "-p.yaml"],
        ["compile", "p.yaml", "--"],
        // Other commands.
        ["validate", "p.yaml"],
        ["help", "compile"],
        [],
    ])
    func everythingElseIsLeftToArgumentParser(_ arguments: [String]) {
        #expect(CompileRequest(plainArguments: arguments) == nil)
    }

    /// The built `pipespec`, given a plain form and the same with an option that changes
    /// nothing here (diagnostics are not coloured off a terminal), so ArgumentParser reads it.
    @Test(arguments: [
        "pipelines/customer-churn-training.yaml",
        "Tests/PipeSpecCompilerTests/BadInputs/schema-bad-duration.yaml",
        "no-such-pipeline.yaml",
    ])
    func bothReadingsCompileAndFailAlike(_ file: String) throws {
        let plain = try PipeSpecBinary.run(["compile", file])
        let parsed = try PipeSpecBinary.run(["compile", file, "--color", "never"])
        #expect(plain.status == parsed.status)
        #expect(plain.standardOutput == parsed.standardOutput)
        #expect(plain.standardError == parsed.standardError)
        #expect(plain.status == (file.hasPrefix("pipelines/") ? 0 : file.hasPrefix("no-such") ? 2 : 1))
    }

    @Test func theDefaultsAreArgumentParsersDefaults() throws {
        let parsed = try #require(Self.parsed(["compile", "p.yaml"]))
        #expect(parsed == CompileRequest(file: "p.yaml"))
        #expect(parsed.reporter == Reporter())
    }
}
