import Diagnostics
import EmbeddedResources
import JSON
import PipelineConfig
import PipelineIR
import PipelineLowering
import PipelineSpecEmitter
import SchemaCheck
import YAML

/// Runs the stages on one pipeline file:
/// bytes → YAML tree → schema check → config → IR → PipelineSpec JSON.
/// Every stage reports to the same `DiagnosticEngine`; a stage runs only when the ones
/// before it succeeded, except that after schema errors confined to some tasks, components
/// or params the rest is decoded and lowered too (see `SchemaRecovery`), for its errors.
public final class Compiler {
    /// pipespec's version, and the PipelineSpec schema version it writes.
    public static let version = "pipespec \(PipelineSpecEmitter.compilerVersion) (PipelineSpec \(PipelineSpecEmitter.schemaVersion))"

    public enum Outcome {
        case compiled(CompiledPipeline)
        /// The input has errors; they are in the diagnostics.
        case invalidInput
        /// The file could not be read; the reason is in the diagnostics.
        case unreadable
    }

    private let readFile: (String) throws -> [UInt8]
    /// The pipeline schema, built at the first compile.
    private lazy var schema = EmbeddedResources.compiledPipelineSchema()

    /// `readFile` reads files the pipeline refers to (Python sources, component files).
    public init(readFile: @escaping (String) throws -> [UInt8] = { try FileSystem.read($0).get() }) {
        self.readFile = readFile
    }

    /// Compiles the file at `path`, or standard input for `-`.
    public func compile(path: String, diagnostics: DiagnosticEngine) -> Outcome {
        switch FileSystem.read(path) {
        case .success(let bytes): return compile(bytes, file: path == "-" ? FileSystem.standardInputName : path, diagnostics: diagnostics)
        case .failure(let failure):
            diagnostics.error(.inputUnreadable, failure.description, at: nil)
            return .unreadable
        }
    }

    public func compile(_ bytes: [UInt8], file: String, diagnostics: DiagnosticEngine) -> Outcome {
        guard let document = YAMLReader().read(bytes, file: file, diagnostics: diagnostics) else { return .invalidInput }
        return compile(document, file: file, diagnostics: diagnostics)
    }

    /// Compiles a pipeline file already read.
    public func compile(_ document: Node, file: String, diagnostics: DiagnosticEngine) -> Outcome {
        let validator = SchemaValidator(schema: schema)
        let checked = validator.check(document, diagnostics: diagnostics)
        guard checked.isValid else {
            // The rest, checked for its own errors; nothing is emitted.
            if let violated = checked.violatedEntries, let (rest, excluded) = SchemaRecovery.prune(document, violatedEntries: violated),
               validator.validate(rest, diagnostics: DiagnosticEngine(errorLimit: 0)),
               let config = ConfigDecoder(diagnostics: diagnostics).decode(rest, file: file) {
                _ = Lowering.lower(config, readFile: readFile, decodePipeline: pipelineDecoder(diagnostics), diagnostics: diagnostics, excluding: excluded)
            }
            return .invalidInput
        }
        guard let config = ConfigDecoder(diagnostics: diagnostics).decode(document, file: file),
              let ir = Lowering.lower(config, readFile: readFile, decodePipeline: pipelineDecoder(diagnostics), diagnostics: diagnostics)
        else { return .invalidInput }
        let spec = PipelineSpecEmitter.pipelineSpec(ir)
        return .compiled(CompiledPipeline(config: config, ir: ir, spec: spec))
    }

    /// Reads, checks and decodes a pipeline file used as a component, reporting to `diagnostics`.
    private func pipelineDecoder(_ diagnostics: DiagnosticEngine) -> PipelineDecoder {
        { [self] bytes, file in
            guard let document = YAMLReader().read(bytes, file: file, diagnostics: diagnostics),
                  SchemaValidator(schema: schema).check(document, diagnostics: diagnostics).isValid
            else { return nil }
            return ConfigDecoder(diagnostics: diagnostics).decode(document, file: file)
        }
    }
}

