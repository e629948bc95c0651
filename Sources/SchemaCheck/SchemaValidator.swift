import Diagnostics
import YAML

/// Checks a YAML node tree against a JSON schema and reports every violation with its
/// location, its path in the document (`tasks.train.retry.max_retries`) and what was expected.
package struct SchemaValidator {
    package let schema: JSONSchema

    package init(schema: JSONSchema) {
        self.schema = schema
    }

    /// Returns whether `document` conforms; violations go to `diagnostics`.
    @discardableResult
    package func validate(_ document: Node, diagnostics: DiagnosticEngine) -> Bool {
        check(document, diagnostics: diagnostics).isValid
    }

    /// Checks `document`, reporting violations to `diagnostics`, and says where they are.
    package func check(_ document: Node, diagnostics: DiagnosticEngine) -> SchemaCheckResult {
        let places = ViolationPlaces()
        var run = ValidationRun(reporting: diagnostics, probes: ProbeResults(), places: places)
        let isValid = run.check(document, schema)
        return SchemaCheckResult(isValid: isValid, violatedEntries: places.isComplete ? places.entries : nil)
    }
}

/// What a schema check found.
package struct SchemaCheckResult {
    package let isValid: Bool
    /// Where the violations are, as the first two keys of their paths: `["tasks", "train"]`
    /// for anything within the task `train`, `["name"]` for the top-level `name`, `[]` for
    /// the document itself. `nil` when they are in too many places to list.
    package let violatedEntries: Set<[String]>?
}

/// The entries violations were reported in, collected across the checks of one document, up
/// to a limit: a file of a million mistakes is not worth the list.
private final class ViolationPlaces {
    static let limit = 1000
    private(set) var entries: Set<[String]> = []
    private(set) var isComplete = true
    private var last: [String]?

    func insert(_ entry: [String]) {
        guard isComplete, entry != last else { return }
        last = entry
        entries.insert(entry)
        if entries.count > Self.limit { (entries, isComplete) = ([], false) }
    }
}

/// Whether a node fits a branch of anyOf/oneOf, remembered for the whole validation: a branch
/// is probed again whenever a failing ancestor's branches are probed, which without this
/// grows exponentially with the nesting of branches. A collection is known by where it starts
/// and its size (scalars are not remembered).
private final class ProbeResults {
    struct Key: Hashable {
        let line: Int
        let column: Int
        /// The number of items or entries, negative for a sequence.
        let shape: Int
        let schema: ObjectIdentifier

        init(_ node: Node, _ schema: JSONSchema) {
            line = node.location.line
            column = node.location.column
            switch node.content {
            case .scalar: shape = 0
            case .sequence(let items): shape = -1 - items.count
            case .mapping(let entries): shape = entries.count
            }
            self.schema = ObjectIdentifier(schema)
        }
    }

    var results: [Key: Bool] = [:]
}

private struct ValidationRun {
    /// `nil` while probing a branch of anyOf/oneOf: then the first failure ends the check.
    let reporting: DiagnosticEngine?
    let probes: ProbeResults
    /// Where reported violations are; `nil` while probing.
    let places: ViolationPlaces?
    private var path: [PathSegment] = []
    /// The title of the anyOf/oneOf whose branch is being checked, for branches without a
    /// title of their own ("a CPU amount such as 2 or 500m" rather than a raw pattern).
    private var inheritedTitle: String?

    init(reporting: DiagnosticEngine?, probes: ProbeResults, places: ViolationPlaces? = nil) {
        self.reporting = reporting
        self.probes = probes
        self.places = places
    }

    private enum PathSegment {
        case key(String)
        case index(Int)
    }

    // MARK: Checking

