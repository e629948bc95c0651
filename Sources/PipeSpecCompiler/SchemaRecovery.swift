import Diagnostics
import PipelineIR
import PipelineLowering
import YAML

/// After schema errors, the part of a pipeline the later stages can still check soundly:
/// the document without the tasks, components and params the errors are in. Anything else
/// with an error (the name, defaults, an if/elif/else group, a loop, an exit handler, a
/// whole section) could change what the rest means, and then the later stages do not run.
enum SchemaRecovery {
    /// The sections whose entries can be left out one by one.
    private static let sections: Set<String> = ["tasks", "components", "params"]

    /// The document without the entries in `violatedEntries`, and their names; `nil` when an
    /// error lies outside such an entry.
    static func prune(_ document: Node, violatedEntries: Set<[String]>) -> (document: Node, excluded: ExcludedEntries)? {
        guard let root = document.mapping else { return nil }
        var excluded = ExcludedEntries()
        var leftOut: [String: Set<String>] = [:]
        for violation in violatedEntries {
            guard violation.count == 2, sections.contains(violation[0]) else { return nil }
            leftOut[violation[0], default: []].insert(violation[1])
        }
        var entries: [MappingEntry] = []
        for section in root {
            guard let names = leftOut[section.key], let items = section.value.mapping else {
                entries.append(section)
                continue
            }
            var kept: [MappingEntry] = []
            for item in items {
                guard names.contains(item.key) else {
                    kept.append(item)
                    continue
                }
                switch section.key {
                case "tasks":
                    // A group, loop or exit handler holds tasks whose names references may use.
                    guard ["if", "for_each", "on_exit"].allSatisfy({ item.value[$0] == nil }) else { return nil }
                    excluded.tasks[item.key] = item.keyLocation
                case "components": excluded.components.insert(item.key)
                default: excluded.params.insert(item.key)
                }
            }
            entries.append(MappingEntry(key: section.key, keyLocation: section.keyLocation, value: Node(.mapping(kept), at: section.value.location)))
        }
        return (Node(.mapping(entries), at: document.location), excluded)
    }
}
