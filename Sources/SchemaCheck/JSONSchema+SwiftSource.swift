extension JSONSchema {
    /// Swift statements that build this schema (a root, with its `$defs`) again, ending in
    /// `return <root>`: the body of a function returning `JSONSchema`.
    ///
    /// pipespec's own schemas are loaded this way: `EmbedResourcesTool` loads them with
    /// `JSONSchemaLoader` when pipespec is built and compiles this into the binary, so no start
    /// spends time reading and compiling the schema's JSON. The statements are the same for
    /// the same schema, whatever order its mappings were read in, so comparing two schemas'
    /// sources compares the schemas.
    package func swiftSource() -> String {
        var writer = SwiftSourceWriter()
        let definitionNames = definitions.keys.sorted()
        let definitionVariables = definitionNames.map { writer.variable(for: definitions[$0]!) }
        let root = writer.variable(for: self)
        for (schema, variable) in writer.references {
            // The loader resolves every `$ref` to one of the root's `$defs`, or fails.
            guard let target = schema.resolved, let targetVariable = writer.names[ObjectIdentifier(target)] else {
                preconditionFailure("$ref '\(schema.reference ?? "")' does not resolve to a definition of this schema")
            }
            writer.lines.append("\(variable).resolved = \(targetVariable)")
        }
        let owned = zip(definitionNames, definitionVariables).map { "\(String(reflecting: $0)): \($1)" }
        writer.lines.append("\(root).own([\(owned.isEmpty ? ":" : owned.joined(separator: ", "))])")
        writer.lines.append("return \(root)")
        return writer.lines.joined(separator: "\n") + "\n"
    }
}

/// Declares one variable per schema, children before the schemas that hold them.
private struct SwiftSourceWriter {
    var lines: [String] = []
    var names: [ObjectIdentifier: String] = [:]
    /// The schemas with a `$ref`, in the order declared, to resolve once all exist.
    var references: [(JSONSchema, String)] = []

    mutating func variable(for schema: JSONSchema) -> String {
        if let name = names[ObjectIdentifier(schema)] { return name }
        var arguments: [String] = []
        func add(_ label: String, _ value: String?) {
            if let value { arguments.append("\(label): \(value)") }
        }
        add("title", schema.title.map { String(reflecting: $0) })
        add("types", schema.types.map { "[" + $0.map { ".\($0.rawValue)" }.joined(separator: ", ") + "]" })
        if !schema.properties.isEmpty {
            let entries = schema.properties.keys.sorted().map { "\(String(reflecting: $0)): \(variable(for: schema.properties[$0]!))" }
            add("properties", "[" + entries.joined(separator: ", ") + "]")
        }
        if !schema.required.isEmpty { add("required", "[" + schema.required.map { String(reflecting: $0) }.joined(separator: ", ") + "]") }
        switch schema.additionalProperties {
        case .allowed: break
        case .forbidden: add("additionalProperties", ".forbidden")
        case .schema(let additional): add("additionalProperties", ".schema(\(variable(for: additional)))")
        }
        add("propertyNames", schema.propertyNames.map { variable(for: $0) })
        add("minProperties", schema.minProperties.map(String.init))
        add("enumValues", schema.enumValues.map { "[" + $0.map(Self.constant).joined(separator: ", ") + "]" })
        add("pattern", schema.pattern.map { "Pattern(validated: \(String(reflecting: $0.source)))" })
        add("minLength", schema.minLength.map(String.init))
        add("maxLength", schema.maxLength.map(String.init))
        add("minimum", schema.minimum.map(Self.number))
        add("maximum", schema.maximum.map(Self.number))
        add("exclusiveMinimum", schema.exclusiveMinimum.map(Self.number))
        add("items", schema.items.map { variable(for: $0) })
        add("minItems", schema.minItems.map(String.init))
        if schema.uniqueItems { add("uniqueItems", "true") }
        if !schema.anyOf.isEmpty { add("anyOf", "[" + schema.anyOf.map { variable(for: $0) }.joined(separator: ", ") + "]") }
        if !schema.oneOf.isEmpty { add("oneOf", "[" + schema.oneOf.map { variable(for: $0) }.joined(separator: ", ") + "]") }
        add("reference", schema.reference.map { String(reflecting: $0) })
        let name = "s\(names.count)"
        names[ObjectIdentifier(schema)] = name
        lines.append("let \(name) = JSONSchema(\(arguments.joined(separator: ", ")))")
        if schema.reference != nil { references.append((schema, name)) }
        return name
    }

    /// A literal for `value`: the shortest that reads back exactly, or `.infinity` for a JSON
    /// number too large for a `Double` (which reads it as infinite).
    private static func number(_ value: Double) -> String {
        value.isFinite ? String(reflecting: value) : value < 0 ? "-Double.infinity" : "Double.infinity"
    }

    private static func constant(_ constant: JSONSchema.Constant) -> String {
        switch constant {
        case .string(let text): return ".string(\(String(reflecting: text)))"
        case .number(let value): return ".number(\(Self.number(value)))"
        case .boolean(let flag): return ".boolean(\(flag))"
        case .null: return ".null"
        }
    }
}
