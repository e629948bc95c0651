import Diagnostics
import PipelineConfig
import PipelineIR

/// Lowers a decoded pipeline to the IR: resolves components, params, task references and
/// conditions; builds the groups that conditions create, in the order they are written;
/// checks types, required inputs, dependencies across groups and cycles.
package enum Lowering {
    /// `readFile` reads the files a pipeline points at (Python sources, component files,
    /// sub-pipelines), by path relative to the working directory; its errors describe why a
    /// file cannot be read. `decodePipeline` decodes a sub-pipeline's file, reporting its
    /// errors. `excluded` names entries left out of `config` for errors already reported.
    package static func lower(
        _ config: PipelineConfig, readFile: @escaping (String) throws -> [UInt8],
        decodePipeline: @escaping PipelineDecoder, diagnostics: DiagnosticEngine,
        excluding excluded: ExcludedEntries = ExcludedEntries()
    ) -> PipelineIR? {
        Lowerer(config: config, readFile: readFile, decodePipeline: decodePipeline, diagnostics: diagnostics, excluded: excluded).lower()
    }
}

/// Decodes the pipeline file at a path (its bytes given), reporting its errors; `nil` when
/// it has any.
package typealias PipelineDecoder = (_ bytes: [UInt8], _ file: String) -> PipelineConfig?

final class Lowerer {
    let config: PipelineConfig
    let readFile: (String) throws -> [UInt8]
    let decodePipeline: PipelineDecoder
    let diagnostics: DiagnosticEngine
    let excluded: ExcludedEntries
    /// The pipeline files that use this one as a component, outermost first.
    let usedBy: [String]

    var params: [String: IOSpec] = [:]
    var components: [ComponentDefinition] = []
    var componentIndex: [String: ComponentID] = [:]
    /// Components that failed to build; tasks using them are not reported again.
    var brokenComponents: Set<String> = []
    var tasks: [TaskIR] = []
    /// What each task was lowered from, by task.
    var taskConfigs: [TaskID: TaskConfig] = [:]
    var taskIndex: [String: TaskID] = [:]
    var groups: [GroupIR] = [GroupIR(displayName: nil, kind: .root, parent: nil, members: [])]
    /// Conditions of each condition group, resolved once all tasks are known.
    var pendingConditions: [GroupID: [(condition: Condition, isNegated: Bool)]] = [:]
    /// Loops by group, their items resolved once all tasks are known.
    var pendingLoops: [GroupID: LoopConfig] = [:]
    /// Tasks and if/elif/else groups share one namespace.
    var entryLocations: [String: SourceLocation] = [:]
    /// Names of if/elif/else groups.
    var groupNames: Set<String> = []
    var taskDependencies: [TaskID: [Dependency]] = [:]
    /// Tasks whose component could not be found or built; they are not lowered.
    var tasksWithoutComponent: [TaskConfig] = []
    /// The arguments each task was bound from, for the Google Cloud checks.
    var taskArguments: [TaskID: [Argument]] = [:]
    var conditionDependencies: [GroupID: [Dependency]] = [:]
    /// `defaults.resources`, resolved once for every task that sets none.
    lazy var defaultResources: ResourceRequests? = config.defaults.resources.flatMap { resources($0, of: nil) }
    /// If/elif/else groups with outputs, by wrapper: the group and its branch groups in order.
    var pendingOneOfs: [GroupID: (group: ConditionGroupConfig, branches: [GroupID])] = [:]
    /// The wrappers of if/elif/else groups with outputs, by group name.
    var oneOfGroups: [String: GroupID] = [:]

    init(
        config: PipelineConfig, readFile: @escaping (String) throws -> [UInt8], decodePipeline: @escaping PipelineDecoder,
        diagnostics: DiagnosticEngine, excluded: ExcludedEntries, usedBy: [String] = []
    ) {
        self.config = config
        self.readFile = readFile
        self.decodePipeline = decodePipeline
        self.diagnostics = diagnostics
        self.excluded = excluded
        self.usedBy = usedBy
        // Excluded entries exist, broken: what refers to them is not reported again.
        entryLocations = excluded.tasks
        brokenComponents = excluded.components
    }

    func lower() -> PipelineIR? {
        let errorsBefore = diagnostics.errorCount
        lowerParams()
        lowerComponents()
        addEntries(config.tasks, into: .root)
        checkArgumentDefaults()
        resolveOneOfs()
        // Before binding: the item's type is what the loop's tasks read.
        for group in groups.ids { resolveLoop(of: group) }
        for task in tasks.ids {
            bindArguments(of: task)
            addAfterDependencies(of: task)
        }
        // Their other mistakes need the component; `after` does not.
        for task in tasksWithoutComponent { checkAfter(task) }
        for group in groups.ids { resolveConditions(of: group) }
        GoogleCloudChecks(
            tasks: tasks, groups: groups, components: components, arguments: taskArguments,
            customJobs: config.components.compactMap(\.customJob), diagnostics: diagnostics
        ).check()
        let outputs = resolvePipelineOutputs()
        if diagnostics.errorCount == errorsBefore {
            DependencyChecker(tasks: tasks, groups: groups, taskDependencies: taskDependencies,
                              conditionDependencies: conditionDependencies, diagnostics: diagnostics).check()
        }
        // A param may be used only by an excluded task.
        if excluded.isEmpty { warnAboutUnusedParams() }
        guard diagnostics.errorCount == errorsBefore else { return nil }
        return PipelineIR(
            name: config.name.value, displayName: config.displayName, description: config.description,
            pipelineRoot: config.pipelineRoot?.value,
            params: config.params.compactMap { params[$0.name.value] },
            components: components, tasks: tasks, groups: groups, outputs: outputs)
    }
}
