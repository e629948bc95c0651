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
        ["compile", "p.yaml", "--help"],
        ["--version"],
        ["compile", "--generate-completion-script", "bash"],
        // What ArgumentParser refuses, and explains.
        ["compile"],
        ["compile", "p.yaml", "-o"],
        ["compile", "p.yaml", "-o", "a.json", "-o", "b.json"],
        ["compile", "a.yaml", "b.yaml"],
        ["compile", "--", "-p.yaml"],
        ["compile", "-p.yaml"],
        ["compile", "p.yaml", "-o", "-x.json"],
        // Other commands.
        ["validate", "p.yaml"],
        ["help", "compile"],
        [],
    ])
    func everythingElseIsLeftToArgumentParser(_ arguments: [String]) {
        #expect(CompileRequest(plainArguments: arguments) == nil)
    }

    @Test func theDefaultsAreArgumentParsersDefaults() throws {
        let parsed = try #require(Self.parsed(["compile", "p.yaml"]))
        #expect(parsed == CompileRequest(file: "p.yaml"))
        #expect(parsed.reporter == Reporter())
    }
}
