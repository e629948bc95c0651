import Crypto
import JSON

/// A PipelineSpec reduced to what a reviewer asks of a changed template: which params and
/// tasks were added, removed or changed. Each param and task is kept as a short digest, so
/// the summary also fits in a template object's metadata, and a plan can say what changed
/// without downloading the old template.
struct SpecSummary: Equatable, Sendable {
    /// Param name → digest of its definition.
    var params: [String: String]
    /// Task name (`dag/task` inside sub-DAGs) → digest of the task, its component and executor.
    var tasks: [String: String]

    init(spec: JSONValue) {
        params = [:]
        tasks = [:]
        for (name, definition) in spec[path: "root.inputDefinitions.parameters"]?.objectValue?.members ?? [] {
            params[name] = Self.digest(definition)
        }
        let components = spec[path: "components"]?.objectValue
        let executors = spec[path: "deploymentSpec.executors"]?.objectValue
        func addTasks(of dag: JSONValue?, prefix: String) {
            for (name, task) in dag?[path: "dag.tasks"]?.objectValue?.members ?? [] {
                let componentName = task[path: "componentRef.name"]?.stringValue ?? ""
                let component = components?[componentName]
                let executor = component?[path: "executorLabel"]?.stringValue.flatMap { executors?[$0] }
                // The task's reference to its component is left out: the component and its
                // executor are compared themselves.
                var reference = task.objectValue ?? JSONObject()
                reference["componentRef"] = nil
                let parts: JSONObject = ["task": .object(reference), "component": component ?? .null, "executor": executor ?? .null]
                tasks[prefix + name] = Self.digest(.object(parts))
                if component?[path: "dag"] != nil { addTasks(of: component, prefix: prefix + name + "/") }
            }
        }
        addTasks(of: spec[path: "root"], prefix: "")
    }

    /// Reads `encoded`; `nil` when it is not a summary.
    init?(encoded: String) {
        let sections = encoded.split(separator: "|", omittingEmptySubsequences: false)
        guard sections.count == 2, sections[0].hasPrefix("p:"), sections[1].hasPrefix("t:") else { return nil }
        func entries(_ section: Substring) -> [String: String]? {
            var result: [String: String] = [:]
            for item in section.dropFirst(2).split(separator: ",") {
                let pair = item.split(separator: "=")
                guard pair.count == 2 else { return nil }
                result[String(pair[0])] = String(pair[1])
            }
            return result
        }
        guard let params = entries(sections[0]), let tasks = entries(sections[1]) else { return nil }
        self.params = params
        self.tasks = tasks
    }

    /// `p:name=digest,…|t:name=digest,…`, sorted.
    var encoded: String {
        func list(_ entries: [String: String]) -> String {
            entries.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
        return "p:\(list(params))|t:\(list(tasks))"
    }

    /// What changed from `old` to `self`, in words: "task 'tune' added; param 'x' changed".
    func changes(from old: SpecSummary) -> [String] {
        func describe(_ noun: String, _ before: [String: String], _ after: [String: String]) -> [String] {
            let names = Set(before.keys).union(after.keys).sorted()
            return names.compactMap { name in
                switch (before[name], after[name]) {
                case (nil, _?): return "\(noun) '\(name)' added"
                case (_?, nil): return "\(noun) '\(name)' removed"
                case let (a?, b?) where a != b: return "\(noun) '\(name)' changed"
                default: return nil
                }
            }
        }
        return describe("param", old.params, params) + describe("task", old.tasks, tasks)
    }

    static func digest(_ value: JSONValue) -> String {
        String(sha256Hex(JSONWriter.compactBytes(value)).prefix(12))
    }
}

func sha256Hex(_ bytes: [UInt8]) -> String {
    SHA256.hash(data: bytes).map { byte in
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }.joined()
}
