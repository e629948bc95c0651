import ArgumentParser
import DeployEngine
import Diagnostics
import GoogleCloud
import JSON

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start one run of a deployment now.",
        discussion: "Submits a PipelineJob (Vertex AI pipelineJobs.create) with the deployment's values for the environment, and prints the run's name and console URL."
    )

    @Argument(help: "The deployment to run.")
    var deployment: String

    @OptionGroup var options: DeployOptions

    @OptionGroup(title: "Diagnostics") var reporting: DiagnosticOptions

    @Option(name: .customLong("param"), help: ArgumentHelp("A parameter value for this run.", valueName: "name=value"))
    var params: [String] = []

    func validate() throws {
        if options.env == nil { throw ValidationError("run needs --env NAME") }
        if let bad = params.first(where: { !$0.contains("=") }) { throw ValidationError("--param takes NAME=VALUE, got '\(bad)'") }
    }

    func run() throws {
        let reporter = reporting.reporter
        let diagnostics = reporter.engine()
        defer { reporter.report(diagnostics) }
        let session = try DeploySession.load(options, diagnostics: diagnostics)
        guard let deployment = session.config.deployment(deployment) else {
            diagnostics.error(.unknownDeployment, "no deployment '\(self.deployment)' in \(options.config)\(Suggestions.didYouMean(self.deployment, in: session.config.deployments.map(\.name)))", at: nil)
            throw ExitStatus.usageOrIO
        }
        let environment = session.environments[0]
        let builder = session.desiredStateBuilder()
        guard let pipeline = builder.compiled(deployment),
              let job = builder.pipelineJob(deployment, pipeline, in: environment, extra: params)
        else { throw ExitStatus.invalidInput }
        let connection = try GoogleConnection.make()
        let created: JSONObject
        do {
            created = try GoogleCloud.pipelineJobs(transport: connection.transport, credentials: connection.credentials, endpoints: connection.endpoints)
                .submit(parent: environment.parent, job: job)
        } catch {
            diagnostics.error(.cloudRequestFailed, error.description, at: nil)
            throw ExitStatus.invalidInput
        }
        let name = created["name"]?.stringValue ?? "(no name returned)"
        let id = name.split(separator: "/").last.map(String.init) ?? name
        print("Started \(name)")
        print("https://console.cloud.google.com/vertex-ai/locations/\(environment.region)/pipelines/runs/\(id)?project=\(environment.project)")
    }
}

extension DiagnosticID {
    static let unknownDeployment = DiagnosticID("unknown-deployment")
}
