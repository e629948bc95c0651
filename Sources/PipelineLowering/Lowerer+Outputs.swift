import Diagnostics
import PipelineConfig
import PipelineIR

// What groups and the pipeline give back: the outputs of an if/elif/else (kfp's dsl.OneOf),
// and the pipeline's own outputs.
extension Lowerer {
    /// Resolves the outputs of every if/elif/else, before tasks bind their arguments (they
    /// may read them). On an error the group keeps the outputs that resolved.
    func resolveOneOfs() {
        for wrapper in pendingOneOfs.keys.sorted() {
            let (group, branches) = pendingOneOfs[wrapper]!
            var resolved: [OneOfIR] = []
            for output in group.outputs {
                if let oneOf = resolveOneOf(output, of: group, branches: branches) { resolved.append(oneOf) }
            }
            groups[wrapper].kind = .branches(resolved)
        }
    }

    private func resolveOneOf(_ output: OutputConfig, of group: ConditionGroupConfig, branches: [GroupID]) -> OneOfIR? {
        let name = output.name.value
        guard output.values.count == branches.count else {
            diagnostics.error(.oneOf,
                "output '\(name)' of '\(group.name.value)' needs one value for each of its \(branches.count) branches, in order (if, \(branches.count > 2 ? "elif, " : "")else); it has \(output.values.count)",
                at: output.name.location)
            return nil
        }
        var channels: [Channel] = []
        for (position, (value, branch)) in zip(output.values, branches).enumerated() {
            let branchName = Self.branchName(position, of: branches.count)
            guard case .string(let template) = value.content, let whole = template.wholeReference,
                  case .taskOutput(let task, _) = whole.reference
            else {
                diagnostics.error(.oneOf, "each value of a group's output is the output of a task in that branch, such as ${tasks.TASK.outputs.NAME}", at: value.location)
                return nil
            }
            guard case .channel(let channel)? = resolve(whole.reference, at: whole.location, from: .group(branch)) else { return nil }
            guard let producer = taskIndex[task], tasks[producer].group == branch else {
                diagnostics.error(.oneOf, "value \(position + 1) of output '\(name)' must come from a task directly in the \(branchName) branch of '\(group.name.value)'; '\(task)' is not", at: whole.location)
                return nil
            }
            if let first = channels.first, first.type != channel.type {
                diagnostics.error(.oneOf,
                    "output '\(name)' of '\(group.name.value)' is \(ArgumentBinder.typeName(first.type)) in the if branch but \(ArgumentBinder.typeName(channel.type)) in the \(branchName) branch; every branch must give the same type",
                    at: whole.location)
                return nil
            }
            channels.append(channel)
        }
        return OneOfIR(name: name, type: channels[0].type, branches: channels)
    }

    /// "if", "elif 2", "else": a branch as the file writes it.
    private static func branchName(_ position: Int, of count: Int) -> String {
        position == 0 ? "if" : position == count - 1 ? "else" : "elif \(position)"
    }

    /// Output `name` of the if/elif/else whose wrapper is `wrapper`, for a reader beside it.
    func oneOfOutput(_ name: String, of wrapper: GroupID, named groupName: String, at location: SourceLocation, from reader: Reader) -> ResolvedReference? {
        if let readerGroup = group(of: reader), groups.chain(to: readerGroup).contains(wrapper) {
            diagnostics.error(.readsOwnOutput, "'\(groupName)' gives its outputs to what comes after it; nothing inside it can read them", at: location)
            return nil
        }
        guard case .branches(let outputs) = groups[wrapper].kind, let output = outputs.first(where: { $0.name == name }) else {
            let declared = pendingOneOfs[wrapper]?.group.outputs.map(\.name.value) ?? []
            // A declared output that failed to resolve was reported.
            if declared.contains(name) { return nil }
            diagnostics.error(.unknownOutput,
                "group '\(groupName)' has no output '\(name)'\(Suggestions.didYouMean(name, in: declared)); its outputs are \(declared.joined(separator: ", "))",
                at: location)
            return nil
        }
        return .channel(Channel(source: .oneOf(group: wrapper, output: name), type: output.type))
    }

    /// The pipeline's outputs: each a task output at the top level, an output of a
    /// top-level if/elif/else, or the collected outputs of a top-level loop.
    func resolvePipelineOutputs() -> [PipelineOutputIR] {
        config.outputs.compactMap { output in
            guard let value = output.values.first, case .string(let template) = value.content, let whole = template.wholeReference else { return nil }
            guard let resolved = resolve(whole.reference, at: whole.location, from: .pipelineOutputs) else { return nil }
            guard case .channel(let channel) = resolved, channel.source.isOutput else {
                diagnostics.error(.pipelineOutput, "a pipeline output is a task's output, such as ${tasks.TASK.outputs.NAME}; '${\(whole.reference.spelling)}' is not", at: whole.location)
                return nil
            }
            let producerGroup: GroupID
            switch channel.source {
            case .taskOutput(let task, _): producerGroup = taskIndex[task].map { tasks[$0].group } ?? .root
            case .oneOf(let wrapper, _): producerGroup = groups[wrapper].parent ?? .root
            default: producerGroup = .root  // a collected output is read beside its loop: checked
            }
            guard producerGroup == .root else {
                diagnostics.error(.pipelineOutput,
                    "pipeline outputs come from the top level, and '${\(whole.reference.spelling)}' is inside a group; give the group outputs (an if/elif/else) or collect a loop's outputs with .collected",
                    at: whole.location)
                return nil
            }
            return PipelineOutputIR(name: output.name.value, channel: channel)
        }
    }
}

extension Channel.Source {
    /// Whether the channel carries what tasks produced, not a param or an item.
    var isOutput: Bool {
        switch self {
        case .taskOutput, .collected, .oneOf: return true
        case .param, .loopItem: return false
        }
    }
}

extension DiagnosticID {
    static let oneOf = DiagnosticID("one-of")
    static let pipelineOutput = DiagnosticID("pipeline-output")
}
