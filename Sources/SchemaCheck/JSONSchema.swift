#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import YAML

/// A compiled JSON Schema (draft 2020-12), limited to the keywords pipespec's schemas use.
///
/// Loading fails on any keyword outside that subset, so a schema can never rely on a rule
/// the checker would silently skip. Annotation keywords (`title`, `description`, `default`)
/// are kept or ignored; `title` doubles as the readable name of what a subschema expects.
package final class JSONSchema {
    package enum InstanceType: String, CaseIterable, Sendable {
        case object, array, string, integer, number, boolean, null

        /// The YAML-flavoured name used in messages.
        var phrase: String {
            switch self {
            case .object: return "a mapping"
            case .array: return "a list"
            case .string: return "a string"
            case .integer: return "an integer"
            case .number: return "a number"
            case .boolean: return "a boolean"
            case .null: return "null"
            }
        }
    }

    package enum AdditionalProperties {
        case allowed
        case forbidden
        case schema(JSONSchema)
    }

    /// A constant in `enum`: the subset of JSON the schemas use (no lists or mappings).
    package enum Constant: Equatable, CustomStringConvertible {
        case string(String), number(Double), boolean(Bool), null

        package var description: String {
            switch self {
            case .string(let text): return "'\(text)'"
            case .number(let number): return JSONSchema.format(number)
            case .boolean(let flag): return String(flag)
            case .null: return "null"
            }
        }
    }

    package var title: String?
    package var types: [InstanceType]?
    package var properties: [String: JSONSchema] = [:]
    package var required: [String] = []
    package var additionalProperties: AdditionalProperties = .allowed
    package var propertyNames: JSONSchema?
    package var minProperties: Int?
    package var enumValues: [Constant]?
    package var pattern: Pattern?
    package var minLength: Int?
    package var maxLength: Int?
    package var minimum: Double?
    package var maximum: Double?
    package var exclusiveMinimum: Double?
    package var items: JSONSchema?
    package var minItems: Int?
    package var uniqueItems = false
    package var anyOf: [JSONSchema] = []
    package var oneOf: [JSONSchema] = []
    /// Set for `{"$ref": ...}`; resolved after the whole document is loaded. `$ref`s make
    /// cycles, so they do not own their targets: the root owns the `$defs`.
    package var reference: String?
    package unowned var resolved: JSONSchema?
    /// On the root: the `$defs` by name, which `$ref`s point at.
    package private(set) var definitions: [String: JSONSchema] = [:]

    package init(
        title: String? = nil, types: [InstanceType]? = nil, properties: [String: JSONSchema] = [:],
        required: [String] = [], additionalProperties: AdditionalProperties = .allowed,
        propertyNames: JSONSchema? = nil, minProperties: Int? = nil, enumValues: [Constant]? = nil,
        pattern: Pattern? = nil, minLength: Int? = nil, maxLength: Int? = nil, minimum: Double? = nil,
        maximum: Double? = nil, exclusiveMinimum: Double? = nil, items: JSONSchema? = nil,
        minItems: Int? = nil, uniqueItems: Bool = false, anyOf: [JSONSchema] = [], oneOf: [JSONSchema] = [],
        reference: String? = nil
    ) {
        self.title = title
        self.types = types
        self.properties = properties
        self.required = required
        self.additionalProperties = additionalProperties
        self.propertyNames = propertyNames
        self.minProperties = minProperties
        self.enumValues = enumValues
        self.pattern = pattern
        self.minLength = minLength
        self.maxLength = maxLength
        self.minimum = minimum
        self.maximum = maximum
        self.exclusiveMinimum = exclusiveMinimum
        self.items = items
        self.minItems = minItems
        self.uniqueItems = uniqueItems
        self.anyOf = anyOf
        self.oneOf = oneOf
        self.reference = reference
    }

    /// Makes this the root that owns `definitions`, which its `$ref`s resolve to.
    package func own(_ definitions: [String: JSONSchema]) {
        self.definitions = definitions
    }

    /// What the schema follows through: itself, or what its `$ref` points at.
    var target: JSONSchema { resolved?.target ?? self }

    /// A number as messages write it: whole numbers without a fraction.
    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// A readable name for what this schema accepts, for messages.
    var expectation: String {
        let schema = target
        if let title = title ?? schema.title { return title }
        if let values = schema.enumValues { return "one of " + values.map(\.description).joined(separator: ", ") }
        if let types = schema.types { return types.map(\.phrase).joined(separator: " or ") }
        let branches = schema.anyOf.isEmpty ? schema.oneOf : schema.anyOf
        if !branches.isEmpty { return branches.map(\.expectation).joined(separator: " or ") }
        return "any value"
    }
}

