import Diagnostics
import Testing
import YAML

/// The outcome of reading one YAML text.
struct ReadResult {
    let node: Node?
    let engine: DiagnosticEngine

    /// Every diagnostic with its notes, rendered as `file:line:col: severity: message`.
    var rendered: [String] { engine.sorted.map(\.description) }
}

let file = "test.yaml"

func read(_ text: String, limits: YAMLReader.Limits = YAMLReader.Limits()) -> ReadResult {
    let engine = DiagnosticEngine()
    let node = YAMLReader(limits: limits).read(Array(text.utf8), file: file, diagnostics: engine)
    return ReadResult(node: node, engine: engine)
}

/// Reads text that must be valid and returns its root.
func readValid(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Node {
    let result = read(text)
    #expect(result.rendered == [], sourceLocation: sourceLocation)
    return try #require(result.node, sourceLocation: sourceLocation)
}

func at(_ line: Int, _ column: Int) -> Diagnostics.SourceLocation {
    Diagnostics.SourceLocation(file: file, line: line, column: column)
}

// MARK: - Locations

@Suite struct LocationTests {
    static let document = """
        name: demo
        tasks:
          train:
            uses: trainer
            after: [prepare, split]
          list:
            - first
            - key: value
              other: 2
        """

    @Test func topLevelKeysAndValuesKeepTheirPositions() throws {
        let root = try readValid(Self.document)
        let name = try #require(root.entry("name"))
        #expect(name.keyLocation == at(1, 1))
        #expect(name.value.location == at(1, 7))
        #expect(root.entry("tasks")?.keyLocation == at(2, 1))
    }

    @Test func nestedMappingKeysKeepTheirPositions() throws {
        let root = try readValid(Self.document)
        let train = try #require(root["tasks"]?.entry("train"))
        #expect(train.keyLocation == at(3, 3))
        let uses = try #require(train.value.entry("uses"))
        #expect(uses.keyLocation == at(4, 5))
        #expect(uses.value.location == at(4, 11))
        #expect(uses.value.string == "trainer")
        #expect(train.value.entry("after")?.keyLocation == at(5, 5))
    }

    @Test func flowSequenceItemsKeepTheirPositions() throws {
        let root = try readValid(Self.document)
        let after = try #require(root["tasks"]?["train"]?["after"])
        #expect(after.location == at(5, 12))
        let items = try #require(after.sequence)
        #expect(items.map(\.string) == ["prepare", "split"])
        #expect(items.map(\.location) == [at(5, 13), at(5, 22)])
    }

    @Test func blockSequenceItemsKeepTheirPositions() throws {
        let root = try readValid(Self.document)
        let items = try #require(root["tasks"]?["list"]?.sequence)
        #expect(items.count == 2)
        #expect(items[0].location == at(7, 7))
        #expect(items[1].location == at(8, 7))
        let other = try #require(items[1].entry("other"))
        #expect(items[1].entry("key")?.keyLocation == at(8, 7))
        #expect(other.keyLocation == at(9, 7))
        #expect(other.value.location == at(9, 14))
        #expect(other.value.scalar?.intValue == 2)
    }

    @Test func everyLocationNamesTheFile() throws {
        let root = try readValid(Self.document)
        var files: Set<String> = []
        func visit(_ node: Node) {
            files.insert(node.location.file)
            switch node.content {
            case .scalar: break
            case .sequence(let items): items.forEach(visit)
            case .mapping(let entries):
                for entry in entries {
                    files.insert(entry.keyLocation.file)
                    visit(entry.value)
                }
            }
        }
        visit(root)
        #expect(files == [file])
    }

    @Test func columnsCountCharactersNotBytes() throws {
        let root = try readValid("ключ: значение\nnext: [é, ü]\n")
        #expect(root.entry("ключ")?.value.location == at(1, 7))
        #expect(root["next"]?.sequence?.map(\.location) == [at(2, 8), at(2, 11)])
    }

    @Test func quotedScalarsStartAtTheirOpeningQuote() throws {
        let root = try readValid("a: 'single'\nb: \"double\"\n")
        #expect(root["a"]?.location == at(1, 4))
        #expect(root["b"]?.location == at(2, 4))
        #expect(root["a"]?.scalar?.style == .singleQuoted)
        #expect(root["b"]?.scalar?.style == .doubleQuoted)
    }
}

// MARK: - Errors about the document as a whole

@Suite struct DocumentErrorTests {
    @Test(arguments: ["", "# only a comment\n"])
    func anEmptyFileIsAnError(text: String) {
        let result = read(text)
        #expect(result.node == nil)
        #expect(result.engine.diagnostics.map(\.message) == ["the file is empty; expected a pipeline definition"])
        #expect(result.engine.diagnostics.first?.location?.file == file)
    }

    @Test func anEmptyFileIsReportedAtItsStart() {
        #expect(read("").rendered == ["test.yaml:1:1: error: the file is empty; expected a pipeline definition"])
    }

    @Test func aSecondDocumentIsReportedWhereItStarts() {
        let result = read("a: 1\n---\nb: 2\n")
        #expect(result.node == nil)
        #expect(result.rendered == ["test.yaml:2:1: error: a file may hold only one YAML document; found a second one here"])
    }

    @Test func aSecondExplicitDocumentIsReportedWhereItStarts() {
        let result = read("---\na: 1\n...\n---\nb: 2\n")
        #expect(result.node == nil)
        #expect(result.rendered == ["test.yaml:4:1: error: a file may hold only one YAML document; found a second one here"])
    }

    @Test func oneExplicitDocumentIsFine() throws {
        let root = try readValid("---\na: 1\n...\n")
        #expect(root["a"]?.scalar?.intValue == 1)
    }

    @Test(arguments: [
        // An unclosed flow sequence: libyaml names the problem and where the sequence began.
        ("a: [1, 2\nb: 3\n", [
            "test.yaml:2:2: error: invalid YAML: did not find expected ',' or ']'",
            "test.yaml:1:4: note: while parsing a flow sequence",
        ]),
        ("a: b: c\n", ["test.yaml:1:5: error: invalid YAML: mapping values are not allowed in this context"]),
        // A tab where indentation is expected gets a message of its own.
        ("a:\n\tb: 1\n", ["test.yaml:2:1: error: a tab cannot indent YAML; indent with spaces"]),
        ("a: 1\n@b: 2\n", [
            "test.yaml:2:1: error: invalid YAML: found character that cannot start any token",
        ]),
        ("a: 'open\n", [
            "test.yaml:2:1: error: invalid YAML: found unexpected end of stream",
            "test.yaml:1:4: note: while scanning a quoted scalar",
        ]),
    ])
    func invalidSyntaxReportsLibyamlsProblemAndContext(text: String, expected: [String]) {
        let result = read(text)
        #expect(result.node == nil)
        #expect(result.engine.diagnostics.count == 1)
        #expect(result.rendered.flatMap { $0.split(separator: "\n").map(String.init) } == expected)
    }

    @Test func nonScalarKeysAreRejected() {
        let result = read("? [a, b]\n: 1\n")
        #expect(result.node == nil)
        #expect(result.rendered == ["test.yaml:1:3: error: mapping keys must be plain strings, not a list"])
    }

    @Test func mappingKeysAreRejected() {
        let result = read("ok: 1\n? {a: 1}\n: 2\n")
        #expect(result.node == nil)
        #expect(result.rendered == ["test.yaml:2:3: error: mapping keys must be plain strings, not a mapping"])
    }

    @Test func aliasKeysAreRejected() {
        let result = read("base: &k key\n*k : 1\n")
        #expect(result.node == nil)
        // Only the message: the location is that of the anchored scalar, not of the alias.
        #expect(result.engine.diagnostics.map(\.message) == ["mapping keys must be plain strings, not aliases"])
    }

    @Test func collectionsMayNotNestPastTheDepthLimit() {
        let result = read("a:\n  b:\n    c: [1]\n", limits: YAMLReader.Limits(maximumDepth: 3))
        #expect(result.node == nil)
        #expect(result.rendered == ["test.yaml:3:8: error: collections nest more than 3 levels deep"])
        // The same document is fine one level up.
        #expect(read("a:\n  b:\n    c: [1]\n", limits: YAMLReader.Limits(maximumDepth: 4)).node != nil)
    }
}

// MARK: - Duplicate keys

@Suite struct DuplicateKeyTests {
    @Test func aDuplicateIsReportedAtTheSecondKeyWithANoteAtTheFirst() {
        let result = read("a: 1\nb: 2\na: 3\n")
        #expect(result.node == nil)
        #expect(result.rendered == ["test.yaml:3:1: error: duplicate key 'a'\ntest.yaml:1:1: note: 'a' was first given here"])
        let diagnostic = result.engine.diagnostics.first
        #expect(diagnostic?.location == at(3, 1))
        #expect(diagnostic?.notes == [Diagnostic.Note("'a' was first given here", at: at(1, 1))])
    }

    @Test func quotingDoesNotMakeAKeyDifferent() {
        let result = read("key: 1\n\"key\": 2\n")
        #expect(result.rendered == ["test.yaml:2:1: error: duplicate key 'key'\ntest.yaml:1:1: note: 'key' was first given here"])
    }

    @Test func duplicatesInNestedMappingsAreFoundAndReadingGoesOn() {
        let result = read("outer:\n  x: 1\n  x: 2\nother: {y: 1, y: 2}\n")
        #expect(result.node == nil)
        #expect(result.rendered == [
            "test.yaml:3:3: error: duplicate key 'x'\ntest.yaml:2:3: note: 'x' was first given here",
            "test.yaml:4:15: error: duplicate key 'y'\ntest.yaml:4:9: note: 'y' was first given here",
        ])
    }

    @Test func theSameKeyInDifferentMappingsIsFine() throws {
        let root = try readValid("a: {x: 1}\nb: {x: 2}\n")
        #expect(root["b"]?["x"]?.scalar?.intValue == 2)
    }

    /// Mappings of 12 keys or more look keys up through an index, which grows as they do; the
    /// check must not change across the threshold or a growth, whichever earlier key is repeated.
    @Test(arguments: [1, 11, 12, 13, 14, 40, 100, 3000], [0, 57, -1])
    func duplicatesAreFoundInMappingsOfAnySize(size: Int, repeated: Int) throws {
        let keys = (0..<size).map { "key\($0)" }
        let repeatedIndex = repeated < 0 ? size - 1 : min(repeated, size - 1)
        let lines = keys.map { "\($0): v" } + ["\(keys[repeatedIndex]): again"]
        let result = read(lines.joined(separator: "\n") + "\n")
        #expect(result.node == nil)
        let name = keys[repeatedIndex]
        #expect(result.rendered == [
            "test.yaml:\(size + 1):1: error: duplicate key '\(name)'\ntest.yaml:\(repeatedIndex + 1):1: note: '\(name)' was first given here",
        ])
    }

    @Test(arguments: [11, 12, 13, 30])
    func largeMappingsWithoutDuplicatesKeepEveryKeyInOrder(size: Int) throws {
        let keys = (0..<size).map { "k\($0)" }
        let root = try readValid(keys.enumerated().map { "\($1): \($0)" }.joined(separator: "\n"))
        #expect(root.mapping?.map(\.key) == keys)
        #expect(root["k\(size - 1)"]?.scalar?.intValue == size - 1)
        #expect(root.entry("k\(size - 1)")?.keyLocation == at(size, 1))
    }
}

