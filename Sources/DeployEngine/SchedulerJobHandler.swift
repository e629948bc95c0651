import JSON
import YAML

/// Cloud Scheduler jobs, patched in place with an update mask and paused or resumed with
/// `:pause` / `:resume`; never recreated, so the job's history survives.
struct SchedulerJobHandler: ResourceKindHandler {
    let jobs: any ResourceCollection
    var kind: ResourceKind { .schedulerJob }

    /// The fields pipespec sets; the API adds others (state, status, times).
    static let managedFields = ["description", "schedule", "timeZone", "httpTarget", "retryConfig", "attemptDeadline"]

    func read(_ scope: ResourceScope, owner: String) throws(CloudError) -> (owned: [LiveResource], foreign: Set<String>) {
        var owned: [LiveResource] = []
        var foreign: Set<String> = []
        for job in try jobs.list(parent: scope.path) {
            guard let name = job["name"]?.stringValue else { continue }
            guard let address = Ownership.address(inDescription: job["description"]?.stringValue ?? "", owner: owner) else {
                foreign.insert(name)
                continue
            }
            owned.append(LiveResource(
                address: address, kind: kind, scope: scope, name: name,
                version: job["userUpdateTime"]?.stringValue ?? "", body: job, paused: job["state"]?.stringValue == "PAUSED"
            ))
        }
        return (owned, foreign)
    }

    func change(from live: LiveResource?, to desired: DesiredResource?, now: String) -> PlannedChange {
        guard let desired else { return PlannedChange(.delete, kind: kind, live: live, desired: nil) }
        guard let live else {
            var view = desired.body
            view["httpTarget"] = Self.reviewable(desired.body["httpTarget"], field: "httpTarget", desired: desired.body["httpTarget"])
            return .creation(kind: kind, desired: desired, view: view, paths: ["schedule", "timeZone", "httpTarget.uri", "httpTarget.body.runtimeConfig.parameterValues"])
        }
        var fields: [FieldChange] = []
        var mask: [String] = []
        for field in Self.managedFields {
            let old = Self.reviewable(live.body[field], field: field, desired: desired.body[field])
            let new = Self.reviewable(desired.body[field], field: field, desired: desired.body[field])
            let changes = FieldComparison.changes(old, new, path: field)
            if !changes.isEmpty {
                fields += changes
                mask.append(field)
            }
        }
        let pauseChanges = live.paused != desired.paused
        if pauseChanges { fields.append(FieldChange(path: "state", old: .string(live.paused ? "PAUSED" : "ENABLED"), new: .string(desired.paused ? "PAUSED" : "ENABLED"))) }
        guard !fields.isEmpty else { return PlannedChange(.none, kind: kind, live: live, desired: desired) }
        var change = PlannedChange(.update, kind: kind, live: live, desired: desired)
        change.fields = fields
        change.updateMask = mask
        change.pauseChanges = pauseChanges
        return change
    }

    /// A field as a reviewer compares it: the HTTP body decoded from base64 into the
    /// PipelineJob it is, and headers the API adds on its own (User-Agent) left out.
    static func reviewable(_ value: JSONValue?, field: String, desired: JSONValue?) -> JSONValue? {
        guard field == "httpTarget", var target = value?.objectValue else { return value }
        if let encoded = target["body"]?.stringValue, let bytes = Base64.decode(encoded) {
            target["body"] = JSONReader.value(of: bytes) ?? .string(encoded)
        }
        if var headers = target["headers"]?.objectValue, let wanted = desired?[path: "headers"]?.objectValue {
            for (key, _) in headers.members where wanted[key] == nil { headers[key] = nil }
            target["headers"] = .object(headers)
        }
        return .object(target)
    }

    func apply(_ change: PlannedChange) throws(CloudError) {
        switch change.action {
        case .create:
            guard let body = change.body else { return }
            do {
                _ = try jobs.create(parent: change.scope.path, body: body)
            } catch where error.isConflict {
                // A retried create whose first attempt went through: the job is there.
            }
            if change.paused == true { try jobs.pause(name: change.name) }
        case .update, .replace:
            guard let body = change.body, let name = change.liveName else { return }
            if !change.updateMask.isEmpty { _ = try jobs.patch(name: name, body: body, updateMask: change.updateMask) }
            if change.pauseChanges { try jobs.setPaused(change.paused == true, name: name) }
        case .delete:
            guard let name = change.liveName else { return }
            try jobs.deleteIfPresent(name)
        case .none:
            break
        }
    }
}
