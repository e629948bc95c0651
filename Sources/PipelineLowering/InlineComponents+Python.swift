import Diagnostics
import PipelineConfig
import PipelineIR

// Python-function components: the function found in its file, and its interface, taken
// from the annotations when the file declares none, else checked against them.
extension InlineComponentBuilder {
    /// The function, the helpers it calls, and the component's interface; `nil` after
    /// reporting why not.
    func pythonFunction(
        _ python: PythonConfig, _ config: ComponentConfig, declared: ComponentInterface
    ) -> (PythonFunction, helpers: [PythonFunction], ComponentInterface)? {
        let path = SourcePaths.resolve(python.source.value, relativeTo: pipelineFile)
        guard let bytes = read(path, at: python.source.location) else { return nil }
        let source = PythonSource(String(decoding: bytes, as: UTF8.self))
        for problem in source.problems {
            diagnostics.error(.pythonSyntax, "\(problem.message); Python cannot load this file", at: SourceLocation(file: path, line: problem.line, column: problem.column),
                              notes: [.init("the source of component '\(config.name.value)'", at: python.source.location)])
        }
        guard source.problems.isEmpty else { return nil }
        /// The top-level function `name` of the file, reporting a name that is not one.
        func function(_ name: Located<String>) -> PythonFunction? {
            if let function = source.function(named: name.value) { return function }
            let known = source.functionNames
            let suggestion = Suggestions.suggestion(for: name.value, at: name.location, in: known)
            diagnostics.error(.unknownFunction, "'\(path)' has no top-level function '\(name.value)'\(suggestion.phrase)", at: name.location, fixIts: suggestion.fixIts)
            return nil
        }
        let helpers = python.helpers.compactMap(function)
        guard let function = function(python.function), helpers.count == python.helpers.count else { return nil }
        let note = Diagnostic.Note("'\(function.name)' is defined here", at: SourceLocation(file: path, line: function.line, column: 1))
        let annotated = PythonInterface.interface(of: function)
        guard !config.inputs.isEmpty || !config.outputs.isEmpty else {
            // Nothing declared: the annotations are the interface, as for `@dsl.component`.
            for parameter in annotated.unreadable {
                diagnostics.error(.pythonAnnotation,
                    "parameter '\(parameter)' of '\(function.name)' has no annotation KFP reads (such as int, str, Input[Dataset] or Output[Model]); annotate it, or declare the component's inputs and outputs",
                    at: python.function.location, notes: [note])
            }
            guard annotated.unreadable.isEmpty else { return nil }
            return (function, helpers, ComponentInterface(name: declared.name, inputs: annotated.inputs, outputs: annotated.outputs))
        }
        guard checkSignature(function, config, returned: Set(annotated.outputs.map(\.name)), location: python.function.location, note: note),
              checkTypes(config, annotated: annotated.inputs + annotated.outputs, function: function.name, note: note)
        else { return nil }
        return (function, helpers, declared)
    }

    /// Declared inputs and artifact outputs must be parameters of the function (or outputs
    /// its return annotation gives), and every parameter without a default must be declared,
    /// or the KFP executor fails at run time.
    private func checkSignature(_ function: PythonFunction, _ config: ComponentConfig, returned: Set<String>, location: SourceLocation, note: Diagnostic.Note) -> Bool {
        let parameterNames = Set(function.parameters.map(\.name))
        var valid = true
        let artifactOutputs = config.outputs.filter { $0.type.value.isArtifact && !returned.contains($0.name.value) }
        for declared in config.inputs + artifactOutputs where !parameterNames.contains(declared.name.value) {
            let suggestion = Suggestions.suggestion(for: declared.name.value, at: declared.name.location, in: parameterNames)
            diagnostics.error(
                .unknownFunctionParameter, "'\(declared.name.value)' is declared but '\(function.name)' has no parameter of that name\(suggestion.phrase)",
                at: declared.name.location, notes: [note], fixIts: suggestion.fixIts)
            valid = false
        }
        let declaredNames = Set((config.inputs + config.outputs).map(\.name.value))
        for parameter in function.parameters where !parameter.hasDefault && !declaredNames.contains(parameter.name) {
            diagnostics.error(.undeclaredFunctionParameter,
                "parameter '\(parameter.name)' of '\(function.name)' is not declared under 'inputs' or 'outputs'",
                at: location, notes: [note])
            valid = false
        }
        return valid
    }

    /// A declared input or output must have the type its annotation gives, where it has one.
    private func checkTypes(_ config: ComponentConfig, annotated: [IOSpec], function: String, note: Diagnostic.Note) -> Bool {
        var valid = true
        for declared in config.inputs + config.outputs {
            guard let annotation = annotated.first(where: { $0.name == declared.name.value }), annotation.type != declared.type.value else { continue }
            // An annotated `Artifact` takes any artifact, as in kfp.
            if annotation.type == .artifact("system.Artifact"), declared.type.value.isArtifact { continue }
            diagnostics.error(.pythonInterface,
                "'\(declared.name.value)' is declared \(ArgumentBinder.typeName(declared.type.value)), but '\(function)' annotates it \(ArgumentBinder.typeName(annotation.type))",
                at: declared.type.location, notes: [note])
            valid = false
        }
        return valid
    }
}

extension DiagnosticID {
    static let pythonAnnotation = DiagnosticID("python-annotation")
    static let pythonInterface = DiagnosticID("python-interface")
    static let pythonSyntax = DiagnosticID("python-syntax")
}
