import Diagnostics
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

    static let rootOnly = KFPNames([GroupIR(displayName: nil, kind: .root, parent: nil, members: [])], tasks: [])

    @Test func channelsAreCarriedByPipelineChannelInputs() {
        let output = Channel(source: .taskOutput(task: "train", output: "model"), type: .artifact("system.Model"))
        #expect(output.fullName == "train-model" && Self.rootOnly.input(for: output) == "pipelinechannel--train-model")
        #expect(Self.rootOnly.input(for: Channel(source: .param("epochs"), type: .parameter(.int))) == "pipelinechannel--epochs")
    }

    @Test func loopsAreNamedAfterThemselvesAndTheirItemsAfterTheLoopOrTheChannel() {
        let regions = Channel(source: .param("regions"), type: .parameter(.list))
        func loop(_ name: String, _ items: LoopIR.Items) -> GroupIR {
            GroupIR(displayName: name, kind: .loop(LoopIR(items: items, parallelism: nil, itemType: .string)), parent: .root, members: [])
        }
        let groups = [
            GroupIR(displayName: nil, kind: .root, parent: nil, members: [.group(GroupID(1)), .group(GroupID(2)), .group(GroupID(3))]),
            loop("per-shard", .list([.string("a")])), loop("per-region", .channel(regions)), loop("per-shard", .list([.int(1)])),
        ]
        let names = KFPNames(groups, tasks: [])
        // A name given twice (here as in a sub-pipeline's scope) takes a suffix.
        #expect(names.groups.names == ["root", "for-loop-per-shard", "for-loop-per-region", "for-loop-per-shard-2"])
        #expect(names.itemInput(ofLoop: GroupID(1)) == "pipelinechannel--loop-item-param-per-shard")
        #expect(names.itemInput(ofLoop: GroupID(2)) == "pipelinechannel--regions-loop-item")
        #expect(names.input(for: Channel(source: .loopItem(group: GroupID(3)), type: .parameter(.int))) == "pipelinechannel--loop-item-param-per-shard-2")
    }

    @Test func aGroupNameATaskHasTakesASuffix() {
        let groups = [
            GroupIR(displayName: nil, kind: .root, parent: nil, members: [.task(TaskID(0)), .group(GroupID(1))]),
            GroupIR(displayName: "gate", kind: .condition([]), parent: .root, members: [.task(TaskID(1))]),
        ]
        let tasks = ["condition-gate", "inside"].map { name in
            TaskIR(name: name, displayName: nil, component: ComponentID(0), bindings: [], after: [], caching: true, retry: nil,
                   resources: nil, environment: [], group: .root, location: SourceLocation(file: "p.yaml", line: 1, column: 1))
        }
        #expect(KFPNames(groups, tasks: tasks).groups.names == ["root", "condition-gate-2"])
    }

    @Test func loopItemsAreWrittenAsPythonsJSONDumps() {
        let items: JSONValue = .array([.object(["rate": .double(0.1), "region": .string("é\n")]), .int(2), .bool(true), .null])
        #expect(PythonJSON.dumps(items) == #"[{"rate": 0.1, "region": "\u00e9\n"}, 2, true, null]"#)
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
        #expect(value.json(Self.rootOnly) == .object(expected))
        #expect(value.channels.map(\.source) == [.param("who")])
    }

    @Test func commandLinesSpellEachValueAsItsPlaceholder() {
        let argument = CommandLineArgument.value([
            .text("--in="), .inputValue("n"), .text(","), .inputArtifact("data", .uri), .text(","), .outputParameterFile("score"),
            .text(","), .outputArtifact("model", .path), .text(","), .executorInput, .text(","), .runtime(.taskID),
        ])
        #expect(ExecutorEncoding.placeholders(argument) == "--in={{$.inputs.parameters['n']}},{{$.inputs.artifacts['data'].uri}},"
            + "{{$.outputs.parameters['score'].output_file}},{{$.outputs.artifacts['model'].path}},{{$}},{{$.pipeline_task_uuid}}")
    }
}
