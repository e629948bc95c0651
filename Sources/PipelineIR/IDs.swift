/// Identifies a task of one `PipelineIR`: its place in `tasks`.
package struct TaskID: Hashable, Comparable, Sendable {
    package let index: Int

    package init(_ index: Int) { self.index = index }

    package static func < (lhs: TaskID, rhs: TaskID) -> Bool { lhs.index < rhs.index }
}

/// Identifies a group of one `PipelineIR`: its place in `groups` (the root is first).
package struct GroupID: Hashable, Comparable, Sendable {
    package let index: Int

    package init(_ index: Int) { self.index = index }

    package static let root = GroupID(0)

    package static func < (lhs: GroupID, rhs: GroupID) -> Bool { lhs.index < rhs.index }
}

/// Identifies a component of one `PipelineIR`: its place in `components`.
package struct ComponentID: Hashable, Sendable {
    package let index: Int

    package init(_ index: Int) { self.index = index }
}

// Element access by ID. They yield the element in place, so that `groups[id].members.append(…)`
// does not copy the members first: with `set`, adding each of n tasks to a group copied it.
extension Array where Element == TaskIR {
    package subscript(id: TaskID) -> TaskIR {
        get { self[id.index] }
        _modify { yield &self[id.index] }
    }

    package var ids: [TaskID] { indices.map(TaskID.init) }
}

extension Array where Element == GroupIR {
    package subscript(id: GroupID) -> GroupIR {
        get { self[id.index] }
        _modify { yield &self[id.index] }
    }

    package var ids: [GroupID] { indices.map(GroupID.init) }
}

extension Array where Element == ComponentDefinition {
    package subscript(id: ComponentID) -> ComponentDefinition {
        get { self[id.index] }
        _modify { yield &self[id.index] }
    }
}
