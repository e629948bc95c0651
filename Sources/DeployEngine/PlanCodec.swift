import Diagnostics
import JSON
import YAML

/// A plan as JSON: printed by `plan --format json`, and saved by `plan --out` with the
/// bodies to send, for `apply PLAN`. Holds no credentials: bodies carry parameter values and
/// service-account names, never tokens.
public enum PlanCodec {
    public static let formatVersion = 1

    public static func encode(_ plan: Plan, includeBodies: Bool) -> JSONValue {
        var summary = JSONObject()
        for action in PlannedChange.Action.allCases where action != .none { summary[action.rawValue] = .int(plan.count(action)) }
        return .object([
            "format_version": .int(formatVersion),
            "owner": .string(plan.owner),
            "environments": .array(plan.environments.map(JSONValue.string)),
            "changes": .array(plan.changes.map { encode($0, includeBody: includeBodies) }),
            "summary": .object(summary),
            "scopes": .array(plan.scopes.map { .object(["kind": .string($0.kind.rawValue), "path": .string($0.path)]) }),
            "observed": .array(plan.observed.map { .object(["kind": .string($0.kind.rawValue), "name": .string($0.name), "version": .string($0.version)]) }),
        ])
    }

    private static func encode(_ change: PlannedChange, includeBody: Bool) -> JSONValue {
        var object: JSONObject = [
            "address": .string(change.address.description),
            "kind": .string(change.kind.rawValue),
            "scope": .string(change.scope.path),
            "action": .string(change.action.rawValue),
            "name": .string(change.name),
            "fields": .array(change.fields.map { field in
                var object: JSONObject = ["path": .string(field.path)]
                if let old = field.old { object["old"] = old }
                if let new = field.new { object["new"] = new }
                if let summary = field.summary { object["summary"] = .string(summary) }
                return .object(object)
            }),
            "notes": .array(change.notes.map(JSONValue.string)),
            "update_mask": .array(change.updateMask.map(JSONValue.string)),
            "pause_changes": .bool(change.pauseChanges),
        ]
        if let reason = change.reason { object["reason"] = .string(reason) }
        if let liveName = change.liveName { object["live_name"] = .string(liveName) }
        if let liveVersion = change.liveVersion { object["live_version"] = .string(liveVersion) }
        if let paused = change.paused { object["paused"] = .bool(paused) }
        if includeBody, let body = change.body { object["body"] = .object(body) }
        return .object(object)
    }

    /// Reads a saved plan; problems go to `diagnostics` with the file's locations.
    public static func decode(_ bytes: [UInt8], file: String, diagnostics: DiagnosticEngine) -> Plan? {
        guard let value = JSONReader().read(bytes, file: file, diagnostics: diagnostics)?.json else { return nil }
        guard value["format_version"] == .int(formatVersion) else {
            diagnostics.error(.invalidPlanFile, "\(file) is not a plan saved by this version of pipespec (format_version \(formatVersion))", at: nil)
            return nil
        }
        func strings(_ value: JSONValue?) -> [String] {
            if case .array(let items)? = value { return items.compactMap(\.stringValue) }
            return []
        }
        func items(_ value: JSONValue?) -> [JSONObject] {
            if case .array(let items)? = value { return items.compactMap(\.objectValue) }
            return []
        }
        var changes: [PlannedChange] = []
        for item in items(value["changes"]) {
            guard let address = item["address"]?.stringValue.flatMap(ResourceAddress.init),
                  let kind = item["kind"]?.stringValue.flatMap(ResourceKind.init(rawValue:)),
                  let scope = item["scope"]?.stringValue,
                  let action = item["action"]?.stringValue.flatMap(PlannedChange.Action.init(rawValue:)),
                  let name = item["name"]?.stringValue
            else {
                diagnostics.error(.invalidPlanFile, "\(file): a change is missing its address, kind, scope, action or name", at: nil)
                return nil
            }
            var paused: Bool?
            if case .bool(let flag)? = item["paused"] { paused = flag }
            changes.append(PlannedChange(
                address: address, kind: kind, scope: ResourceScope(kind: kind, path: scope), action: action, name: name,
                reason: item["reason"]?.stringValue,
                fields: items(item["fields"]).map { FieldChange(path: $0["path"]?.stringValue ?? "", old: $0["old"], new: $0["new"], summary: $0["summary"]?.stringValue) },
                notes: strings(item["notes"]), liveName: item["live_name"]?.stringValue, liveVersion: item["live_version"]?.stringValue,
                body: item["body"]?.objectValue, updateMask: strings(item["update_mask"]), paused: paused,
                pauseChanges: item["pause_changes"] == .bool(true)
            ))
        }
        let scopes = items(value["scopes"]).compactMap { item -> ResourceScope? in
            guard let kind = item["kind"]?.stringValue.flatMap(ResourceKind.init(rawValue:)), let path = item["path"]?.stringValue else { return nil }
            return ResourceScope(kind: kind, path: path)
        }
        let observed = items(value["observed"]).compactMap { item -> Observation? in
            guard let kind = item["kind"]?.stringValue.flatMap(ResourceKind.init(rawValue:)),
                  let name = item["name"]?.stringValue, let version = item["version"]?.stringValue
            else { return nil }
            return Observation(kind: kind, name: name, version: version)
        }
        let plan = Plan(
            owner: value["owner"]?.stringValue ?? "", environments: strings(value["environments"]),
            changes: changes, observed: observed, scopes: scopes
        )
        if let missing = plan.changes.first(where: { $0.action != .none && $0.action != .delete && $0.body == nil }) {
            diagnostics.error(.invalidPlanFile, "\(file): \(missing.address) has no body; save plans with plan --out", at: nil)
            return nil
        }
        return plan
    }
}

extension DiagnosticID {
    static let invalidPlanFile = DiagnosticID("invalid-plan-file")
}