// MARK: - Anchors, aliases and their budget

@Suite struct AliasTests {
    @Test func aliasesExpandToTheAnchoredNode() throws {
        let root = try readValid("""
            base: &b
              x: 1
              y: [a, b]
            copy: *b
            name: &n hello
            again: *n
            """)
        let copy = try #require(root["copy"])
        #expect(copy.mapping?.map(\.key) == ["x", "y"])
        #expect(copy["y"]?.sequence?.map(\.string) == ["a", "b"])
        // An alias stands for the anchored node, so its parts keep the anchor's locations.
        #expect(copy.entry("x")?.keyLocation == at(2, 3))
        #expect(root["again"]?.string == "hello")
        #expect(root["again"]?.location == at(5, 7))
    }

    @Test(arguments: [
        ("a: *nope\n", "test.yaml:1:4: error: unknown alias '*nope'; anchors must be defined before they are used"),
        ("a: *later\nb: &later 1\n", "test.yaml:1:4: error: unknown alias '*later'; anchors must be defined before they are used"),
        // An anchor is defined once its collection is complete, so it cannot contain itself.
        ("a: &loop [*loop]\n", "test.yaml:1:11: error: unknown alias '*loop'; anchors must be defined before they are used"),
    ])
    func unknownAliasesAreErrors(text: String, expected: String) {
        let result = read(text)
        #expect(result.node == nil)
        #expect(result.rendered == [expected])
    }