    mutating func check(_ node: Node, _ schemaOrReference: JSONSchema) -> Bool {
        let schema = schemaOrReference.target
        if let scalar = node.scalar, let problem = Self.numberProblem(scalar) {
            return fail(.schemaNumber, problem, at: node.location)
        }
        if let types = schema.types, !types.contains(where: { Self.instance(node, is: $0) }) {
            return fail(.schemaType, "expected \(schemaOrReference.expectation), got \(Self.describe(node))", at: node.location, suggestion: quoting(node, schemaOrReference))
        }
        var valid = true
        if let values = schema.enumValues, !values.contains(where: { Self.instance(node, equals: $0) }) {
            let names = values.compactMap { if case .string(let text) = $0 { return text } else { return nil } }
            valid = fail(.schemaEnum, "expected \(schemaOrReference.expectation), got \(Self.describe(node))", at: node.location,
                         suggestion: node.string.map { Suggestions.suggestion(for: $0, at: node.location, in: names) })
        }
        switch node.content {
        case .scalar(let scalar):
            valid = checkScalar(scalar, node, schemaOrReference) && valid
        case .mapping(let entries):
            valid = checkMapping(entries, node, schema) && valid
        case .sequence(let items):
            valid = checkSequence(items, node, schema) && valid
        }
        guard valid || reporting != nil else { return false }
        if !schema.anyOf.isEmpty, !schema.anyOf.contains(where: { probe(node, $0) }) {
            valid = reportBestBranch(node, schemaOrReference, branches: schema.anyOf) && valid
        }
        if !schema.oneOf.isEmpty {
            let matching = schema.oneOf.filter { probe(node, $0) }
            if matching.isEmpty {
                valid = reportBestBranch(node, schemaOrReference, branches: schema.oneOf) && valid
            } else if matching.count > 1 {
                valid = fail(.schemaAmbiguous, "ambiguous: matches both \(matching.map(\.expectation).joined(separator: " and "))", at: node.location) && valid
            }
        }
        return valid
    }

    private mutating func checkScalar(_ scalar: Scalar, _ node: Node, _ schemaOrReference: JSONSchema) -> Bool {
        let schema = schemaOrReference.target
        var valid = true
        if scalar.kind == .string {
            let length = scalar.text.count
            if let minimum = schema.minLength, length < minimum {
                valid = fail(.schemaLength, minimum == 1 ? "expected a non-empty string" : "expected at least \(minimum) characters, got \(length)", at: node.location)
            }
            if let maximum = schema.maxLength, length > maximum {
                valid = fail(.schemaLength, "expected at most \(maximum) characters, got \(length)", at: node.location) && valid
            }
            if let pattern = schema.pattern, !pattern.matches(scalar.text) {
                let expected = schemaOrReference.title ?? schema.title ?? inheritedTitle ?? "a string matching \(pattern.source)"
                valid = fail(.schemaPattern, "expected \(expected), got '\(Self.printable(scalar.text))'", at: node.location) && valid
            }
        }
        if let number = scalar.doubleValue {
            if let minimum = schema.minimum, number < minimum {
                valid = fail(.schemaRange, "expected a value of at least \(JSONSchema.format(minimum)), got \(scalar.text)", at: node.location) && valid
            }
            if let maximum = schema.maximum, number > maximum {
                valid = fail(.schemaRange, "expected a value of at most \(JSONSchema.format(maximum)), got \(scalar.text)", at: node.location) && valid
            }
            if let minimum = schema.exclusiveMinimum, number <= minimum {
                valid = fail(.schemaRange, "expected a value greater than \(JSONSchema.format(minimum)), got \(scalar.text)", at: node.location) && valid
            }
        }
        return valid
    }

