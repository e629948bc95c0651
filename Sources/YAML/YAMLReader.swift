import CYAML
import Diagnostics

/// Reads one YAML document into a `Node` tree, on top of libyaml's event parser.
///
/// Beyond plain parsing it enforces what a configuration language needs: one document per
/// file, string-like keys only, no duplicate keys, only the core-schema tags, and a bound on
/// how much aliases may expand (a "billion laughs" file is an error, not an out-of-memory).
/// Merge keys (`<<: *defaults`) are applied while reading.
public struct YAMLReader {
    public struct Limits: Sendable {
        /// Nodes that aliases may add in total, counting every node of every aliased subtree.
        public var aliasExpansionBudget: Int
        /// How deeply collections may nest.
        public var maximumDepth: Int

        public init(aliasExpansionBudget: Int = 1_000_000, maximumDepth: Int = 512) {
            self.aliasExpansionBudget = aliasExpansionBudget
            self.maximumDepth = maximumDepth
        }
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Parses `bytes` (the contents of `file`). Returns `nil` after reporting to
    /// `diagnostics` when the text is not a single well-formed document.
    public func read(_ bytes: [UInt8], file: String, diagnostics: DiagnosticEngine) -> Node? {
        var builder = TreeBuilder(file: file, limits: limits, diagnostics: diagnostics)
        return builder.build(bytes)
    }
}

/// What the tree builder keeps for a collection that is still open. Items and entries are
/// plain fields, appended to in place on the stack.
private struct OpenCollection {
    let isMapping: Bool
    let location: SourceLocation
    let anchor: String?
    /// Nodes in this collection so far, counting what aliases in it expand to.
    var size = 1
    var items: [Node] = []
    var mapping = MappingInProgress()
}

private struct MappingInProgress {
    enum Problem {
        case nonScalarKey(Node, isAlias: Bool)
        case nonStringKey(Scalar, at: SourceLocation)
        case mergeValueNotMappings(Node)
        case duplicateKey(String, at: SourceLocation, first: SourceLocation)
    }

    var entries: [MappingEntry] = []
    var pendingKey: (text: String, location: SourceLocation, isMergeKey: Bool)?
    /// Keys seen, for the duplicate check.
    var keyIndex = KeyIndex()
    /// Merge sources (`<<: ...`) in the order they were written, and where the merged
    /// entries go (the position of the `<<` key among the explicit entries).
    var merges: [(sources: [Node], position: Int)] = []

    /// Takes the next node: a key, or the value of the pending key.
    mutating func add(_ node: Node, isAlias: Bool, isMergeKey: Bool) -> Problem? {
        guard let key = pendingKey else {
            guard case .scalar(let scalar) = node.content, !isAlias else { return .nonScalarKey(node, isAlias: isAlias) }
            pendingKey = (scalar.text, node.location, isMergeKey)
            return scalar.kind == .string ? nil : .nonStringKey(scalar, at: node.location)
        }
        pendingKey = nil
        if key.isMergeKey {
            switch node.content {
            case .mapping: merges.append(([node], entries.count))
            case .sequence(let items) where items.allSatisfy({ $0.mapping != nil }): merges.append((items, entries.count))
            default: return .mergeValueNotMappings(node)
            }
            return nil
        }
        if let first = keyIndex.earlierOrAdd(key.text, in: entries) {
            return .duplicateKey(key.text, at: key.location, first: entries[first].keyLocation)
        }
        entries.append(MappingEntry(key: key.text, keyLocation: key.location, value: node))
        return nil
    }

    /// The entries with merged ones inserted at the position of their `<<` key. Explicit
    /// keys win over merged ones, and earlier merge sources win over later ones, as the
    /// merge-key spec says.
    func mergedEntries() -> [MappingEntry] {
        guard !merges.isEmpty else { return entries }
        var taken = Set(entries.map(\.key))
        var result: [MappingEntry] = []
        var nextExplicit = 0
        for merge in merges {
            result.append(contentsOf: entries[nextExplicit..<merge.position])
            nextExplicit = merge.position
            for source in merge.sources {
                for entry in source.mapping ?? [] where taken.insert(entry.key).inserted {
                    result.append(entry)
                }
            }
        }
        result.append(contentsOf: entries[nextExplicit...])
        return result
    }
}

private struct TreeBuilder {
    let file: String
    let limits: YAMLReader.Limits
    let diagnostics: DiagnosticEngine

