import Diagnostics
import JSON
import YAML

/// Compares two PipelineSpec documents by what they run, not how they are spelled: each
/// task's component and executor inlined where it is used (so component and executor
/// names, and whether tasks share them, do not matter), tasks and groups keyed by their
/// `taskInfo.name`, and every reference to a task key (`producerTask`, `producerSubtask`, `dependentTasks`,
/// `pipelinechannel--KEY-…` names) rewritten the same way, and prose (`description`
/// strings, `sdkVersion`) left out. What is left differs only where behaviour differs, and
/// is listed path by path.
public enum SpecComparison {
    public struct Difference: Equatable, Sendable {
        /// Keys and `[index]`es from the document's top: `root`, `dag`, `tasks`, `train`, …
        public var components: [String]
        /// `nil` where the value was added.
        public var old: JSONValue?
        /// `nil` where the value was removed.
        public var new: JSONValue?

        public init(components: [String], old: JSONValue?, new: JSONValue?) {
            self.components = components
            self.old = old
            self.new = new
        }

        /// `$.root.dag.tasks.train.component.executor.container.image`
        public var path: String {
            components.reduce("$") { path, component in component.hasPrefix("[") ? path + component : path + "." + component }
        }
    }

    /// The differences between two documents as JSON text: specs (or PipelineJob bodies)
    /// by what they run, anything else (`--emit ir`) value by value; a file that is not
    /// JSON differs as a whole.
    public static func differences(committed: [UInt8], current: [UInt8], file: String) -> [Difference] {
        let diagnostics = DiagnosticEngine(errorLimit: 0)
        guard let old = JSONReader().read(committed, file: file, diagnostics: diagnostics)?.json,
              let new = JSONReader().read(current, file: file, diagnostics: diagnostics)?.json
        else { return [Difference(components: [], old: .string("(not JSON)"), new: .string("(the compiled spec)"))] }
        return differences(old, new)
    }

    /// Two specs compared by what they run. Tasks are matched by key when both specs come
    /// from pipespec (whose keys are the names in the file), else by display name, as kfp
    /// keys tasks by component.
    public static func differences(_ old: JSONValue, _ new: JSONValue) -> [Difference] {
        let (oldSpec, newSpec) = (old["pipelineSpec"] ?? old, new["pipelineSpec"] ?? new)
        var found: [Difference] = []
        guard oldSpec["root"] != nil, newSpec["root"] != nil else {
            compare(old, new, path: [], into: &found)
            return found
        }
        let byKey = [oldSpec, newSpec].allSatisfy { $0["sdkVersion"]?.stringValue?.hasPrefix("pipespec") == true }
        compare(normalized(oldSpec, byKey: byKey), normalized(newSpec, byKey: byKey), path: [], into: &found)
        return found
    }

    // MARK: Normalizing

    private static func normalized(_ spec: JSONValue, byKey: Bool) -> JSONValue {
        guard case .object(var document) = spec else { return spec }
        let components = Dictionary(document["components"]?.objectValue?.members ?? [], uniquingKeysWith: { first, _ in first })
        let executors = Dictionary(document[path: "deploymentSpec.executors"]?.objectValue?.members ?? [], uniquingKeysWith: { first, _ in first })
        var names = Names(byKey: byKey)
        _ = names.collect(document[path: "root.dag"], components: components)
        let normalizer = Normalizer(components: components, executors: executors, names: names.tasks, loopItems: names.loopItems)
        if case .object(let root)? = document["root"] { document["root"] = .object(normalizer.component(root)) }
        document["components"] = nil
        document["deploymentSpec"] = nil
        document["sdkVersion"] = nil
        return normalizer.renamed(.object(document))
    }

    /// What stands for each task key and loop item input once normalized.
    private struct Names {
        /// Group key prefixes and the words for their kind.
        static let groupKinds = [
            ("condition-branches-", "if/elif/else"), ("condition-", "condition"), ("for-loop-", "loop"), ("exit-handler-", "exit handler"),
        ]
        static let loopItem = "pipelinechannel--loop-item-param-"

        /// Whether plain tasks keep their keys (else they take their `taskInfo.name`).
        let byKey: Bool
        /// Task keys of every DAG and the names they stand for: the key or the
        /// `taskInfo.name`, or for a group written without a name (kfp numbers it, pipespec
        /// names it after what it holds), its kind and the least name inside it
        /// (`condition of train`). Display names a DAG has twice keep their keys.
        var tasks: [String: String] = [:]
        /// Each loop's item input, by a name made from its loop's.
        var loopItems: [String: String] = [:]

        init(byKey: Bool) {
            self.byKey = byKey
        }