    /// `l0` is a list of ten strings, each further level a list of ten aliases of the
    /// previous one: level n stands for 10^(n+1) strings.
    static func billionLaughs(levels: Int) -> String {
        var lines = ["l0: &l0 [" + Array(repeating: "lol", count: 10).joined(separator: ", ") + "]"]
        for level in 1..<levels {
            lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aSmallBudgetStopsABillionLaughsAtTheAliasThatExceedsIt() {
        // l0 holds 11 nodes and l1 111; the ten aliases in l1 add 110, and each alias in l2
        // adds 111, so the ninth one in l2 (column 10 + 8 * 5) passes 1000.
        let result = read(Self.billionLaughs(levels: 10), limits: YAMLReader.Limits(aliasExpansionBudget: 1000))
        #expect(result.node == nil)
        #expect(result.rendered == [
            "test.yaml:3:50: error: aliases expand to more than 1000 nodes; the file is too large once aliases are expanded",
        ])
    }

    @Test func theDefaultBudgetStopsADeepBillionLaughsQuickly() {
        var result: ReadResult?
        let duration = ContinuousClock().measure {
            result = read(Self.billionLaughs(levels: 10))
        }
        #expect(result?.node == nil)
        let diagnostics = result?.engine.diagnostics ?? []
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.message
            == "aliases expand to more than 1000000 nodes; the file is too large once aliases are expanded")
        // Levels 1-4 expand to 123,440 nodes and each alias in l5 adds 111,111, so the
        // eighth one in l5 (column 10 + 7 * 5) passes a million.
        #expect(diagnostics.first?.location == at(6, 45))
        #expect(duration < .seconds(5))
    }

    @Test func aliasesWithinTheBudgetAreFine() throws {
        let root = try readValid(Self.billionLaughs(levels: 3))
        let l2 = try #require(root["l2"]?.sequence)
        #expect(l2.count == 10)
        #expect(l2.allSatisfy { $0.sequence?.count == 10 })
        #expect(l2[0].sequence?[0].sequence?[0].string == "lol")
    }
}