/// A `pattern` keyword, matched with POSIX extended regular expressions. The schemas'
/// patterns use only syntax that ERE and ECMA-262 (JSON Schema's dialect) read alike:
/// anchors, classes, groups, alternation, repetition; `init` rejects `\d`-style escapes.
/// The two differ on line breaks (ERE's `.` matches one), so text with a control character
/// never matches: no pattern of pipespec's is meant to accept one. Compiling takes
/// microseconds, where a Swift `Regex` takes far longer. A pattern known to be valid is
/// compiled when first matched, as most of a schema's patterns are not used by a pipeline.
/// Results are memoized: names such as `batch_id` recur in every task of a large pipeline.
/// Not `Sendable`: each compiler builds its own schema, and so its own patterns.
package final class Pattern {
    package let source: String
    private var compiled = regex_t()
    private var isCompiled = false
    private var memo: [String: Bool] = [:]

    package struct Unsupported: Error, CustomStringConvertible {
        package let description: String
    }

    /// A pattern from a schema being loaded: one pipespec cannot match is an error.
    package init(_ source: String) throws {
        self.source = source
        var previous: Character = " "
        for character in source {
            if previous == "\\", character.isLetter || character.isNumber {
                throw Unsupported(description: "'\\\(character)' escapes are not supported; write a character class")
            }
            previous = previous == "\\" ? " " : character
        }
        guard compile() else {
            throw Unsupported(description: "'\(source)' is not a valid regular expression")
        }
    }

    /// A pattern `init(_:)` accepted when the schema was loaded before: pipespec's own schemas,
    /// compiled in.
    package init(validated source: String) {
        self.source = source
    }

    deinit {
        if isCompiled { regfree(&compiled) }
    }

    private func compile() -> Bool {
        isCompiled = regcomp(&compiled, source, REG_EXTENDED | REG_NOSUB) == 0
        return isCompiled
    }

    /// Texts remembered at most: values repeat within a pipeline (and across the branches of a
    /// oneOf), but a file of a million distinct values must not grow the memo without bound.
    private static let memoLimit = 1024

    func matches(_ text: String) -> Bool {
        if let known = memo[text] { return known }
        if !isCompiled, !compile() { fatalError("a validated pattern did not compile: \(source)") }
        let result = !text.utf8.contains(where: { $0 < 0x20 }) && regexec(&compiled, text, 0, nil, 0) == 0
        if memo.count < Self.memoLimit { memo[text] = result }
        return result
    }
}

