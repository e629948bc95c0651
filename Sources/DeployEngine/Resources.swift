import JSON

/// The kinds of remote resource pipespec manages. Each has its own `ResourceKindHandler`.
public enum ResourceKind: String, Sendable, CaseIterable, Comparable {
    /// A compiled template: an object in Cloud Storage.
    case templateObject = "gcs-object"
    /// A Cloud Scheduler job calling Vertex AI (or the team's URL).
    case schedulerJob = "cloud-scheduler-job"
    /// A Vertex AI Schedule.
    case vertexSchedule = "vertex-schedule"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// Where a resource stands in the configuration: `dev/churn-training/template` or
/// `dev/churn-training/schedule/weekly`.
public struct ResourceAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var environment: String
    public var deployment: String
    /// `nil` for the deployment's template.
    public var schedule: String?

    public init(environment: String, deployment: String, schedule: String? = nil) {
        self.environment = environment
        self.deployment = deployment
        self.schedule = schedule
    }

    public var description: String {
        "\(environment)/\(deployment)/" + (schedule.map { "schedule/\($0)" } ?? "template")
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "/").map(String.init)
        switch parts.count {
        case 3 where parts[2] == "template": self.init(environment: parts[0], deployment: parts[1])
        case 4 where parts[2] == "schedule": self.init(environment: parts[0], deployment: parts[1], schedule: parts[3])
        default: return nil
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.environment, lhs.deployment, lhs.schedule ?? "") < (rhs.environment, rhs.deployment, rhs.schedule ?? "")
    }
}

/// Where a kind's resources are listed: a bucket and prefix, or a project and region.
public struct ResourceScope: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var kind: ResourceKind
    /// `bucket/prefix` for templates; `projects/P/locations/L` for jobs and schedules.
    public var path: String

    public init(kind: ResourceKind, path: String) {
        self.kind = kind
        self.path = path
    }

    public var description: String { "\(kind.rawValue) \(path)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.kind, lhs.path) < (rhs.kind, rhs.path) }
}

/// What pipespec wants a resource to be, computed from the configuration alone.
public struct DesiredResource: Sendable {
    public var address: ResourceAddress
    public var kind: ResourceKind
    public var scope: ResourceScope
    /// How the resource is named remotely: `gs://bucket/object`, the job's resource name, or
    /// the schedule's display name (Vertex AI assigns schedule IDs).
    public var name: String
    public var body: JSONObject
    public var paused: Bool
    /// Things a reviewer should know (a start time in the past that was dropped, …).
    public var notes: [String]
}

/// A resource as read from Google Cloud, owned by this configuration.
public struct LiveResource: Sendable {
    public var address: ResourceAddress
    public var kind: ResourceKind
    public var scope: ResourceScope
    /// The resource's full name (for templates `gs://bucket/object`).
    public var name: String
    /// What changes whenever the resource does: a GCS generation, an update time.
    public var version: String
    public var body: JSONObject
    public var paused: Bool
}
