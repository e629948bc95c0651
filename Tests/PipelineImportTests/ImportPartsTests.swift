import JSON
@testable import PipelineImport
import Testing

/// The parts of an import: conditions, YAML scalars, run IDs, refusals.
@Suite struct ImportPartsTests {
    @Test func celBecomesAPipespecConditionWithReferences() throws {
        let cel = "int(inputs.parameter_values['pipelinechannel--rows']) >= 3 && !(inputs.parameter_values['pipelinechannel--mode'] == 'it\\'s') || double(int(inputs.parameter_values['pipelinechannel--n'])) < 2.5"
        let text = try CELImport.condition(cel) { "${params.\($0.dropFirst("pipelinechannel--".count))}" }
        #expect(text == "${params.rows} >= 3 and not (${params.mode} == 'it\\'s') or ${params.n} < 2.5")
    }

    @Test func kfp18ConditionsReadTypedFields() throws {
        let text = try CELImport.condition("inputs.parameters['pipelineparam--aupr'].double_value >= inputs.parameters['pipelineparam--t'].double_value") { "${params.\($0)}" }
        #expect(text == "${params.pipelineparam--aupr} >= ${params.pipelineparam--t}")
    }

    @Test(arguments: ["int(inputs.parameter_values['x'] > 1", "inputs.parameter_values['x > 1", "a ? b : c"])
    func aConditionItCannotReadIsRefused(_ cel: String) {
        #expect(throws: ImportError.self) { try CELImport.condition(cel) { $0 } }
    }

    @Test(arguments: [
        ("plain", true), ("${params.x}", true), ("gs://bucket/path.py", true), ("churn-train-${pipeline.job_id}", true),
        ("true", false), ("No", false), ("1.10", false), ("12", false), ("a: b", false), ("- x", false), ("x #y", false),
        ("", false), (" lead", false), ("'quoted'", false), ("{a}", false), ("tail:", false), ("é", true), ("…", false),
    ])
    func scalarsArePlainOnlyWhenYAMLReadsThemBackAsTheSameString(_ text: String, _ plain: Bool) {
        #expect(YAMLText.isPlain(text) == plain)
    }

    @Test func blocksNestAndSequencesOfMappingsLineUp() {
        let document = YAMLText.mapping([
            ("name", .string("p")),
            ("tasks", .mapping([("a", .mapping([("when", .sequence([.string("x > 1"), .string("y: 2")])), ("with", .mapping([]))]))])),
        ]).document
        #expect(document == "name: p\ntasks:\n  a:\n    when:\n      - x > 1\n      - \"y: 2\"\n    with: {}\n")
        #expect(YAMLText.constant(.object(["k": .array([.double(1), .string("v")])])).document == "{\"k\": [1, \"v\"]}\n")
    }

    @Test(arguments: [("churn-YOUR_EXECUTION_ID", true), ("run-20240131120000", true), ("3f2b1c9e-8d4a-4b6f-9a2e-1c3d5e7f9a0b", true),
                      ("churn-train", false), ("v1.2.3", false), ("gs://bucket/2024", false)])
    func runIdentifiersAreSpotted(_ text: String, _ isRunID: Bool) {
        #expect(RunIdentifiers.looksLikeOneRun(text) == isRunID)
    }

    @Test func aLoopOverArtifactsIsRefusedAndNamed() {
        let spec: JSONValue = .object([
            "pipelineInfo": .object(["name": "p"]),
            "components": .object(["comp-for-loop-1": .object(["dag": .object(["tasks": .object([:])])])]),
            "root": .object(["dag": .object(["tasks": .object([
                "for-loop-1": .object(["componentRef": .object(["name": "comp-for-loop-1"]), "artifactIterator": .object([:])]),
            ])])]),
        ])
        guard case .failure(let error) = SpecImporter.importSpec(spec) else {
            Issue.record("a loop over artifacts was imported")
            return
        }
        #expect(error.description.contains("'for-loop-1' loops over artifacts"))
    }
}

/// If/elif/else branches put back in the order written, from their CEL.
@Suite struct BranchOrderTests {
    @Test func eachBranchFollowsTheOneItsConditionNegates() {
        let terms = [
            ["!(a)", "!(!(b))"],  // else
            ["!(a)", "!(b)"],     // elif, whose own test starts with a negation
            ["a"],                // if
        ]
        #expect(SpecImporter.branchOrder(terms) == [2, 1, 0])
    }

    @Test func aTestOfSeveralOrsIsMatchedWithOrWithoutItsParentheses() {
        let terms = [["!(x || y)", "z"], ["x || y"], ["!(x || y)", "!(z)"]]
        #expect(SpecImporter.branchOrder(terms) == [1, 0, 2])
        let later = [["a"], ["!(a)", "(b || c)"], ["!(a)", "!(b || c)"]]
        #expect(SpecImporter.branchOrder(later) == [0, 1, 2])
    }

    @Test func withoutAChainTheWrittenOrderStays() {
        #expect(SpecImporter.branchOrder([["p"], ["q"]]) == [0, 1])
    }
}