        /// The names of a DAG's tasks, after collecting those inside them.
        mutating func collect(_ dag: JSONValue?, components: [String: JSONValue]) -> [String] {
            var found: [(key: String, name: String)] = []
            for (key, task) in dag?["tasks"]?.objectValue?.members ?? [] {
                let inner = task[path: "componentRef.name"]?.stringValue
                    .flatMap { components[$0]?["dag"] }
                    .map { collect($0, components: components) } ?? []
                let written = task[path: "taskInfo.name"]?.stringValue ?? key
                var name = byKey ? key : written
                if written == key, let least = inner.min(), let kind = Self.groupKinds.first(where: { key.hasPrefix($0.0) }) {
                    name = "\(kind.1) of \(least)"
                }
                found.append((key, name))
                if let item = task[path: "parameterIterator.itemInput"]?.stringValue, item.hasPrefix(Self.loopItem) {
                    loopItems[item] = "\(Self.loopItem)(\(name))"
                }
            }
            let counts = Dictionary(found.map { ($0.name, 1) }, uniquingKeysWith: +)
            for (key, name) in found { tasks[key] = counts[name]! > 1 ? key : name }
            return found.map { counts[$0.name]! > 1 ? $0.key : $0.name }
        }
    }

    private struct Normalizer {
        let components: [String: JSONValue]
        let executors: [String: JSONValue]
        let names: [String: String]
        let loopItems: [String: String]

        /// A component with its executor and its DAG's components inlined.
        func component(_ component: JSONObject) -> JSONObject {
            var component = component
            if let label = component["executorLabel"]?.stringValue {
                component["executorLabel"] = nil
                component["executor"] = executors[label]
            }
            if case .object(var dag)? = component["dag"] {
                if case .object(let tasks)? = dag["tasks"] {
                    dag["tasks"] = .object(JSONObject(tasks.members.map { key, task in
                        (names[key] ?? key, self.task(task, named: names[key] ?? key))
                    }))
                }
                component["dag"] = .object(dag)
            }
            return component
        }

        private func task(_ task: JSONValue, named name: String) -> JSONValue {
            guard case .object(var task) = task else { return task }
            if case .object(var info)? = task["taskInfo"] {
                info["name"] = .string(name)
                task["taskInfo"] = .object(info)
            }
            if let reference = task[path: "componentRef.name"]?.stringValue, case .object(let definition)? = components[reference] {
                task["componentRef"] = nil
                task["component"] = .object(component(definition))
            }
            if case .array(let dependencies)? = task["dependentTasks"] {
                let renamed = dependencies.compactMap(\.stringValue).map { names[$0] ?? $0 }.sorted()
                task["dependentTasks"] = .array(renamed.map(JSONValue.string))
            }
            return .object(task)
        }

        /// Task keys replaced by task names wherever a value or key names one.
        func renamed(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let object):
                // Prose does not change what runs; a param named `description` is an object.
                let members = object.members.filter { $0.key != "description" || $0.value.stringValue == nil }
                return .object(JSONObject(members.map { key, member in
                    let renamedMember = key == "producerTask" || key == "producerSubtask" ? member.stringValue.map { .string(names[$0] ?? $0) } ?? member : renamed(member)
                    return (renamedChannels(key), renamedMember)
                }))
            case .array(let items): return .array(items.map(renamed))
            case .string(let text): return .string(renamedChannels(text))
            default: return value
            }
        }

        /// `pipelinechannel--KEY-OUTPUT` with the task's name for KEY, and loop item inputs
        /// with their loop's.
        private func renamedChannels(_ text: String) -> String {
            let marker = "pipelinechannel--"
            guard text.contains(marker) else { return text }
            var result = ""
            var rest = Substring(text)
            while let range = rest.firstRange(of: marker) {
                result += rest[..<range.lowerBound]
                rest = rest[range.lowerBound...]
                let token = rest.prefix { $0.isLetter || $0.isNumber || $0 == "-" }
                if let item = loopItems[String(token)] {
                    result += item
                    rest = rest.dropFirst(token.count)
                    continue
                }
                result += marker
                rest = rest.dropFirst(marker.count)
                // The longest task key the name starts with, followed by '-'.
                let name = token.dropFirst(marker.count)
                let ends = name.indices.filter { name[$0] == "-" && names[String(name[..<$0])] != nil }
                if let end = ends.last {
                    result += names[String(name[..<end])]!
                    rest = rest[end...]
                }
            }
            return result + rest
        }
    }

    // MARK: Comparing

    private static func compare(_ old: JSONValue, _ new: JSONValue, path: [String], into found: inout [Difference]) {
        switch (old, new) {
        case (.object(let a), .object(let b)):
            let left = Dictionary(a.members, uniquingKeysWith: { first, _ in first })
            let right = Dictionary(b.members, uniquingKeysWith: { first, _ in first })
            for key in Set(left.keys).union(right.keys).sorted() {
                let child = path + [key]
                switch (left[key], right[key]) {
                case (let x?, let y?): compare(x, y, path: child, into: &found)
                case (let x?, nil): found.append(Difference(components: child, old: x, new: nil))
                case (nil, let y?): found.append(Difference(components: child, old: nil, new: y))
                case (nil, nil): break
                }
            }
        case (.array(let a), .array(let b)) where a.count == b.count:
            for (index, (x, y)) in zip(a, b).enumerated() { compare(x, y, path: path + ["[\(index)]"], into: &found) }
        default:
            if !same(old, new) { found.append(Difference(components: path, old: old, new: new)) }
        }
    }

    /// Equal, counting `1` and `1.0` as one number (protobuf `Value`s are doubles).
    private static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        default: return a == b
        }
    }
}
