import JSON

extension Node {
    /// The node as a JSON value: integers stay integers, mappings keep their key order.
    public var json: JSONValue {
        switch content {
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return .null
            case .bool: return .bool(scalar.boolValue!)
            case .int: return scalar.intValue.map(JSONValue.int) ?? .double(scalar.doubleValue!)
            case .float: return .double(scalar.doubleValue!)
            case .string: return .string(scalar.text)
            }
        case .sequence(let items): return .array(items.map(\.json))
        case .mapping(let entries): return .object(JSONObject(entries.map { ($0.key, $0.value.json) }))
        }
    }
}

extension Node {
    /// The first `.inf` or `.nan` in the node: YAML has them, JSON cannot hold them.
    public var firstNumberJSONCannotHold: Node? {
        switch content {
        case .scalar(let scalar): return scalar.kind == .float && !(scalar.doubleValue?.isFinite ?? false) ? self : nil
        case .sequence(let items): return items.lazy.compactMap(\.firstNumberJSONCannotHold).first
        case .mapping(let entries): return entries.lazy.compactMap(\.value.firstNumberJSONCannotHold).first
        }
    }
}
