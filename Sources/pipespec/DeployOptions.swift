#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import DeployConfig
import DeployEngine
import Diagnostics
import GoogleAuth
import GoogleCloud
import HTTP
import PipeSpecCompiler

/// Options every deploy command takes.
struct DeployOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The deploy configuration.", valueName: "file"))
    var config = "pipespec.yaml"

    @Option(help: ArgumentHelp("Only this environment (default: every environment).", valueName: "name"))
    var env: String?

    @Option(help: ArgumentHelp("Requests in flight at once.", valueName: "n"))
    var parallelism = 10

    func validate() throws {
        if parallelism < 1 { throw ValidationError("--parallelism must be at least 1") }
    }
}

/// What a deploy command works with: the configuration, its environments, the engine.
struct DeploySession {
    let config: DeployConfig
    let environments: [Environment]
    let diagnostics: DiagnosticEngine

    /// Reads the configuration; reports and throws the exit status when it cannot.
    static func load(_ options: DeployOptions, diagnostics: DiagnosticEngine) throws -> DeploySession {
        let bytes: [UInt8]
        switch FileSystem.read(options.config) {
        case .success(let contents): bytes = contents
        case .failure(let failure):
            diagnostics.error(.inputUnreadable, "\(failure.description) (pass --config FILE for a configuration elsewhere)", at: nil)
            throw ExitStatus.usageOrIO
        }
        guard let config = DeployConfigLoader.load(bytes, file: options.config, diagnostics: diagnostics) else { throw ExitStatus.invalidInput }
        var environments = config.environments
        if let name = options.env {
            guard let environment = config.environment(name) else {
                diagnostics.error(.unknownEnvironment, "--env \(name): no such environment in \(options.config)\(Suggestions.didYouMean(name, in: config.environments.map(\.name)))", at: nil)
                throw ExitStatus.usageOrIO
            }
            environments = [environment]
        }
        return DeploySession(config: config, environments: environments, diagnostics: diagnostics)
    }

    func desiredStateBuilder() -> DesiredStateBuilder {
        let compiler = Compiler()
        let diagnostics = self.diagnostics
        return DesiredStateBuilder(config: config, now: UTCTime.now(), diagnostics: diagnostics) { path, location in
            switch FileSystem.read(path) {
            case .success(let bytes):
                if case .compiled(let pipeline) = compiler.compile(bytes, file: path, diagnostics: diagnostics) { return pipeline }
            case .failure(let failure):
                diagnostics.error(.inputUnreadable, "pipeline: \(failure.description)", at: location)
            }
            return nil
        }
    }

    static func engine(owner: String, parallelism: Int) throws -> DeployEngine {
        let connection = try GoogleConnection.make()
        return DeployEngine(clients: connection.clients, owner: owner, parallelism: parallelism, now: UTCTime.now())
    }
}

/// HTTP, credentials and endpoints, from the process environment.
struct GoogleConnection {
    let transport: any HTTPTransport
    let credentials: any AccessTokenProvider
    let endpoints: Endpoints

    var clients: CloudClients { GoogleCloud.clients(transport: transport, credentials: credentials, endpoints: endpoints) }

    static func make() throws -> GoogleConnection {
        let environment = ProcessEnvironment.variables()
        let transport = RetryingTransport(CurlTransport())
        // Off Google Cloud nothing answers at the metadata address: give up quickly.
        let metadataTransport = RetryingTransport(CurlTransport(connectTimeoutSeconds: 2, timeoutSeconds: 5), policy: RetryPolicy(maximumAttempts: 2))
        do {
            let credentials = try ApplicationDefaultCredentials.provider(
                environment: environment,
                readFile: { try? FileSystem.read($0).get() },
                transport: transport,
                metadataTransport: metadataTransport
            )
            return GoogleConnection(transport: transport, credentials: credentials, endpoints: Endpoints(environment: environment))
        } catch {
            FileSystem.writeToStandardError("pipespec: error: \(error)\n")
            throw ExitStatus.invalidInput
        }
    }
}

enum ProcessEnvironment {
    static func variables() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }
}

enum UTCTime {
    /// Now as RFC 3339 in UTC, to the second: `2027-01-04T09:00:00Z`.
    static func now() -> String {
        var seconds = time(nil)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
