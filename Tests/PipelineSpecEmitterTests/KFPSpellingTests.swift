import JSON
import PipelineConfig
@testable import PipelineIR
@testable import PipelineSpecEmitter
import Testing

/// What the IR holds by meaning, as KFP spells it.
@Suite struct KFPSpellingTests {
    @Test func everyRunTimeValueHasItsOwnPlaceholder() {
        let placeholders = RuntimeValue.allCases.map(\.placeholder)
        #expect(placeholders.allSatisfy { $0.hasPrefix("{{$.pipeline_") && $0.hasSuffix("}}") })
        #expect(Set(placeholders).count == RuntimeValue.allCases.count)
        #expect(RuntimeValue.jobID.placeholder == "{{$.pipeline_job_uuid}}")
    }

    @Test func channelsAreCarriedByPipelineChannelInputs() {
        let output = Channel(source: .taskOutput(task: "train", output: "model"), type: .artifact("system.Model"))
        #expect(output.fullName == "train-model" && output.pipelineChannelName == "pipelinechannel--train-model")
        #expect(Channel(source: .param("epochs"), type: .parameter(.int)).pipelineChannelName == "pipelinechannel--epochs")
    }

    @Test func interpolatedStringsUsePlaceholdersAndTheRestStaysAsWritten() {
        let who = Channel(source: .param("who"), type: .parameter(.string))
        let value = InterpolatedValue.map([
            ("greeting", .string([.text("hi "), .channel(who), .text(" in "), .runtime(.jobName)])),
            ("also", .list([.string([.channel(who)]), .constant(.double(1))])),
        ])
        let expected: JSONObject = [
            "greeting": .string("hi {{$.inputs.parameters['pipelinechannel--who']}} in {{$.pipeline_job_name}}"),
            "also": .array([.string("{{$.inputs.parameters['pipelinechannel--who']}}"), .double(1)]),
        ]
        #expect(value.json == .object(expected))
        #expect(value.channels.map(\.source) == [.param("who")])
    }

    @Test func commandLinesSpellEachValueAsItsPlaceholder() {
        let argument = CommandLineArgument(parts: [
            .text("--in="), .inputValue("n"), .text(","), .inputArtifact("data", .uri), .text(","), .outputParameterFile("score"),
            .text(","), .outputArtifact("model", .path), .text(","), .executorInput, .text(","), .runtime(.taskID),
        ])
        #expect(ExecutorEncoding.placeholders(argument) == "--in={{$.inputs.parameters['n']}},{{$.inputs.artifacts['data'].uri}},"
            + "{{$.outputs.parameters['score'].output_file}},{{$.outputs.artifacts['model'].path}},{{$}},{{$.pipeline_task_uuid}}")
    }
}