/// A compiled pipeline: its IR and its PipelineSpec.
public struct CompiledPipeline {
    /// The decoded config lives as long as the result, so that a command-line run can end
    /// without freeing it value by value (see `CompileCommand`). The YAML tree is freed once
    /// decoded: it is the largest of the stages' outputs, and memory stays within about ten
    /// times the input.
    let config: PipelineConfig
    package let ir: PipelineIR
    public let spec: JSONValue

    /// The PipelineSpec as written to disk.
    public func specBytes() -> [UInt8] {
        JSONWriter.bytes(spec)
    }

    /// The names of the pipeline's run-time params.
    public var paramNames: [String] { ir.params.map(\.name) }

    /// A `PipelineJob` body (display name, spec, runtimeConfig) for one run, with `values`
    /// checked against the params' types; `nil` when they do not fit, with the reasons in
    /// `diagnostics`.
    public func pipelineJob(
        values: JobValues, outputDirectory: String, diagnostics: DiagnosticEngine, missing: @escaping JobValues.MissingValueReport
    ) -> JSONValue? {
        guard let parameterValues = values.resolve(against: ir.params, diagnostics: diagnostics, missing: missing) else { return nil }
        return PipelineSpecEmitter.pipelineJob(ir, spec: spec, parameterValues: parameterValues, outputDirectory: outputDirectory)
    }

    /// A Vertex AI `PipelineJob` body for one run. Values are checked against the params'
    /// types; required params must be given. Problems go to `diagnostics`.
    public func jobBytes(values: JobValues, pipelineRoot: String?, diagnostics: DiagnosticEngine) -> [UInt8]? {
        guard let outputDirectory = pipelineRoot ?? ir.pipelineRoot else {
            diagnostics.error(.pipelineRootMissing, "a job needs an output directory: pass --pipeline-root gs://BUCKET/PATH or set pipeline_root in the file", at: nil)
            return nil
        }
        guard outputDirectory.hasPrefix("gs://"), outputDirectory.count > 5 else {
            diagnostics.error(.pipelineRootInvalid, "the pipeline root must be a gs:// URI, got '\(outputDirectory)'", at: nil)
            return nil
        }
        guard let parameterValues = values.resolve(against: ir.params, diagnostics: diagnostics) else { return nil }
        let job = PipelineSpecEmitter.pipelineJob(ir, spec: spec, parameterValues: parameterValues, outputDirectory: outputDirectory)
        return JSONWriter.bytes(job)
    }
}

extension DiagnosticID {
    public static let inputUnreadable = DiagnosticID("input-unreadable")
    static let pipelineRootMissing = DiagnosticID("pipeline-root-missing")
    static let pipelineRootInvalid = DiagnosticID("pipeline-root-invalid")
}

/// What checking one pipeline file found.
public struct Validation: Sendable {
    public enum Status: Sendable {
        case valid, invalidInput, unreadable
    }

    public let file: String
    public let status: Status
    /// In source order.
    public let diagnostics: [Diagnostic]
    /// Errors past the engine's limit, counted but not kept.
    public let omittedErrors: Int
}

extension Compiler {
    /// Runs every stage on each file, on up to `parallelism` threads (by default one a
    /// processor), and returns what each found, in the order of `paths`. `engine` makes each
    /// file's diagnostic engine.
    public static func validate(_ paths: [String], parallelism: Int? = nil, engine: @escaping @Sendable () -> DiagnosticEngine) -> [Validation] {
        BoundedParallelism.map(paths, limit: parallelism ?? BoundedParallelism.processorCount) { path in
            let diagnostics = engine()
            let status: Validation.Status
            switch Compiler().compile(path: path, diagnostics: diagnostics) {
            case .compiled: status = diagnostics.hasErrors ? .invalidInput : .valid
            case .invalidInput: status = .invalidInput
            case .unreadable: status = .unreadable
            }
            return Validation(file: path, status: status, diagnostics: diagnostics.sorted, omittedErrors: diagnostics.omittedErrors)
        }
    }
}