    private mutating func checkMapping(_ entries: [MappingEntry], _ node: Node, _ schema: JSONSchema) -> Bool {
        var valid = true
        for key in schema.required where !entries.contains(where: { $0.key == key }) {
            valid = fail(.schemaMissingKey, "missing required key '\(key)'", at: node.location) && valid
            if reporting == nil { return false }
        }
        if let minimum = schema.minProperties, entries.count < minimum {
            valid = fail(.schemaEntryCount, minimum == 1 ? "expected at least one entry" : "expected at least \(minimum) entries", at: node.location) && valid
        }
        for entry in entries {
            if let names = schema.propertyNames, !probe(Node(.scalar(Scalar(text: entry.key, kind: .string)), at: entry.keyLocation), names) {
                valid = fail(.schemaInvalidKey, "invalid key '\(entry.key)': expected \(names.expectation)", at: entry.keyLocation) && valid
                if reporting == nil { return false }
                continue
            }
            let propertySchema: JSONSchema
            if let declared = schema.properties[entry.key] {
                propertySchema = declared
            } else {
                switch schema.additionalProperties {
                case .allowed: continue
                case .schema(let additional): propertySchema = additional
                case .forbidden:
                    valid = fail(.schemaUnknownKey, "unknown key '\(entry.key)'\(Self.knownKeysHint(entry.key, schema))", at: entry.keyLocation,
                                 suggestion: Suggestions.suggestion(for: entry.key, at: entry.keyLocation, in: schema.properties.keys)) && valid
                    if reporting == nil { return false }
                    continue
                }
            }
            valid = descend(into: .key(entry.key)) { $0.check(entry.value, propertySchema) } && valid
            if !valid, reporting == nil { return false }
        }
        return valid
    }

    private mutating func checkSequence(_ items: [Node], _ node: Node, _ schema: JSONSchema) -> Bool {
        var valid = true
        if let minimum = schema.minItems, items.count < minimum {
            valid = fail(.schemaItemCount, minimum == 1 ? "expected a non-empty list" : "expected at least \(minimum) items", at: node.location)
        }
        if schema.uniqueItems {
            var seen: [String: SourceLocation] = [:]
            for item in items {
                // Numbers compare by value: 1, 1.0 and 0x1 are the same item.
                guard let key = item.scalar.map({ scalar in scalar.doubleValue.map { "number:\($0)" } ?? "\(scalar.kind):\(scalar.text)" }) else { continue }
                if seen[key] != nil {
                    valid = fail(.schemaDuplicateItem, "'\(item.scalar!.text)' is listed more than once", at: item.location) && valid
                } else {
                    seen[key] = item.location
                }
            }
        }
        if let itemSchema = schema.items {
            for (index, item) in items.enumerated() {
                valid = descend(into: .index(index)) { $0.check(item, itemSchema) } && valid
                if !valid, reporting == nil { return false }
            }
        }
        return valid
    }

    /// Checks a child under `segment` of the path; titles inherited from a branch stop here.
    private mutating func descend(into segment: PathSegment, _ body: (inout ValidationRun) -> Bool) -> Bool {
        let saved = inheritedTitle
        path.append(segment)
        inheritedTitle = nil
        let valid = body(&self)
        inheritedTitle = saved
        path.removeLast()
        return valid
    }

    // MARK: anyOf / oneOf

    private func probe(_ node: Node, _ schema: JSONSchema) -> Bool {
        // A scalar's check is cheaper than remembering it: only collections nest.
        if node.scalar != nil {
            var run = ValidationRun(reporting: nil, probes: probes)
            return run.check(node, schema)
        }
        let key = ProbeResults.Key(node, schema)
        if let known = probes.results[key] { return known }
        var run = ValidationRun(reporting: nil, probes: probes)
        let fits = run.check(node, schema)
        probes.results[key] = fits
        return fits
    }

    /// When no branch fits, reports the errors of the branch the author most likely meant:
    /// the one whose type fits and whose required keys are present (or, failing that, which
    /// knows most of the node's keys, counting near misses such as `use` for `uses`). When
    /// the required keys of several branches are present, they cannot be combined.
    private mutating func reportBestBranch(_ node: Node, _ whole: JSONSchema, branches: [JSONSchema]) -> Bool {
        var candidates = branches.filter { Self.typeFits(node, $0) }
        if let entries = node.mapping, candidates.count > 1 {
            let keys = Set(entries.map(\.key))
            let withRequired = candidates.filter { !$0.target.required.isEmpty && $0.target.required.allSatisfy(keys.contains) }
            if withRequired.count > 1 {
                let combined = withRequired.flatMap(\.target.required).filter(keys.contains).map { "'\($0)'" }
                return fail(.schemaExclusiveKeys, "\(combined.joined(separator: " and ")) cannot be given together: expected \(withRequired.map(\.expectation).joined(separator: " or "))", at: node.location)
            }
            if !withRequired.isEmpty {
                candidates = withRequired
            } else {
                let known = candidates.map { branch in
                    keys.count { branch.target.properties[$0] != nil || Suggestions.closest(to: $0, in: branch.target.properties.keys) != nil }
                }
                if let best = known.max(), best > 0, known.count(where: { $0 == best }) == 1 {
                    candidates = [candidates[known.firstIndex(of: best)!]]
                }
            }
        }
        if candidates.count == 1 {
            let saved = inheritedTitle
            inheritedTitle = candidates[0].target.title == nil ? whole.title ?? whole.target.title : nil
            defer { inheritedTitle = saved }
            return check(node, candidates[0])
        }
        let expected = (candidates.isEmpty ? branches : candidates).map(\.expectation).joined(separator: " or ")
        return fail(.schemaType, "expected \(expected), got \(Self.describe(node))", at: node.location,
                    suggestion: node.string.map { Suggestions.suggestion(for: $0, at: node.location, in: Self.enumStrings(in: candidates)) })
    }