/// Loads a schema document into `JSONSchema`, reporting unsupported keywords and bad `$ref`s.
package enum JSONSchemaLoader {
    private static let annotations: Set<String> = ["$schema", "$id", "$comment", "description", "default", "examples"]

    package static func load(_ text: String, file: String, diagnostics: DiagnosticEngine) -> JSONSchema? {
        guard let document = JSONReader().read(Array(text.utf8), file: file, diagnostics: diagnostics) else { return nil }
        let errorsBefore = diagnostics.errorCount
        var definitions: [String: JSONSchema] = [:]
        var unresolved: [(JSONSchema, SourceLocation)] = []
        if let defs = document["$defs"]?.mapping {
            for entry in defs {
                definitions[entry.key] = compile(entry.value, diagnostics, &unresolved)
            }
        }
        let root = compile(document, diagnostics, &unresolved, isRoot: true)
        for (schema, location) in unresolved {
            let prefix = "#/$defs/"
            guard let reference = schema.reference, reference.hasPrefix(prefix),
                  let target = definitions[String(reference.dropFirst(prefix.count))]
            else {
                diagnostics.error(.invalidSchema, "schema: cannot resolve $ref '\(schema.reference ?? "")'", at: location)
                continue
            }
            schema.resolved = target
        }
        root.own(definitions)
        return diagnostics.errorCount == errorsBefore ? root : nil
    }

    private static func compile(
        _ node: Node, _ diagnostics: DiagnosticEngine, _ unresolved: inout [(JSONSchema, SourceLocation)],
        isRoot: Bool = false
    ) -> JSONSchema {
        let schema = JSONSchema()
        guard let entries = node.mapping else {
            if node.scalar?.kind != .bool || node.scalar?.boolValue != true {
                diagnostics.error(.invalidSchema, "schema: expected a schema object", at: node.location)
            }
            return schema
        }
        func integer(_ value: Node) -> Int? {
            guard let number = value.scalar?.intValue else {
                diagnostics.error(.invalidSchema, "schema: expected an integer", at: value.location)
                return nil
            }
            return number
        }
        func number(_ value: Node) -> Double? {
            guard let number = value.scalar?.doubleValue else {
                diagnostics.error(.invalidSchema, "schema: expected a number", at: value.location)
                return nil
            }
            return number
        }
        func subschemas(_ value: Node) -> [JSONSchema] {
            (value.sequence ?? []).map { compile($0, diagnostics, &unresolved) }
        }
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "title": schema.title = value.string
            case "type":
                let names = value.sequence?.compactMap(\.string) ?? value.string.map { [$0] } ?? []
                schema.types = names.compactMap { name in
                    let type = JSONSchema.InstanceType(rawValue: name)
                    if type == nil { diagnostics.error(.invalidSchema, "schema: unknown type '\(name)'", at: value.location) }
                    return type
                }
            case "properties":
                for property in value.mapping ?? [] {
                    schema.properties[property.key] = compile(property.value, diagnostics, &unresolved)
                }
            case "required": schema.required = value.sequence?.compactMap(\.string) ?? []
            case "additionalProperties":
                if let flag = value.scalar?.boolValue {
                    schema.additionalProperties = flag ? .allowed : .forbidden
                } else {
                    schema.additionalProperties = .schema(compile(value, diagnostics, &unresolved))
                }
            case "propertyNames": schema.propertyNames = compile(value, diagnostics, &unresolved)
            case "minProperties": schema.minProperties = integer(value)
            case "enum": schema.enumValues = value.sequence?.compactMap { constant($0, diagnostics) }
            case "pattern":
                do {
                    schema.pattern = try Pattern(value.string ?? "")
                } catch {
                    diagnostics.error(.invalidSchema, "schema: invalid pattern: \(error)", at: value.location)
                }
            case "minLength": schema.minLength = integer(value)
            case "maxLength": schema.maxLength = integer(value)
            case "minimum": schema.minimum = number(value)
            case "maximum": schema.maximum = number(value)
            case "exclusiveMinimum": schema.exclusiveMinimum = number(value)
            case "items": schema.items = compile(value, diagnostics, &unresolved)
            case "minItems": schema.minItems = integer(value)
            case "uniqueItems": schema.uniqueItems = value.scalar?.boolValue ?? false
            case "anyOf": schema.anyOf = subschemas(value)
            case "oneOf": schema.oneOf = subschemas(value)
            case "$ref":
                schema.reference = value.string
                unresolved.append((schema, value.location))
            case "$defs":
                // Compiled once by `load`, from the document's top level.
                if !isRoot {
                    diagnostics.error(.invalidSchema, "schema: $defs is supported only at the top level", at: entry.keyLocation)
                }
            default:
                if !annotations.contains(entry.key) {
                    diagnostics.error(.invalidSchema, "schema: keyword '\(entry.key)' is not supported by pipespec's schema checker", at: entry.keyLocation)
                }
            }
        }
        return schema
    }

    private static func constant(_ node: Node, _ diagnostics: DiagnosticEngine) -> JSONSchema.Constant? {
        guard let scalar = node.scalar else {
            diagnostics.error(.invalidSchema, "schema: enum values must be scalars", at: node.location)
            return nil
        }
        switch scalar.kind {
        case .string: return .string(scalar.text)
        case .int, .float: return scalar.doubleValue.map { .number($0) }
        case .bool: return .boolean(scalar.boolValue ?? false)
        case .null: return .null
        }
    }
}

extension DiagnosticID {
    static let invalidSchema = DiagnosticID("invalid-schema")
}
