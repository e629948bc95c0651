import JSON

/// What `apply` will do: one change per resource, and the live state the plan was made
/// against, so that a plan applied later can be refused when that state has moved.
public struct Plan: Sendable {
    public var owner: String
    /// The environments planned, in order.
    public var environments: [String]
    public var changes: [PlannedChange]
    /// Every resource read while planning, as it was then.
    public var observed: [Observation]
    /// The scopes that were listed: a resource appearing in one of them makes the plan stale.
    public var scopes: [ResourceScope]

    public var hasChanges: Bool { changes.contains { $0.action != .none } }

    public func count(_ action: PlannedChange.Action) -> Int { changes.count { $0.action == action } }
}

/// A live resource's identity and version when the plan read it.
public struct Observation: Sendable, Hashable, Comparable {
    public var kind: ResourceKind
    public var name: String
    public var version: String

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.kind, lhs.name, lhs.version) < (rhs.kind, rhs.name, rhs.version) }
}

/// One resource's change.
public struct PlannedChange: Sendable {
    public enum Action: String, Sendable, CaseIterable {
        case create, update, replace, delete
        case none = "no-op"
    }

    public var address: ResourceAddress
    public var kind: ResourceKind
    /// Where it is created (the bucket, the parent).
    public var scope: ResourceScope
    public var action: Action
    /// The remote name (`gs://…`, the resource name, or a schedule's display name).
    public var name: String
    /// Why a resource is replaced rather than updated.
    public var reason: String?
    /// Field by field, for review.
    public var fields: [FieldChange]
    public var notes: [String]
    /// The live resource's full name, for updates, replaces and deletes.
    public var liveName: String?
    public var liveVersion: String?
    /// The body to create or patch with.
    public var body: JSONObject?
    /// Top-level fields an update patches.
    public var updateMask: [String]
    /// Whether the resource ends up paused; `nil` for templates.
    public var paused: Bool?
    /// Whether its paused state changes (for updates without other changes).
    public var pauseChanges: Bool
}

/// A field that changes: `old` is `nil` when it is added, `new` when it is removed. A
/// pipeline spec is summarized instead (`summary`: which tasks and params changed).
public struct FieldChange: Sendable, Equatable {
    public var path: String
    public var old: JSONValue?
    public var new: JSONValue?
    public var summary: String?

    public init(path: String, old: JSONValue?, new: JSONValue?, summary: String? = nil) {
        self.path = path
        self.old = old
        self.new = new
        self.summary = summary
    }
}