    private static func typeFits(_ node: Node, _ schema: JSONSchema) -> Bool {
        guard let types = effectiveTypes(schema) else { return true }
        return types.contains { instance(node, is: $0) }
    }

    /// The types a schema can accept, looking through `$ref`, `enum` and nested branches;
    /// `nil` when it accepts any type.
    private static func effectiveTypes(_ schemaOrReference: JSONSchema) -> Set<JSONSchema.InstanceType>? {
        let schema = schemaOrReference.target
        if let types = schema.types { return Set(types) }
        if let values = schema.enumValues {
            return Set(values.map { value -> JSONSchema.InstanceType in
                switch value {
                case .string: return .string
                case .number: return .number
                case .boolean: return .boolean
                case .null: return .null
                }
            })
        }
        let branches = schema.anyOf.isEmpty ? schema.oneOf : schema.anyOf
        guard !branches.isEmpty else { return nil }
        var union = Set<JSONSchema.InstanceType>()
        for branch in branches {
            guard let types = effectiveTypes(branch) else { return nil }
            union.formUnion(types)
        }
        return union
    }

    private static func enumStrings(in schemas: [JSONSchema]) -> [String] {
        schemas.flatMap { schemaOrReference -> [String] in
            let schema = schemaOrReference.target
            let own = (schema.enumValues ?? []).compactMap { if case .string(let text) = $0 { return text } else { return nil } }
            return own + enumStrings(in: schema.anyOf + schema.oneOf)
        }
    }

    // MARK: Instances

    private static func instance(_ node: Node, is type: JSONSchema.InstanceType) -> Bool {
        switch (node.content, type) {
        case (.mapping, .object), (.sequence, .array): return true
        case (.scalar(let scalar), _):
            switch (scalar.kind, type) {
            case (.string, .string), (.int, .integer), (.int, .number), (.float, .number), (.bool, .boolean), (.null, .null):
                return true
            default: return false
            }
        default: return false
        }
    }

    private static func instance(_ node: Node, equals constant: JSONSchema.Constant) -> Bool {
        guard let scalar = node.scalar else { return false }
        switch (constant, scalar.kind) {
        case (.string(let text), .string): return scalar.text == text
        case (.number(let number), .int), (.number(let number), .float): return scalar.doubleValue == number
        case (.boolean(let flag), .bool): return scalar.boolValue == flag
        case (.null, .null): return true
        default: return false
        }
    }

    private static func describe(_ node: Node) -> String {
        guard let scalar = node.scalar else { return node.kindDescription }
        switch scalar.kind {
        case .string: return "'\(printable(scalar.text))'"
        case .null: return "null"
        default: return "\(scalar.kind) (\(scalar.text))"
        }
    }

    /// A YAML number or boolean where a string was expected is usually missing its quotes.
    /// "Write it in quotes" for a number or boolean where a string is expected, when the
    /// quoted text would be accepted (`30` for a duration would still not be).
    /// Quotes for a number or boolean that would be valid as a string.
    private func quoting(_ node: Node, _ schema: JSONSchema) -> Suggestion? {
        guard let scalar = node.scalar, scalar.kind != .string, scalar.kind != .null,
              probe(Node(.scalar(Scalar(text: scalar.text, kind: .string)), at: node.location), schema)
        else { return nil }
        return Suggestions.quoting(scalar.text, at: node.location)
    }

