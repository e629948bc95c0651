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
            for field in change.fields { lines.append("      " + render(field)) }
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

    static func render(_ field: FieldChange) -> String {
        if let summary = field.summary {
            let digests = field.old != nil || field.new != nil ? " (\(value(field.old)) → \(value(field.new)))" : ""
            return "\(field.path): \(summary)\(digests)"
        }
        return "\(field.path): \(value(field.old)) → \(value(field.new))"
    }

    /// A value on one line, long ones cut short.
    static func value(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        let text = String(decoding: JSONWriter.compactBytes(value), as: UTF8.self)
        let limit = 100
        return text.count <= limit ? text : text.prefix(limit) + "… (\(text.count) characters)"
    }
}