    private var stack: [OpenCollection] = []
    private var anchors: [String: (node: Node, size: Int)] = [:]
    private var aliasExpansion = 0
    private var root: Node?
    /// Set by errors after which the event stream can no longer be followed.
    private var failed = false
    /// Set by errors that leave the tree well-formed, so reading goes on to find more.
    private var hadErrors = false

    init(file: String, limits: YAMLReader.Limits, diagnostics: DiagnosticEngine) {
        self.file = file
        self.limits = limits
        self.diagnostics = diagnostics
    }

    mutating func build(_ bytes: [UInt8]) -> Node? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) != 0 else {
            diagnostics.error(.internalError, "cannot initialise the YAML parser", at: nil)
            return nil
        }
        defer { yaml_parser_delete(&parser) }

        return bytes.withUnsafeBufferPointer { buffer -> Node? in
            // libyaml reads from the buffer lazily, so it must stay alive for the whole parse.
            let base = buffer.baseAddress ?? UnsafePointer<UInt8>(bitPattern: 1)!
            yaml_parser_set_input_string(&parser, base, buffer.count)
            var documents = 0
            while !failed {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) != 0 else {
                    reportParserError(parser, in: bytes)
                    return nil
                }
                defer { yaml_event_delete(&event) }
                let location = self.location(event.start_mark)
                switch event.type {
                case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT:
                    continue
                case YAML_STREAM_END_EVENT:
                    if documents == 0 {
                        diagnostics.error(.emptyFile, "the file is empty; expected a pipeline definition", at: location)
                        return nil
                    }
                    return hadErrors ? nil : root
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        diagnostics.error(.multipleDocuments,
                            "a file may hold only one YAML document; found a second one here", at: location)
                        return nil
                    }
                case YAML_ALIAS_EVENT:
                    let name = String(cString: event.data.alias.anchor)
                    guard let anchored = anchors[name] else {
                        fail(.unknownAlias, "unknown alias '*\(name)'; anchors must be defined before they are used", at: location)
                        continue
                    }
                    aliasExpansion += anchored.size
                    if aliasExpansion > limits.aliasExpansionBudget {
                        fail(.aliasExpansionLimit,
                            "aliases expand to more than \(limits.aliasExpansionBudget) nodes; "
                                + "the file is too large once aliases are expanded", at: location)
                        continue
                    }
                    add(anchored.node, size: anchored.size, aliasedAt: location)
                case YAML_SCALAR_EVENT:
                    let scalarEvent = event.data.scalar
                    let scalar = makeScalar(scalarEvent, at: location, end: self.location(event.end_mark))
                    let node = Node(.scalar(scalar), at: location)
                    remember(anchor: scalarEvent.anchor, node: node, size: 1)
                    add(node, size: 1, isMergeKey: isMergeKey(scalarEvent, scalar))
                case YAML_SEQUENCE_START_EVENT:
                    let start = event.data.sequence_start
                    guard checkCollectionTag(start.tag, expected: "tag:yaml.org,2002:seq", at: location),
                          checkDepth(at: location)
                    else { continue }
                    stack.append(OpenCollection(isMapping: false, location: location, anchor: anchorName(start.anchor)))
                case YAML_MAPPING_START_EVENT:
                    let start = event.data.mapping_start
                    guard checkCollectionTag(start.tag, expected: "tag:yaml.org,2002:map", at: location),
                          checkDepth(at: location)
                    else { continue }
                    stack.append(OpenCollection(isMapping: true, location: location, anchor: anchorName(start.anchor)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    closeCollection()
                default:
                    continue
                }
            }
            return nil
        }
    }

    // MARK: Building

    private mutating func closeCollection() {
        let open = stack.removeLast()
        let node = Node(open.isMapping ? .mapping(open.mapping.mergedEntries()) : .sequence(open.items), at: open.location)
        if let anchor = open.anchor {
            anchors[anchor] = (node, open.size)
        }
        add(node, size: open.size)
    }

    /// Places a finished node into the collection that is open, or makes it the root.
    /// `aliasedAt` is where an alias to `node` was written: problems are reported there.
    private mutating func add(_ node: Node, size: Int, aliasedAt: SourceLocation? = nil, isMergeKey: Bool = false) {
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return
        }
        stack[top].size += size
        guard stack[top].isMapping else {
            stack[top].items.append(node)
            return
        }
        switch stack[top].mapping.add(node, isAlias: aliasedAt != nil, isMergeKey: isMergeKey) {
        case nil: break
        case .nonScalarKey(let key, let isAlias)?:
            fail(.nonStringKey, "mapping keys must be plain strings, not \(isAlias ? "aliases" : key.kindDescription)", at: aliasedAt ?? key.location)
        case .nonStringKey(let key, let location)?:
            report(.nonStringKey, "mapping keys must be strings, not \(key.kind)\(key.kind == .null ? "" : " (\(key.text))")\(Suggestions.quotingHint(key.text))", at: aliasedAt ?? location)
        case .mergeValueNotMappings(let value)?:
            report(.invalidMergeKey, "a merge key '<<' takes a mapping or a list of mappings, not \(value.kindDescription)", at: aliasedAt ?? value.location)
        case .duplicateKey(let key, let location, let first)?:
            diagnostics.error(.duplicateKey, "duplicate key '\(key)'", at: location, notes: [.init("'\(key)' was first given here", at: first)])
            hadErrors = true
        }
    }

    private mutating func remember(anchor: UnsafeMutablePointer<yaml_char_t>?, node: Node, size: Int) {
        if let name = anchorName(anchor) { anchors[name] = (node, size) }
    }

    private func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    // MARK: Scalars and tags

    /// The scalar of a scalar event. A bad tag is reported and the text kept as a string, so
    /// reading can go on.
    private mutating func makeScalar(
        _ event: yaml_event_s.__Unnamed_union_data.__Unnamed_struct_scalar, at location: SourceLocation, end: SourceLocation
    ) -> Scalar {
        let text = String(decoding: UnsafeBufferPointer(start: event.value, count: event.length), as: UTF8.self)
        let style: Scalar.Style
        switch event.style {
        case YAML_PLAIN_SCALAR_STYLE: style = .plain
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
        default: style = .block
        }
        // libyaml counts columns in Unicode scalars; so does `Scalar.location(ofOffset:in:)`.
        // A string's UTF-8 is valid: its scalars are the bytes that do not continue one.
        let quotes = style == .plain ? 0 : 2
        let scalars = text.utf8.withContiguousStorageIfAvailable { $0.count { !UTF8.isContinuation($0) } } ?? text.unicodeScalars.count
        let isVerbatim = location.line == end.line && end.column - location.column == scalars + quotes
        func scalar(_ kind: Scalar.Kind) -> Scalar { Scalar(text: text, kind: kind, style: style, isVerbatim: isVerbatim) }
        guard let tagPointer = event.tag else {
            return scalar(style == .plain ? ScalarResolution.kind(ofPlain: text) : .string)
        }
        let tag = String(cString: tagPointer)
        let kind: Scalar.Kind
        switch tag {
        case "!", "tag:yaml.org,2002:str": kind = .string
        case "tag:yaml.org,2002:int": kind = .int
        case "tag:yaml.org,2002:float": kind = .float
        case "tag:yaml.org,2002:bool": kind = .bool
        case "tag:yaml.org,2002:null": kind = .null
        default:
            report(.unknownTag, "unknown tag '\(shortTag(tag))'; only the core tags !!str, !!int, !!float, !!bool and !!null are allowed", at: location)
            return scalar(.string)
        }
        // An integer is also a valid float.
        let resolved = ScalarResolution.kind(ofPlain: text)
        if kind != .string, kind != resolved, !(kind == .float && resolved == .int) {
            report(.invalidTaggedValue, "'\(text)' is not a valid \(shortTag(tag)) value", at: location)
            return scalar(.string)
        }
        return scalar(kind)
    }

    private func isMergeKey(_ event: yaml_event_s.__Unnamed_union_data.__Unnamed_struct_scalar, _ scalar: Scalar) -> Bool {
        event.style == YAML_PLAIN_SCALAR_STYLE && event.tag == nil && scalar.text == "<<"
    }

    private mutating func checkCollectionTag(_ tagPointer: UnsafeMutablePointer<yaml_char_t>?, expected: String, at location: SourceLocation) -> Bool {
        guard let tagPointer else { return true }
        let tag = String(cString: tagPointer)
        if tag == expected || tag == "!" { return true }
        fail(.unknownTag, "unknown tag '\(shortTag(tag))' on a collection", at: location)
        return false
    }

    private mutating func checkDepth(at location: SourceLocation) -> Bool {
        guard stack.count < limits.maximumDepth else {
            fail(.nestingTooDeep, "collections nest more than \(limits.maximumDepth) levels deep", at: location)
            return false
        }
        return true
    }

    private func shortTag(_ tag: String) -> String {
        let prefix = "tag:yaml.org,2002:"
        return tag.hasPrefix(prefix) ? "!!" + tag.dropFirst(prefix.count) : tag
    }

    // MARK: Errors

    private mutating func fail(_ id: DiagnosticID, _ message: String, at location: SourceLocation) {
        diagnostics.error(id, message, at: location)
        failed = true
    }

    private mutating func report(_ id: DiagnosticID, _ message: String, at location: SourceLocation) {
        diagnostics.error(id, message, at: location)
        hadErrors = true
    }

    private func location(_ mark: yaml_mark_t) -> SourceLocation {
        SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private func reportParserError(_ parser: yaml_parser_t, in bytes: [UInt8]) {
        if parser.error == YAML_READER_ERROR {
            reportEncodingError(parser, in: bytes)
            return
        }
        let location = location(parser.problem_mark)
        if character(atLine: location.line, column: location.column, in: bytes) == "\t" {
            diagnostics.error(.tabIndent, "a tab cannot indent YAML; indent with spaces", at: location)
            return
        }
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        var notes: [Diagnostic.Note] = []
        if let context = parser.context, self.location(parser.context_mark) != location {
            notes.append(.init(String(cString: context), at: self.location(parser.context_mark)))
        }
        diagnostics.error(.yamlSyntax, "invalid YAML: \(problem)", at: location, notes: notes)
    }

    /// libyaml's reader (invalid UTF-8, NUL and control characters) gives a byte offset, not a
    /// line and column: they are counted here, columns in characters as everywhere else.
    private func reportEncodingError(_ parser: yaml_parser_t, in bytes: [UInt8]) {
        var offset = min(Int(parser.problem_offset), bytes.count)
        let problem = parser.problem.map { String(cString: $0) } ?? "unreadable text"
        if problem.contains("trailing"), offset > 0 {
            // libyaml points at the byte that should have continued a sequence: report the
            // sequence's first byte.
            offset -= 1
            while offset > 0, bytes[offset] & 0xC0 == 0x80 { offset -= 1 }
        }
        let lineStart = bytes[..<offset].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let line = bytes[..<offset].count { $0 == UInt8(ascii: "\n") } + 1
        // Characters before the offset on its line; the line up to there is valid UTF-8.
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        let location = SourceLocation(file: file, line: line, column: column)
        let value = Int(parser.problem_value)
        let message: String
        if problem.contains("control characters") || problem.contains("NUL") {
            let hex = String(value, radix: 16, uppercase: true)
            message = "control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex) is not allowed in YAML; write it as an escape in a double-quoted string"
        } else if value >= 0, value <= 0xFF, offset < bytes.count {
            message = "invalid UTF-8 at byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) (\(problem)); save the file as UTF-8"
        } else {
            message = "invalid UTF-8 (\(problem)); save the file as UTF-8"
        }
        diagnostics.error(.invalidEncoding, message, at: location)
    }

    /// The character at a 1-based line and column of the file.
    private func character(atLine line: Int, column: Int, in bytes: [UInt8]) -> Character? {
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        guard line - 1 < lines.count else { return nil }
        let text = String(decoding: lines[line - 1], as: UTF8.self)
        guard column - 1 < text.count else { return nil }
        return text[text.index(text.startIndex, offsetBy: column - 1)]
    }
}

extension DiagnosticID {
    static let internalError = DiagnosticID("internal-error")
    static let emptyFile = DiagnosticID("empty-file")
    static let multipleDocuments = DiagnosticID("multiple-documents")
    static let unknownAlias = DiagnosticID("unknown-alias")
    static let aliasExpansionLimit = DiagnosticID("alias-expansion-limit")
    static let invalidMergeKey = DiagnosticID("invalid-merge-key")
    static let invalidTaggedValue = DiagnosticID("invalid-tagged-value")
    static let nonStringKey = DiagnosticID("non-string-key")
    static let duplicateKey = DiagnosticID("duplicate-key")
    static let unknownTag = DiagnosticID("unknown-tag")
    static let nestingTooDeep = DiagnosticID("nesting-too-deep")
    static let tabIndent = DiagnosticID("tab-indent")
    static let yamlSyntax = DiagnosticID("yaml-syntax")
    static let invalidEncoding = DiagnosticID("invalid-encoding")
}
