import JSON

// Differences told in a reviewer's words: what (a param, a task, a group's condition) and
// which of its parts, rather than the JSON path.
extension SpecComparison {
    /// One line a difference, in words: `~ task train: image "a:1" → "a:2"`,
    /// `+ param epochs: added (int, default 10)`; at most `limit` lines, then how many more.
    public static func render(_ differences: [Difference], limit: Int) -> String {
        var lines = differences.prefix(limit).map { difference -> String in
            let sign = difference.old == nil ? "+" : difference.new == nil ? "-" : "~"
            return "\(sign) \(difference.summary)"
        }
        let more = differences.count - limit
        if more > 0 { lines.append("… and \(more) more difference\(more == 1 ? "" : "s")") }
        return lines.map { $0 + "\n" }.joined()
    }
}

extension SpecComparison.Difference {
    /// `task train: image "a:1" → "a:2"`, `param epochs: added (int, default 10)`,
    /// `task audit: added`.
    public var summary: String {
        var rest = components[...]
        let subject: String
        switch (rest.popFirst(), rest.first) {
        case ("pipelineInfo"?, _):
            subject = "pipeline"
        case ("root"?, "inputDefinitions"?):
            rest = rest.dropFirst(2)
            subject = "param " + (rest.popFirst() ?? "")
        case ("root"?, "outputDefinitions"?):
            rest = rest.dropFirst(2)
            subject = "pipeline output " + (rest.popFirst() ?? "")
        case ("root"?, "dag"?) where rest.dropFirst().first == "outputs":
            rest = rest.dropFirst(3)
            subject = "pipeline output " + (rest.popFirst() ?? "")
        case ("root"?, "dag"?) where rest.dropFirst().first == "tasks":
            rest = rest.dropFirst(2)
            var names = [rest.popFirst() ?? ""]
            // Down through groups: `component.dag.tasks.NAME`.
            while rest.starts(with: ["component", "dag", "tasks"]), rest.count > 3 {
                rest = rest.dropFirst(3)
                names.append(rest.popFirst() ?? "")
            }
            subject = "task " + names.joined(separator: " / ")
        default:
            return "\(path): \(change)"
        }
        let part = Self.part(Array(rest))
        return part.isEmpty ? "\(subject): \(wholeChange)" : "\(subject): \(part) \(change)"
    }

    /// A whole task or param added or removed, by what it is rather than all it holds.
    private var wholeChange: String {
        switch (old, new) {
        case (nil, let value?): return "added" + Self.gist(value)
        case (let value?, nil): return "removed" + Self.gist(value)
        default: return change
        }
    }

    /// ` (runs IMAGE)`, ` (a group of N tasks)`, ` (int, default 10)`, or nothing.
    private static func gist(_ value: JSONValue) -> String {
        if let image = value[path: "component.executor.container.image"]?.stringValue { return " (runs \(image))" }
        if let tasks = value[path: "component.dag.tasks"]?.objectValue { return " (a group of \(tasks.count) task\(tasks.count == 1 ? "" : "s"))" }
        if let type = value["parameterType"]?.stringValue {
            return " (\(type.lowercased())" + (value["defaultValue"].map { ", default \(shown($0))" } ?? "") + ")"
        }
        if let title = value[path: "artifactType.schemaTitle"]?.stringValue { return " (\(title))" }
        return ""
    }

    /// The part of a param or task that changed, in words.
    private static func part(_ rest: [String]) -> String {
        let words: [(prefix: [String], name: String)] = [
            (["component", "executor", "container", "image"], "image"),
            (["component", "executor", "container", "command"], "command"),
            (["component", "executor", "container", "args"], "args"),
            (["component", "executor", "container", "env"], "env"),
            (["component", "executor", "container", "resources"], "resources"),
            (["component", "executor"], "executor"),
            (["component", "inputDefinitions", "parameters"], "component input"),
            (["component", "inputDefinitions", "artifacts"], "component input"),
            (["component", "outputDefinitions", "parameters"], "component output"),
            (["component", "outputDefinitions", "artifacts"], "component output"),
            (["component", "dag", "outputs"], "group output"),
            (["inputs", "parameters"], "argument"),
            (["inputs", "artifacts"], "argument"),
            (["dependentTasks"], "waits for"),
            (["triggerPolicy", "condition"], "condition"),
            (["triggerPolicy", "strategy"], "runs when upstream tasks"),
            (["parameterIterator"], "loop items"),
            (["artifactIterator"], "loop items"),
            (["iteratorPolicy"], "loop parallelism"),
            (["cachingOptions"], "caching"),
            (["retryPolicy"], "retry"),
            (["taskInfo", "name"], "display name"),
            (["defaultValue"], "default"),
            (["parameterType"], "type"),
            (["artifactType"], "type"),
            (["isOptional"], "optional"),
        ]
        guard let match = words.first(where: { rest.starts(with: $0.prefix) }) else { return rest.joined(separator: ".") }
        let detail = rest.dropFirst(match.prefix.count).joined(separator: ".").replacingBrackets
        return detail.isEmpty ? match.name : "\(match.name) \(detail)"
    }

    /// `OLD → NEW`, `added (NEW)` or `removed (was OLD)`.
    private var change: String {
        switch (old, new) {
        case (let old?, let new?): return "\(Self.shown(old)) → \(Self.shown(new))"
        case (nil, let new?): return "added (\(Self.shown(new)))"
        case (let old?, nil): return "removed (was \(Self.shown(old)))"
        case (nil, nil): return "changed"
        }
    }

    /// A value as compact JSON, cut at 100 characters; a whole number without `.0`.
    private static func shown(_ value: JSONValue) -> String {
        if case .double(let number) = value, number.rounded() == number, abs(number) < 1e15 { return String(Int(number)) }
        let text = String(decoding: JSONWriter.compactBytes(value), as: UTF8.self)
        return text.count > 100 ? text.prefix(99) + "…" : text
    }
}

private extension String {
    /// `[3].name` → `3.name`, for the words after a part's name.
    var replacingBrackets: String {
        String(filter { $0 != "[" && $0 != "]" })
    }
}
