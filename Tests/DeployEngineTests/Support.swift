import DeployConfig
import DeployEngine
import DeployTestSupport
import Diagnostics
import Foundation
import PipeSpecCompiler

/// The repository root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// A deploy configuration for the hello-container example, with `schedules` under its
/// deployment (YAML indented for that place) and `extra` at the top level.
func helloConfig(schedules: String = "", deploymentExtra: String = "") -> String {
    """
    owner: tests
    environments:
      dev:
        project: acme-dev
        location: us-central1
        service_account: runner@acme-dev.iam.gserviceaccount.com
        pipeline_root: gs://acme-dev/root
        templates: gs://acme-dev/templates
      prod:
        project: acme-prod
        location: europe-west4
        service_account: runner@acme-prod.iam.gserviceaccount.com
        pipeline_root: gs://acme-prod/root
        templates: gs://acme-prod/templates
    deployments:
      hello:
        pipeline: \(repositoryRoot)/examples/hello-container.yaml
    \(deploymentExtra)
        schedules:
    \(schedules)
    """
}

struct DeployFixture {
    let cloud = InMemoryCloud()
    var now = "2026-12-01T10:00:00Z"

    /// Plans `yaml` against the in-memory cloud; `Issue`s come back as diagnostics.
    func plan(_ yaml: String, environments: [String]? = nil) throws -> Plan {
        let diagnostics = DiagnosticEngine()
        guard let config = DeployConfigLoader.load(Array(yaml.utf8), file: "pipespec.yaml", diagnostics: diagnostics) else {
            throw Failure(diagnostics.sorted.map(\.description).joined(separator: "\n"))
        }
        let compiler = Compiler()
        let builder = DesiredStateBuilder(config: config, now: now, diagnostics: diagnostics) { path, _ in
            if case .compiled(let pipeline) = compiler.compile(path: path, diagnostics: diagnostics) { return pipeline }
            return nil
        }
        let selected = config.environments.filter { environments?.contains($0.name) ?? true }
        guard let desired = builder.resources(in: selected) else { throw Failure(diagnostics.sorted.map(\.description).joined(separator: "\n")) }
        return try engine(owner: config.owner).plan(desired: desired, environments: selected)
    }

    func engine(owner: String = "tests") -> DeployEngine {
        DeployEngine(clients: cloud.clients, owner: owner, parallelism: 4, now: now)
    }

    @discardableResult
    func apply(_ plan: Plan, requireFresh: Bool = false) throws -> [AppliedChange] {
        try engine(owner: plan.owner).apply(plan, requireFresh: requireFresh) { _ in }
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Plan {
    /// `action address kind` for every change, for compact assertions.
    var summary: [String] { changes.map { "\($0.action.rawValue) \($0.address) \($0.kind.rawValue)" } }
}