    /// JSON holds neither `.inf` nor `.nan`, nor, in pipespec's output, integers beyond
    /// 64 bits; a schema's `number` or `integer` cannot mean them.
    private static func numberProblem(_ scalar: Scalar) -> String? {
        switch scalar.kind {
        case .float where !(scalar.doubleValue?.isFinite ?? false):
            return "\(scalar.text) is not a finite number, which JSON cannot hold"
        case .int where scalar.intValue == nil:
            return "the integer \(scalar.text) is too large"
        default:
            return nil
        }
    }

    /// Text for a message, with control characters escaped so one diagnostic stays one line.
    private static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return text }
        return text.unicodeScalars.map { scalar -> String in
            switch scalar {
            case "\n": return "\\n"
            case "\t": return "\\t"
            case "\r": return "\\r"
            case _ where scalar.value < 0x20: return "\\u{\(String(scalar.value, radix: 16))}"
            default: return String(scalar)
            }
        }.joined()
    }

    // MARK: Reporting

    /// Records a violation (unless probing) and returns `false`, so checks can chain.
    /// `message` and `suggestion` are worked out only when the engine will keep the report.
    private func fail(
        _ id: DiagnosticID, _ message: @autoclosure () -> String, at location: SourceLocation, suggestion: @autoclosure () -> Suggestion? = nil
    ) -> Bool {
        guard let reporting else { return false }
        if let places, places.isComplete { places.insert(entryPath) }
        var suggested: Suggestion?? = nil
        func worked() -> Suggestion? {
            if suggested == nil { suggested = .some(suggestion()) }
            return suggested!
        }
        reporting.error(id, pathPrefix + message() + (worked()?.phrase ?? ""), at: location, fixIts: worked()?.fixIts ?? [])
        return false
    }

    /// The keys allowed, when none is close to the unknown one.
    private static func knownKeysHint(_ key: String, _ schema: JSONSchema) -> String {
        let known = schema.properties.keys.sorted()
        return Suggestions.closest(to: key, in: known) == nil ? "; expected one of: " + known.joined(separator: ", ") : ""
    }

    /// The first two keys of the path, up to an index: the entry a violation is in.
    private var entryPath: [String] {
        var keys: [String] = []
        for segment in path.prefix(2) {
            guard case .key(let key) = segment else { break }
            keys.append(key)
        }
        return keys
    }

    private var pathPrefix: String {
        guard !path.isEmpty else { return "" }
        var text = ""
        for segment in path {
            switch segment {
            case .index(let index): text += "[\(index)]"
            case .key(let key):
                let plain = key.utf8.allSatisfy { byte in
                    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                        || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                }
                let quoted = key.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
                text += plain ? (text.isEmpty ? key : "." + key) : "[\"\(quoted)\"]"
            }
        }
        return text + ": "
    }
}

extension DiagnosticID {
    static let schemaNumber = DiagnosticID("schema-number")
    static let schemaType = DiagnosticID("schema-type")
    static let schemaEnum = DiagnosticID("schema-enum")
    static let schemaAmbiguous = DiagnosticID("schema-ambiguous")
    static let schemaLength = DiagnosticID("schema-length")
    static let schemaPattern = DiagnosticID("schema-pattern")
    static let schemaRange = DiagnosticID("schema-range")
    static let schemaMissingKey = DiagnosticID("schema-missing-key")
    static let schemaEntryCount = DiagnosticID("schema-entry-count")
    static let schemaInvalidKey = DiagnosticID("schema-invalid-key")
    static let schemaUnknownKey = DiagnosticID("schema-unknown-key")
    static let schemaItemCount = DiagnosticID("schema-item-count")
    static let schemaDuplicateItem = DiagnosticID("schema-duplicate-item")
    static let schemaExclusiveKeys = DiagnosticID("schema-exclusive-keys")
}
