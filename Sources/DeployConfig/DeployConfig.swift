import Diagnostics
import YAML

/// `pipespec.yaml`, decoded: where pipelines are deployed and when they run. Values keep the
/// YAML nodes they came from, so later checks (param types) can point at them.
public struct DeployConfig: Sendable {
    public var file: String
    /// What marks the resources this file creates (`owner`, default "pipespec").
    public var owner: String
    public var environments: [Environment]
    public var deployments: [Deployment]

    public func environment(_ name: String) -> Environment? { environments.first { $0.name == name } }
    public func deployment(_ name: String) -> Deployment? { deployments.first { $0.name == name } }
}

/// One Google Cloud project and region that deployments go to.
public struct Environment: Sendable {
    public var name: String
    public var location: SourceLocation
    public var project: String
    public var region: String
    public var serviceAccount: String
    public var schedulerServiceAccount: String
    public var pipelineRoot: String
    public var templates: StoragePrefix
    public var network: String?
    public var labels: [Label]
    public var params: [ParamValue]

    /// `projects/PROJECT/locations/LOCATION`: the parent of its jobs, schedules and runs.
    public var parent: String { "projects/\(project)/locations/\(region)" }
}

/// `gs://bucket/prefix`: where template objects go.
public struct StoragePrefix: Sendable, Hashable {
    public var bucket: String
    /// The object name prefix without a trailing `/`; empty for the bucket's root.
    public var prefix: String

    public init?(_ uri: String) {
        guard uri.hasPrefix("gs://") else { return nil }
        let path = uri.dropFirst(5)
        let slash = path.firstIndex(of: "/")
        bucket = String(path[..<(slash ?? path.endIndex)])
        var rest = slash.map { path[path.index(after: $0)...] } ?? ""
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        prefix = String(rest)
        if bucket.isEmpty { return nil }
    }

    /// `bucket/prefix`, as the engine keys a listing.
    public var path: String { "\(bucket)/\(prefix)" }

    /// The object name for `file` under the prefix.
    public func objectName(_ file: String) -> String { prefix.isEmpty ? file : "\(prefix)/\(file)" }
}

public struct Label: Sendable, Equatable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A run parameter's value as written, checked later against the pipeline's param types.
public struct ParamValue: Sendable {
    public var name: String
    public var keyLocation: SourceLocation
    public var value: Node
}

/// A pipeline with its parameter values and schedules.
public struct Deployment: Sendable {
    public var name: String
    public var location: SourceLocation
    /// The pipeline file, relative to the working directory.
    public var pipeline: String
    public var pipelineLocation: SourceLocation
    public var displayName: String?
    public var params: [ParamValue]
    public var labels: [Label]
    /// Values for one environment, by environment name.
    public var overrides: [String: Override]
    public var schedules: [Schedule]

    public struct Override: Sendable {
        public var params: [ParamValue]
        public var labels: [Label]
    }
}

/// When runs start, and what starts them.
public struct Schedule: Sendable {
    public enum Target: Sendable, Equatable {
        /// A Vertex AI Schedule.
        case vertexSchedule
        /// A Cloud Scheduler job calling Vertex AI `pipelineJobs.create` with an OAuth token.
        case cloudScheduler
        /// A Cloud Scheduler job calling the team's own endpoint with an OIDC token.
        case url(String, audience: String)

        public var name: String {
            switch self {
            case .vertexSchedule: return "vertex-schedule"
            case .cloudScheduler: return "cloud-scheduler"
            case .url: return "url"
            }
        }

        public var usesCloudScheduler: Bool { self != .vertexSchedule }
    }

    /// Cloud Scheduler's retry settings; durations in seconds.
    public struct Retry: Sendable, Equatable {
        public var count: Int?
        public var maxDuration: Int?
        public var minBackoff: Int?
        public var maxBackoff: Int?
        public var maxDoublings: Int?

        public init(count: Int? = nil, maxDuration: Int? = nil, minBackoff: Int? = nil, maxBackoff: Int? = nil, maxDoublings: Int? = nil) {
            self.count = count
            self.maxDuration = maxDuration
            self.minBackoff = minBackoff
            self.maxBackoff = maxBackoff
            self.maxDoublings = maxDoublings
        }
    }

    public var name: String
    public var location: SourceLocation
    public var cron: String
    public var timeZone: String
    public var target: Target
    /// `nil`: every environment.
    public var environments: [String]?
    public var description: String?
    public var paused: Bool
    public var startTime: String?
    public var endTime: String?
    public var maxRuns: Int?
    public var maxConcurrentRuns: Int
    public var allowQueueing: Bool?
    public var retry: Retry?
    public var attemptDeadline: Int?
    public var caching: Bool?
    public var labels: [Label]
    public var params: [ParamValue]

    public func applies(to environment: String) -> Bool { environments?.contains(environment) ?? true }
}
