/// A JSON value as the emitter builds it. Objects keep insertion order in memory; the writer
/// sorts keys, so output never depends on the order the emitter happened to use.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// An integer written without a fraction (protobuf int32/int64 fields).
    case int(Int)
    /// A number written as a float, `3.0` rather than `3` (protobuf `Value.number_value`).
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The value as a protobuf `Value` holds it, every number a double: how run-time values
    /// and defaults are written in a PipelineSpec.
    public var numbersAsDoubles: JSONValue {
        switch self {
        case .int(let number): return .double(Double(number))
        case .array(let items): return .array(items.map(\.numbersAsDoubles))
        case .object(let object): return .object(JSONObject(object.members.map { ($0.key, $0.value.numbersAsDoubles) }))
        default: return self
        }
    }
}

/// The members of a JSON object, in insertion order. Keys are unique by construction of the
/// emitter; `set` replaces an existing member.
public struct JSONObject: Sendable, Equatable {
    public private(set) var members: [(key: String, value: JSONValue)]

    public init(_ members: [(String, JSONValue)] = []) {
        self.members = members.map { (key: $0.0, value: $0.1) }
    }

    public var isEmpty: Bool { members.isEmpty }
    public var count: Int { members.count }

    public subscript(key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            let index = members.firstIndex { $0.key == key }
            switch (index, newValue) {
            case let (index?, value?): members[index].value = value
            case let (index?, nil): members.remove(at: index)
            case let (nil, value?): members.append((key, value))
            case (nil, nil): break
            }
        }
    }

    /// Appends a member whose key the caller knows to be new (no search).
    public mutating func append(_ key: String, _ value: JSONValue) {
        members.append((key, value))
    }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        let left = lhs.members.sorted { JSONWriter.keyOrder($0.key, $1.key) }
        let right = rhs.members.sorted { JSONWriter.keyOrder($0.key, $1.key) }
        return zip(left, right).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
