import DeployEngine
import JSON

/// A plan as a reviewer reads it, Terraform-style: one block per resource with a sign
/// (`+` create, `~` update, `-/+` replace, `-` delete), then its fields old → new.
enum PlanTextRenderer {
    static func render(_ plan: Plan) -> String {
        var lines: [String] = []
        let changing = plan.changes.filter { $0.action != .none }
        let unchanged = plan.changes.count - changing.count
        guard !changing.isEmpty else {
            return "No changes: \(plan.changes.count) resource\(plan.changes.count == 1 ? "" : "s") in \(plan.environments.joined(separator: ", ")) match the configuration.\n"
        }
        lines.append("pipespec will make these changes (owner \(plan.owner)):")
        for change in changing {
            lines.append("")
            var heading = "  \(sign(change.action)) \(change.address)  \(change.kind.rawValue)"
            if let reason = change.reason { heading += "  (replace: \(reason))" }
            lines.append(heading)
            lines.append("      \(change.action == .delete ? change.liveName ?? change.name : change.name)")
            for field in change.fields { lines += render(field).map { "      " + $0 } }
            for note in change.notes { lines.append("      note: \(note)") }
        }
        lines.append("")
        lines.append("Plan: \(plan.count(.create)) to create, \(plan.count(.update)) to update, \(plan.count(.replace)) to replace, \(plan.count(.delete)) to delete; \(unchanged) unchanged.")
        return lines.joined(separator: "\n") + "\n"
    }

    static func sign(_ action: PlannedChange.Action) -> String {
        switch action {
        case .create: return "+"
        case .update: return "~"
        case .replace: return "-/+"
        case .delete: return "-"
        case .none: return " "
        }
    }

    /// `path: old → new`; a new field as `path = value`, a new mapping one line per key.
    static func render(_ field: FieldChange) -> [String] {
        switch (field.old, field.new, field.summary) {
        case (nil, let new?, let summary?):
            return ["\(field.path) \(value(new)): \(summary)"]
        case (let old, let new, let summary?):
            let digests = old != nil || new != nil ? " (\(value(old)) → \(value(new)))" : ""
            return ["\(field.path): \(summary)\(digests)"]
        case (nil, .object(let members)?, nil):
            return members.members.map { "\(field.path).\($0.key) = \(value($0.value))" }
        case (nil, let new?, nil):
            return ["\(field.path) = \(value(new))"]
        case (let old, let new, nil):
            return ["\(field.path): \(value(old)) → \(value(new))"]
        }
    }

    /// A value on one line, long ones cut short.
    static func value(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        let text = String(decoding: JSONWriter.compactBytes(value), as: UTF8.self)
        let limit = 160
        return text.count <= limit ? text : text.prefix(limit) + "… (\(text.count) characters)"
    }
}