// MARK: - Merge keys

@Suite struct MergeKeyTests {
    @Test func explicitKeysWinOverMergedOnes() throws {
        let root = try readValid("""
            base: &base {a: 1, b: 2}
            m:
              <<: *base
              a: 10
            """)
        let merged = try #require(root["m"])
        #expect(merged.mapping?.map(\.key) == ["b", "a"])
        #expect(merged["a"]?.scalar?.intValue == 10)
        #expect(merged["b"]?.scalar?.intValue == 2)
        #expect(merged["<<"] == nil)
    }

    @Test func earlierMergeSourcesWinOverLaterOnes() throws {
        let root = try readValid("""
            a: &a {x: 1, y: 2}
            b: &b {y: 20, z: 30, w: 40}
            m:
              first: 0
              <<: [*a, *b]
              w: 400
            """)
        let merged = try #require(root["m"])
        // Merged entries go where the `<<` key was written.
        #expect(merged.mapping?.map(\.key) == ["first", "x", "y", "z", "w"])
        #expect(merged["x"]?.scalar?.intValue == 1)
        #expect(merged["y"]?.scalar?.intValue == 2)
        #expect(merged["z"]?.scalar?.intValue == 30)
        #expect(merged["w"]?.scalar?.intValue == 400)
    }

    @Test func anInlineMappingCanBeMerged() throws {
        let root = try readValid("m:\n  <<: {k: v}\n  own: 1\n")
        #expect(root["m"]?.mapping?.map(\.key) == ["k", "own"])
    }

    @Test func aQuotedMergeKeyIsAnOrdinaryKey() throws {
        let root = try readValid("\"<<\": {k: v}\n")
        #expect(root.mapping?.map(\.key) == ["<<"])
    }

    @Test(arguments: [
        ("m:\n  <<: 1\n", "test.yaml:2:7: error: a merge key '<<' takes a mapping or a list of mappings, not an integer"),
        ("a: &a {x: 1}\nm:\n  <<: [*a, 1]\n", "test.yaml:3:7: error: a merge key '<<' takes a mapping or a list of mappings, not a list"),
    ])
    func mergingSomethingElseIsAnError(text: String, expected: String) {
        let result = read(text)
        #expect(result.node == nil)
        #expect(result.rendered == [expected])
    }

    @Test func mergingAnAliasOfAScalarIsAnError() {
        let result = read("s: &s text\nm:\n  <<: *s\n")
        #expect(result.node == nil)
        // Only the message: the location is that of the anchored scalar, not of the alias.
        #expect(result.engine.diagnostics.map(\.message) == ["a merge key '<<' takes a mapping or a list of mappings, not a string"])
    }

    @Test func mergedKeysAreNotDuplicatesButRepeatedExplicitKeysAre() {
        let result = read("k: &a {x: 1}\nm:\n  <<: *a\n  x: 2\n  x: 3\n")
        #expect(result.rendered == ["test.yaml:5:3: error: duplicate key 'x'\ntest.yaml:4:3: note: 'x' was first given here"])
    }
}
