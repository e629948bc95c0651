import JSON

/// What the engine needs of one kind of resource: reading the live ones in a scope, working
/// out the change from live to desired, and making it. A new target is one more handler.
protocol ResourceKindHandler: Sendable {
    var kind: ResourceKind { get }
    /// The live resources in `scope`: those `owner` made, and the names of the others (which
    /// pipespec must not take over).
    func read(_ scope: ResourceScope, owner: String) throws(CloudError) -> (owned: [LiveResource], foreign: Set<String>)
    /// The change that turns `live` into `desired`; at least one of them is given.
    func change(from live: LiveResource?, to desired: DesiredResource?, now: String) -> PlannedChange
    func apply(_ change: PlannedChange) throws(CloudError)
}

extension PlannedChange {
    /// A change with the identity of `desired`, or else of `live`.
    init(_ action: Action, kind: ResourceKind, live: LiveResource?, desired: DesiredResource?) {
        let identity = (desired?.address ?? live!.address, desired?.scope ?? live!.scope, desired?.name ?? live!.name)
        self.init(
            address: identity.0, kind: kind, scope: identity.1, action: action, name: identity.2, reason: nil,
            fields: [], notes: desired?.notes ?? [], liveName: live?.name, liveVersion: live?.version,
            body: action == .delete || action == .none ? nil : desired?.body,
            updateMask: [], paused: desired?.paused, pauseChanges: false
        )
    }
}

extension PlannedChange {
    /// A create that shows a reviewer the fields at `paths` of `view` (what matters most).
    static func creation(kind: ResourceKind, desired: DesiredResource, view: JSONObject, paths: [String]) -> PlannedChange {
        var change = PlannedChange(.create, kind: kind, live: nil, desired: desired)
        change.fields = paths.compactMap { path in view[path: path].map { FieldChange(path: path, old: nil, new: $0) } }
        if desired.paused { change.fields.append(FieldChange(path: "state", old: nil, new: "PAUSED")) }
        return change
    }
}
