import JSON

/// Vertex AI Schedules. The API patches a schedule with an update mask but cannot clear a
/// field once set: removing one (say `end_time`) replaces the schedule, creating the new one
/// before deleting the old so that no scheduled time is left uncovered.
struct VertexScheduleHandler: ResourceKindHandler {
    let schedules: any ResourceCollection
    var kind: ResourceKind { .vertexSchedule }

    static let managedFields = [
        "displayName", "cron", "createPipelineJobRequest", "maxConcurrentRunCount", "allowQueueing", "maxRunCount", "startTime", "endTime",
    ]

    func read(_ scope: ResourceScope, owner: String) throws(CloudError) -> (owned: [LiveResource], foreign: Set<String>) {
        var owned: [LiveResource] = []
        for schedule in try schedules.list(parent: scope.path) {
            guard let name = schedule["name"]?.stringValue else { continue }
            let labels = Ownership.labels(schedule[path: "createPipelineJobRequest.pipelineJob.labels"]?.objectValue)
            guard let address = Ownership.address(in: labels, owner: owner) else { continue }
            owned.append(LiveResource(
                address: address, kind: kind, scope: scope, name: name, version: schedule["updateTime"]?.stringValue ?? "",
                body: schedule, paused: schedule["state"]?.stringValue == "PAUSED"
            ))
        }
        // Vertex AI names schedules itself: no desired name can collide with another's.
        return (owned, [])
    }

    func change(from live: LiveResource?, to desired: DesiredResource?, now: String) -> PlannedChange {
        guard let desired else { return PlannedChange(.delete, kind: kind, live: live, desired: nil) }
        guard let live else {
            return .creation(
                kind: kind, desired: desired, view: desired.body,
                paths: ["cron", "maxConcurrentRunCount", "createPipelineJobRequest.pipelineJob.runtimeConfig.parameterValues"]
            )
        }
        var fields: [FieldChange] = []
        var mask: [String] = []
        var cleared: [String] = []
        let liveBody = Self.withParentAsWritten(live.body, desired: desired.body)
        for field in Self.managedFields {
            let old = liveBody[field], new = desired.body[field]
            if field == "startTime", new == nil, let start = old?.stringValue, start <= now { continue }  // already begun: moot
            let changes = FieldComparison.changes(old, new, path: field)
            guard !changes.isEmpty else { continue }
            fields += changes
            if new == nil { cleared.append(field) } else { mask.append(field) }
        }
        let pauseChanges = live.paused != desired.paused
        if pauseChanges { fields.append(FieldChange(path: "state", old: .string(live.paused ? "PAUSED" : "ACTIVE"), new: .string(desired.paused ? "PAUSED" : "ACTIVE"))) }
        guard !fields.isEmpty else { return PlannedChange(.none, kind: kind, live: live, desired: desired) }
        var change = PlannedChange(cleared.isEmpty ? .update : .replace, kind: kind, live: live, desired: desired)
        change.fields = fields
        change.updateMask = mask
        change.pauseChanges = pauseChanges
        if !cleared.isEmpty {
            change.reason = "Vertex AI cannot clear \(cleared.joined(separator: ", ")) on a schedule"
        } else if !mask.isEmpty {
            change.notes.append("Vertex AI skips runs of this schedule that are due but not yet started when it is updated")
        }
        return change
    }

    /// Vertex AI names projects by number in what it returns (`projects/123456/…`), where the
    /// configuration names them by ID: a parent in the same location is the one written.
    static func withParentAsWritten(_ live: JSONObject, desired: JSONObject) -> JSONObject {
        guard case .object(var request)? = live["createPipelineJobRequest"],
              let liveParent = request["parent"]?.stringValue,
              let wanted = desired[path: "createPipelineJobRequest.parent"]?.stringValue,
              liveParent.split(separator: "/").dropFirst(2) == wanted.split(separator: "/").dropFirst(2)
        else { return live }
        var copy = live
        request["parent"] = .string(wanted)
        copy["createPipelineJobRequest"] = .object(request)
        return copy
    }

    func apply(_ change: PlannedChange) throws(CloudError) {
        switch change.action {
        case .create, .replace:
            guard let body = change.body else { return }
            let created = try schedules.create(parent: change.scope.path, body: body)
            if change.paused == true, let name = created["name"]?.stringValue { try schedules.pause(name: name) }
            if change.action == .replace, let old = change.liveName {
                try schedules.deleteIfPresent(old)
            }
        case .update:
            guard let body = change.body, let name = change.liveName else { return }
            if !change.updateMask.isEmpty {
                var patch = JSONObject()
                for field in change.updateMask { patch[field] = body[field] }
                _ = try schedules.patch(name: name, body: patch, updateMask: change.updateMask)
            }
            if change.pauseChanges { try schedules.setPaused(change.paused == true, name: name) }
        case .delete:
            guard let name = change.liveName else { return }
            try schedules.deleteIfPresent(name)
        case .none:
            break
        }
    }
}
