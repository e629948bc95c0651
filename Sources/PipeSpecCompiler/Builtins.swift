import Diagnostics
import JSON
import PipelineConfig
import PipelineIR
import PipelineLowering
import PipelineSpecEmitter

/// A built-in component's interface, as `pipespec builtins NAME` shows it.
public struct BuiltinInterface: Sendable {
    /// One input or output.
    public struct Port: Sendable {
        public let name: String
        /// As the file writes types: `string`, `int`, `Dataset`, `google.VertexDataset`, `list[Model]`.
        public let type: String
        /// The default as compact JSON, if it has one.
        public let defaultValue: String?
        /// Whether a task may leave it out.
        public let isOptional: Bool
        public let description: String?
    }

    public let name: String
    public let inputs: [Port]
    public let outputs: [Port]
}

/// The components `uses` can name without defining them.
public enum Builtins {
    /// Their names, sorted.
    public static var names: [String] { BuiltinComponents.names }

    /// The interface of the built-in `name`, or `nil` when there is none of that name.
    public static func interface(_ name: String) -> BuiltinInterface? {
        guard let component = BuiltinComponents.load(name, diagnostics: DiagnosticEngine()) else { return nil }
        func port(_ spec: IOSpec, isInput: Bool) -> BuiltinInterface.Port {
            BuiltinInterface.Port(
                name: spec.name, type: typeName(spec.type),
                defaultValue: spec.defaultValue.map(written),
                isOptional: isInput && !spec.isRequired, description: spec.description)
        }
        return BuiltinInterface(
            name: name, inputs: component.inputs.map { port($0, isInput: true) }, outputs: component.outputs.map { port($0, isInput: false) })
    }

    /// A default as compact JSON, with run-time values as pipeline files write them
    /// (`${pipeline.project}`, not KFP's placeholder).
    private static func written(_ value: JSONValue) -> String {
        RuntimeValue.allCases.reduce(String(decoding: JSONWriter.compactBytes(value), as: UTF8.self)) { text, runtime in
            text.replacing(runtime.placeholder, with: "${\(runtime.rawValue)}")
        }
    }

    /// A type as pipeline files write it: KFP's own artifact types without `system.`.
    private static func typeName(_ type: IOType) -> String {
        func artifact(_ title: String) -> String { title.hasPrefix("system.") ? String(title.dropFirst("system.".count)) : title }
        switch type {
        case .parameter(let parameter): return parameter.rawValue
        case .artifact(let title): return artifact(title)
        case .artifactList(let title): return "list[\(artifact(title))]"
        }
    }
}
