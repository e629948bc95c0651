import Diagnostics
@testable import PipeSpecCompiler
import Testing
import YAML

/// Which schema errors let the later stages check the rest of a pipeline.
@Suite struct SchemaRecoveryTests {
    let document: Node = {
        let text = """
            name: demo
            params: {p: {type: string}, q: {type: int}}
            components: {c: {container: {image: alpine}}}
            tasks:
              a: {uses: c}
              g: {if: "${params.p} == 'x'", then: {inner: {uses: c}}}
              l: {for_each: [1], do: {looped: {uses: c}}}
              e: {do: {guarded: {uses: c}}, on_exit: {last: {uses: c}}}
              b: {uses: c}

            """
        return YAMLReader().read(Array(text.utf8), file: "p.yaml", diagnostics: DiagnosticEngine())!
    }()

    @Test func entriesWithErrorsAreLeftOutAndNamed() throws {
        let (rest, excluded) = try #require(SchemaRecovery.prune(document, violatedEntries: [["tasks", "a"], ["params", "q"], ["components", "c"]]))
        #expect(rest["tasks"]?.mapping?.map(\.key) == ["g", "l", "e", "b"])
        #expect(rest["params"]?.mapping?.map(\.key) == ["p"])
        #expect(rest["components"]?.mapping?.isEmpty == true)
        #expect(excluded.tasks.keys.sorted() == ["a"] && excluded.tasks["a"]?.line == 5)
        #expect(excluded.params == ["q"] && excluded.components == ["c"])
    }

    @Test(arguments: [[["name"]], [["tasks"]], [[]], [["tasks", "g"]], [["tasks", "l"]], [["tasks", "e"]], [["defaults", "retry"]], [["tasks", "a"], ["name"]]])
    func anErrorThatCouldChangeTheRestStopsTheLaterStages(violations: [[String]]) {
        #expect(SchemaRecovery.prune(document, violatedEntries: Set(violations)) == nil)
    }
}
