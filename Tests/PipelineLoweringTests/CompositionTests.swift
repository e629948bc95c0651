import PipelineConfig
@testable import PipelineIR
@testable import PipelineLowering
import Testing

/// If/elif/else outputs, pipeline outputs and pipelines used as components, as the IR holds them.
@Suite struct CompositionTests {
    static let branches = """
        name: branches
        params:
          big: {type: bool, default: false}
        components:
          make:
            container: {image: alpine, command: [make, "${outputs.text}"]}
            outputs: {text: string}
          echo:
            container: {image: alpine, command: [echo, "${inputs.text}"]}
            inputs: {text: string}
        tasks:
          pick:
            if: ${params.big} == true
            then:
              large: {uses: make}
            else:
              small: {uses: make}
            outputs:
              text: ["${tasks.large.outputs.text}", "${tasks.small.outputs.text}"]
          say:
            uses: echo
            with: {text: "${tasks.pick.outputs.text}"}
        outputs:
          chosen: ${tasks.pick.outputs.text}

        """

    @Test func aGroupOutputNamesOneTaskOutputPerBranchInOrder() throws {
        let (lowered, diagnostics) = lower(Self.branches)
        #expect(diagnostics.isEmpty)
        let ir = try #require(lowered)
        let wrapper = try #require(ir.groups.ids.first { if case .branches = ir.groups[$0].kind { true } else { false } })
        guard case .branches(let outputs) = ir.groups[wrapper].kind else { return }
        #expect(outputs.map(\.name) == ["text"])
        #expect(outputs[0].branches.map(\.source) == [.taskOutput(task: "large", output: "text"), .taskOutput(task: "small", output: "text")])
        let say = try #require(ir.tasks.first { $0.name == "say" })
        #expect(say.channels.map(\.source) == [.oneOf(group: wrapper, output: "text")])
        #expect(ir.outputs.map(\.name) == ["chosen"])
        #expect(ir.outputs.first?.channel.source == .oneOf(group: wrapper, output: "text"))
    }

    @Test func aPipelineFileIsAComponentWithItsParamsAsInputsAndItsOutputsAsOutputs() throws {
        let (lowered, diagnostics) = lower("""
            name: outer
            components:
              branches: {pipeline: sub/branches.yaml}
              echo:
                container: {image: alpine, command: [echo, "${inputs.text}"]}
                inputs: {text: string}
            tasks:
              inner: {uses: branches, with: {big: true}}
              after-inner:
                uses: echo
                with: {text: "${tasks.inner.outputs.chosen}"}
            """, files: ["sub/branches.yaml": Self.branches])
        #expect(diagnostics.isEmpty)
        let ir = try #require(lowered)
        let component = try #require(ir.components.first { $0.name == "branches" })
        #expect(component.inputs.map(\.name) == ["big"] && component.inputs[0].isRequired == false)
        #expect(component.outputs.map(\.name) == ["chosen"] && component.outputs[0].type == .parameter(.string))
        guard case .pipeline(let inner) = component.executor else {
            Issue.record("the component is not a pipeline")
            return
        }
        #expect(inner.name == "branches" && inner.tasks.map(\.name) == ["large", "small", "say"])
    }

    @Test func aPipelineUsingItselfIsACycle() {
        let (lowered, diagnostics) = lower("""
            name: a
            components:
              b: {pipeline: b.yaml}
            tasks:
              run-b: {uses: b}
            """, files: ["b.yaml": "name: b\ncomponents:\n  a: {pipeline: p.yaml}\ntasks:\n  run-a: {uses: a}\n", "p.yaml": "unused"])
        #expect(lowered == nil)
        #expect(diagnostics.contains { $0.contains("b.yaml:3:17: error: component 'a' makes a cycle of pipelines: p.yaml → b.yaml → p.yaml") })
    }

    @Test func anExitTaskDependsOnNothingButItsGroup() {
        let (_, diagnostics) = lower("""
            name: exit
            components:
              run: {container: {image: alpine, command: [run]}}
              notify:
                container: {image: alpine, command: [notify, "${inputs.status}"]}
                inputs: {status: task_final_status}
            tasks:
              guarded:
                do:
                  train: {uses: run}
                on_exit:
                  report: {uses: notify, after: train}
            """)
        #expect(diagnostics == ["p.yaml:12:37: error: exit task 'report' runs once the tasks it guards have finished, however they ended; it cannot also wait for or read 'train'"])
    }

    /// kfp allows `after` a loop's task from outside the loop: the task waits for every
    /// iteration. Reading its output needs `.collected`.
    @Test func afterALoopTaskWaitsForTheLoop() throws {
        let (lowered, diagnostics) = lower("""
            name: after-loop
            \(echoComponent)tasks:
              each:
                for_each: [a, b]
                do:
                  greet: {uses: echo, with: {text: "${item}"}}
              done: {uses: echo, after: greet, with: {text: done}}
            """)
        #expect(diagnostics.isEmpty)
        #expect(try #require(lowered).tasks.first { $0.name == "done" }?.after == ["greet"])
    }
}
