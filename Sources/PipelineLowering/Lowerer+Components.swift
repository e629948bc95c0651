import Diagnostics
import PipelineConfig
import PipelineIR

// Params and components: the params as the IR holds them, the components the file defines, and the built-ins tasks use, loaded on first use.
extension Lowerer {
    func lowerParams() {
        for param in config.params {
            if param.type == .parameter(.taskFinalStatus) {
                diagnostics.error(.finalStatusInput, "param '\(param.name.value)' cannot be a task's final status; only an exit task's component input can", at: param.name.location)
                continue
            }
            params[param.name.value] = IOSpec(
                name: param.name.value, type: param.type,
                defaultValue: param.defaultValue.map(ConstantValues.json),
                isOptional: param.isOptional, description: param.description)
        }
    }

    func lowerComponents() {
        let builder = InlineComponentBuilder(pipelineFile: config.file, readFile: readFile, diagnostics: diagnostics) { [unowned self] in
            subPipeline($0, path: $1)
        }
        let customJobs = CustomJobComponents(diagnostics: diagnostics)
        for component in config.components {
            guard let built = builder.build(component),
                  let definition = component.customJob.map({ customJobs.wrap(built, $0) }) ?? built
            else {
                brokenComponents.insert(component.name.value)
                continue
            }
            componentIndex[component.name.value] = ComponentID(components.count)
            components.append(definition)
        }
    }

    /// The component `uses` names, loading a built-in on first use.
    func component(_ uses: Located<String>) -> ComponentID? {
        if let index = componentIndex[uses.value] { return index }
        if brokenComponents.contains(uses.value) { return nil }
        if uses.value.contains("/"), let builtin = BuiltinComponents.load(uses.value, diagnostics: diagnostics) {
            componentIndex[uses.value] = ComponentID(components.count)
            components.append(builtin)
            return ComponentID(components.count - 1)
        }
        let known = BuiltinComponents.names + config.components.map(\.name.value)
        let suggestion = Suggestions.suggestion(for: uses.value, at: uses.location, in: known)
        diagnostics.error(
            .unknownComponent, "unknown component '\(uses.value)'\(suggestion.phrase); define it under 'components' or use a built-in (pipespec builtins lists them)",
            at: uses.location, fixIts: suggestion.fixIts)
        return nil
    }

    /// An importer task's component, its own: the URI (and the value its metadata reads)
    /// in, the artifact out.
    func importerComponent(_ importer: ImporterConfig) -> ComponentID {
        func input(_ name: String) -> IOSpec {
            IOSpec(name: name, type: .parameter(.string), defaultValue: nil, isOptional: false, description: nil)
        }
        let readsMetadata = !(importer.metadata?.references.isEmpty ?? true)
        let executor = ImporterExecutor(
            artifactType: importer.type.value,
            constantURI: importer.uri.references.isEmpty ? (ConstantValues.json(importer.uri).stringValue) : nil,
            reimport: importer.reimport, metadata: importer.metadata.map(Self.metadata))
        components.append(ComponentDefinition(
            name: "importer", reference: "importer", inputs: [input("uri")] + (readsMetadata ? [input("metadata")] : []),
            outputs: [IOSpec(name: "artifact", type: importer.type.value, defaultValue: nil, isOptional: false, description: nil)],
            executor: .importer(executor)))
        return ComponentID(components.count - 1)
    }

    /// Metadata as the importer writes it: its one reference read through the `metadata` input.
    private static func metadata(_ value: Value) -> MetadataValue {
        switch value.content {
        case .string(let template) where !template.references.isEmpty:
            return .string(template.segments.map { segment in
                switch segment {
                case .text(let text): return .text(text)
                case .reference: return .inputValue("metadata")
                }
            })
        case .list(let items): return .list(items.map(metadata))
        case .map(let entries): return .map(entries.map { ($0.key.value, metadata($0.value)) })
        default: return .constant(ConstantValues.json(value))
        }
    }
}

extension DiagnosticID {
    static let unknownComponent = DiagnosticID("unknown-component")
}
