import Diagnostics
import Foundation
import PipeSpecCompiler
import Testing

/// Compiles every pipeline in pipelines/ and examples/ and compares the bytes with its
/// golden file under Tests/Golden/. The conformance suite (Tests/Conformance) checks the
/// same golden files with the official protobuf schema, the kfp SDK, the Vertex AI SDK and
/// the kfp-compiled Python twins, so a golden file that passes here is known to be valid.
///
/// Run with PIPESPEC_UPDATE_GOLDEN=1 to rewrite the golden files after an intended change.
@Suite struct GoldenTests {
    static let pipelines = Repository.files(in: "pipelines", withExtension: "yaml")
        + Repository.files(in: "examples", withExtension: "yaml")

    static func goldenPath(for pipeline: String) -> String {
        "Tests/Golden/" + pipeline.dropLast(".yaml".count) + ".json"
    }

    @Test func everyPipelineHasAGoldenFile() {
        #expect(Self.pipelines.count >= 8)
        for pipeline in Self.pipelines {
            #expect(FileManager.default.fileExists(atPath: Repository.path(Self.goldenPath(for: pipeline))), "no golden file for \(pipeline)")
        }
    }

    @Test(arguments: pipelines)
    func compilesToTheGoldenBytes(pipeline: String) throws {
        let bytes = try compile(pipeline)
        let golden = Repository.path(Self.goldenPath(for: pipeline))
        if ProcessInfo.processInfo.environment["PIPESPEC_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(
                atPath: (golden as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: golden))
        }
        let expected = try Data(contentsOf: URL(fileURLWithPath: golden))
        #expect(Data(bytes) == expected, "\(pipeline) no longer compiles to \(Self.goldenPath(for: pipeline))")
    }

    @Test(arguments: pipelines)
    func compilesDeterministically(pipeline: String) throws {
        #expect(try compile(pipeline) == compile(pipeline))
    }

    private func compile(_ pipeline: String) throws -> [UInt8] {
        let diagnostics = DiagnosticEngine()
        guard case .compiled(let compiled) = Compiler().compile(path: Repository.path(pipeline), diagnostics: diagnostics) else {
            Issue.record("\(pipeline) does not compile:\n\(diagnostics.sorted.map(\.description).joined(separator: "\n"))")
            return []
        }
        #expect(!diagnostics.hasErrors)
        return compiled.specBytes()
    }
}
