import Diagnostics
import JSON
import PipelineConfig
import PipelineIR
import YAML

/// Parameter values for one run, from `--param NAME=VALUE` and a params file. Values on the
/// command line win over the file; a later `--param` wins over an earlier one.
public struct JobValues {
    private enum Source {
        case commandLine(String)
        case file(Node, keyLocation: SourceLocation)
    }

    private var values: [(name: String, source: Source)] = []

    public init() {}

    /// Adds `NAME=VALUE`; returns `false` when there is no `=`.
    public mutating func add(assignment: String) -> Bool {
        guard let equals = assignment.firstIndex(of: "=") else { return false }
        values.append((String(assignment[..<equals]), .commandLine(String(assignment[assignment.index(after: equals)...]))))
        return true
    }

    /// Adds a value written in another YAML file (the deploy configuration); it wins over
    /// values added before it.
    public mutating func add(_ name: String, value: Node, keyLocation: SourceLocation) {
        values.append((name, .file(value, keyLocation: keyLocation)))
    }

    /// Adds the entries of a YAML mapping file of values.
    public mutating func addFile(_ bytes: [UInt8], path: String, diagnostics: DiagnosticEngine) -> Bool {
        guard let document = YAMLReader().read(bytes, file: path, diagnostics: diagnostics) else { return false }
        guard let entries = document.mapping else {
            diagnostics.error(.invalidParamsFile, "a params file is a mapping of param names to values", at: document.location)
            return false
        }
        let fromCommandLine = Set(values.map(\.name))
        values += entries.filter { !fromCommandLine.contains($0.key) }.map { ($0.key, .file($0.value, keyLocation: $0.keyLocation)) }
        return true
    }

    /// How a missing required param is reported: its message and location.
    public typealias MissingValueReport = (_ param: String) -> (message: String, location: SourceLocation?)

    static func commandLineMissingValue(_ param: String) -> (message: String, location: SourceLocation?) {
        ("missing a value for required param '\(param)' (pass --param \(param)=VALUE)", nil)
    }

    func resolve(
        against params: [IOSpec], diagnostics: DiagnosticEngine, missing: MissingValueReport = commandLineMissingValue
    ) -> [(name: String, value: JSONValue)]? {
        let errorsBefore = diagnostics.errorCount
        let declared = Dictionary(uniqueKeysWithValues: params.map { ($0.name, $0) })
        var result: [(name: String, value: JSONValue)] = []
        var given = Set<String>()
        for (name, source) in values.reversed() where given.insert(name).inserted {
            guard let param = declared[name] else {
                let location: SourceLocation? = if case .file(_, let keyLocation) = source { keyLocation } else { nil }
                diagnostics.error(.unknownJobParam, "the pipeline has no param '\(name)'\(Suggestions.didYouMean(name, in: declared.keys))", at: location)
                continue
            }
            guard case .parameter(let type) = param.type else {
                let location: SourceLocation? = if case .file(_, let keyLocation) = source { keyLocation } else { nil }
                diagnostics.error(.jobParamType, Self.artifactParamMessage(param), at: location)
                continue
            }
            if let value = convert(source, to: param.name, of: type, diagnostics: diagnostics) { result.append((name, value)) }
        }
        for param in params where param.defaultValue == nil && !param.isOptional && !given.contains(param.name) {
            if param.type.isArtifact {
                diagnostics.error(.missingParamValue, Self.artifactParamMessage(param), at: nil)
                continue
            }
            let report = missing(param.name)
            diagnostics.error(.missingParamValue, report.message, at: report.location)
        }
        return diagnostics.errorCount == errorsBefore ? result : nil
    }

    /// Runs are given parameters only; an artifact param is handed in by a pipeline using this one.
    private static func artifactParamMessage(_ param: IOSpec) -> String {
        "param '\(param.name)' is an artifact (\(param.type.artifactTitle ?? "")); a run takes parameter values only, so only a pipeline that uses this one as a component can hand it in"
    }

    private func convert(_ source: Source, to name: String, of type: ParameterType, diagnostics: DiagnosticEngine) -> JSONValue? {
        let node: Node
        switch source {
        case .commandLine(let text):
            if type == .string { return .string(text) }
            guard !text.isEmpty else {
                diagnostics.error(.jobParamType, "--param \(name)= has no value; \(name) is \(type.phrase)", at: nil)
                return nil
            }
            guard let parsed = YAMLReader().read(Array(text.utf8), file: "--param \(name)", diagnostics: diagnostics) else { return nil }
            node = parsed
        case .file(let value, _):
            node = value
        }
        let location: SourceLocation? = if case .file = source { node.location } else { nil }
        guard type.admits(ValueKind(node)) else {
            diagnostics.error(.jobParamType, "param '\(name)' is \(type.phrase), got \(node.kindDescription)", at: location)
            return nil
        }
        if let number = node.firstNumberJSONCannotHold {
            diagnostics.error(.jobParamType, "param '\(name)': \(number.scalar!.text) is not a finite number, which JSON cannot hold", at: location)
            return nil
        }
        return node.json.numbersAsDoubles
    }
}

extension DiagnosticID {
    static let invalidParamsFile = DiagnosticID("invalid-params-file")
    static let unknownJobParam = DiagnosticID("unknown-job-param")
    static let missingParamValue = DiagnosticID("missing-param-value")
    static let jobParamType = DiagnosticID("job-param-type")
}
