import JSON

/// Compiled templates as Cloud Storage objects, written with generation preconditions so
/// that a plan never overwrites an object that changed after it was read.
struct TemplateObjectHandler: ResourceKindHandler {
    let storage: any ObjectStore
    var kind: ResourceKind { .templateObject }

    func read(_ scope: ResourceScope, owner: String) throws(CloudError) -> (owned: [LiveResource], foreign: Set<String>) {
        let (bucket, prefix) = Self.split(scope.path)
        var owned: [LiveResource] = []
        var foreign: Set<String> = []
        for object in try storage.list(bucket: bucket, prefix: prefix.isEmpty ? "" : prefix + "/") {
            let name = "gs://\(bucket)/\(object.name)"
            guard let address = Ownership.address(in: object.metadata, owner: owner) else {
                foreign.insert(name)
                continue
            }
            var metadata = JSONObject()
            for (key, value) in object.metadata.sorted(by: { $0.key < $1.key }) { metadata[key] = .string(value) }
            owned.append(LiveResource(
                address: address, kind: kind, scope: scope, name: name, version: object.generation,
                body: ["metadata": .object(metadata)], paused: false
            ))
        }
        return (owned, foreign)
    }

    func change(from live: LiveResource?, to desired: DesiredResource?, now: String) -> PlannedChange {
        guard let desired else { return PlannedChange(.delete, kind: kind, live: live, desired: nil) }
        guard let live else {
            var change = PlannedChange(.create, kind: kind, live: nil, desired: desired)
            let summary = desired.body[path: "metadata.\(Ownership.summaryKey)"]?.stringValue.flatMap(SpecSummary.init(encoded:))
            let digest = desired.body[path: "metadata.\(Ownership.digestKey)"]?.stringValue.map { JSONValue.string(String($0.prefix(12))) }
            change.fields = [FieldChange(path: "sha256", old: nil, new: digest, summary: summary.map { "\($0.params.count) params, \($0.tasks.count) tasks" } ?? "new template")]
            return change
        }
        let oldDigest = live.body[path: "metadata.\(Ownership.digestKey)"]?.stringValue
        let newDigest = desired.body[path: "metadata.\(Ownership.digestKey)"]?.stringValue
        guard oldDigest != newDigest else { return PlannedChange(.none, kind: kind, live: live, desired: desired) }
        var change = PlannedChange(.update, kind: kind, live: live, desired: desired)
        let oldSummary = live.body[path: "metadata.\(Ownership.summaryKey)"]?.stringValue.flatMap(SpecSummary.init(encoded:))
        let newSummary = desired.body[path: "metadata.\(Ownership.summaryKey)"]?.stringValue.flatMap(SpecSummary.init(encoded:))
        var summary = "content changed"
        if let oldSummary, let newSummary {
            let details = newSummary.changes(from: oldSummary)
            if !details.isEmpty { summary = details.joined(separator: "; ") }
        }
        change.fields = [FieldChange(
            path: "sha256", old: oldDigest.map { .string(String($0.prefix(12))) }, new: newDigest.map { .string(String($0.prefix(12))) }, summary: summary
        )]
        return change
    }

    func apply(_ change: PlannedChange) throws(CloudError) {
        let (bucket, _) = Self.split(change.scope.path)
        let objectName = String(change.name.dropFirst("gs://\(bucket)/".count))
        switch change.action {
        case .create, .update, .replace:
            guard let body = change.body, let content = body["content"]?.stringValue else { return }
            var metadata: [String: String] = [:]
            for (key, value) in body["metadata"]?.objectValue?.members ?? [] { metadata[key] = value.stringValue }
            _ = try storage.upload(
                bucket: bucket, name: objectName, bytes: Array(content.utf8), contentType: "application/json",
                metadata: metadata, ifGenerationMatch: change.liveVersion ?? "0"
            )
        case .delete:
            try storage.delete(bucket: bucket, name: objectName, ifGenerationMatch: change.liveVersion ?? "0")
        case .none:
            break
        }
    }

    /// `bucket/prefix` into its parts.
    static func split(_ path: String) -> (bucket: String, prefix: String) {
        let slash = path.firstIndex(of: "/") ?? path.endIndex
        return (String(path[..<slash]), slash == path.endIndex ? "" : String(path[path.index(after: slash)...]))
    }
}
