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
            let summary = Self.summary(of: desired.body).map { "\($0.params.count) params, \($0.tasks.count) tasks" } ?? "new template"
            change.fields = [FieldChange(path: "sha256", old: nil, new: Self.shortDigest(of: desired.body), summary: summary)]
            return change
        }
        guard Self.digest(of: live.body) != Self.digest(of: desired.body) else { return PlannedChange(.none, kind: kind, live: live, desired: desired) }
        var change = PlannedChange(.update, kind: kind, live: live, desired: desired)
        var summary = "content changed"
        if let old = Self.summary(of: live.body), let new = Self.summary(of: desired.body) {
            let details = new.changes(from: old)
            if !details.isEmpty { summary = details.joined(separator: "; ") }
        }
        change.fields = [FieldChange(path: "sha256", old: Self.shortDigest(of: live.body), new: Self.shortDigest(of: desired.body), summary: summary)]
        return change
    }

    /// The SHA-256 of the template's bytes, as its metadata records it.
    private static func digest(of body: JSONObject) -> String? {
        body[path: "metadata.\(Ownership.digestKey)"]?.stringValue
    }

    /// The digest cut to the length a reviewer reads.
    private static func shortDigest(of body: JSONObject) -> JSONValue? {
        digest(of: body).map { .string(String($0.prefix(12))) }
    }

    private static func summary(of body: JSONObject) -> SpecSummary? {
        body[path: "metadata.\(Ownership.summaryKey)"]?.stringValue.flatMap(SpecSummary.init(encoded:))
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
