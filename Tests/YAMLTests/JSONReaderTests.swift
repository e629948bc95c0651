import Diagnostics
import JSON
import Testing
import YAML

/// The JSON reader must build the same located trees as the YAML reader does for the same
/// JSON text, and reject what RFC 8259 rejects.
@Suite struct JSONReaderTests {
    func readJSON(_ text: String) -> (node: Node?, diagnostics: [String]) {
        let engine = DiagnosticEngine()
        let node = JSONReader().read(Array(text.utf8), file: file, diagnostics: engine)
        return (node, engine.sorted.map(\.description))
    }

    static let documents = [
        #"{"a": [1, -2.5e3, true, null, "x\"y\\z\n"], "b": {"c": {}}, "é": "\u00e9"}"#,
        "{\n  \"list\": [\n    1,\n    {\"k\": \"v\"}\n  ],\n  \"n\": 0\n}",
        #"[]"#,
        #""just a string""#,
    ]

    @Test(arguments: documents)
    func readsWhatYAMLReads(text: String) throws {
        let json = readJSON(text)
        #expect(json.diagnostics == [])
        let yaml = try readValid(text)
        let node = try #require(json.node)
        #expect(node.json == yaml.json)
        #expect(locations(node) == locations(yaml))
    }

    /// Every node's location and, for mappings, each key's location, depth first.
    private func locations(_ node: Node) -> [Diagnostics.SourceLocation] {
        switch node.content {
        case .scalar: return [node.location]
        case .sequence(let items): return [node.location] + items.flatMap(locations)
        case .mapping(let entries): return [node.location] + entries.flatMap { [$0.keyLocation] + locations($0.value) }
        }
    }

    /// libyaml does not take surrogate pairs in escapes; JSON needs them beyond the BMP.
    @Test func surrogatePairsAreOneCharacter() throws {
        let node = try #require(readJSON(#"["\ud83d\ude00"]"#).node)
        #expect(node.sequence?.first?.string == "😀")
    }

    @Test func scalarsKeepTheirKinds() throws {
        let node = try #require(readJSON(#"[1, 1.5, 1e2, "1", true, null]"#).node)
        #expect(node.sequence?.compactMap(\.scalar?.kind) == [.int, .float, .float, .string, .bool, .null])
    }

    static let invalidDocuments: [(text: String, diagnostics: [String])] = [
        (#"{"a": 1, "a": 2}"#, ["test.yaml:1:10: error: duplicate key 'a'\ntest.yaml:1:2: note: 'a' was first given here"]),
        (#"{"a" 1}"#, ["test.yaml:1:6: error: invalid JSON: expected ':' after a key"]),
        (#"[1, 2"#, ["test.yaml:1:6: error: invalid JSON: unexpected end of input; expected ',' or ']'"]),
        (#"[01]"#, ["test.yaml:1:2: error: invalid JSON: numbers cannot have leading zeros"]),
        (#"{"a": 1,}"#, ["test.yaml:1:9: error: invalid JSON: expected a string key"]),
        (#"["\x"]"#, ["test.yaml:1:4: error: invalid JSON: invalid escape in a string"]),
        (#"["\ud800x"]"#, ["test.yaml:1:9: error: invalid JSON: a high surrogate must be followed by a low one"]),
        (#"["\u+0AF"]"#, [#"test.yaml:1:5: error: invalid JSON: expected four hex digits after \u"#]),
        ("[\"tab\there\"]", ["test.yaml:1:6: error: invalid JSON: control characters must be escaped in strings"]),
        (#"{} {}"#, ["test.yaml:1:4: error: invalid JSON: unexpected text after the JSON value"]),
        ("{\n  \"é\": tru}", ["test.yaml:2:8: error: invalid JSON: expected a value"]),
    ]

    @Test(arguments: invalidDocuments)
    func rejectsInvalidJSONWithALocation(text: String, expected: [String]) {
        let result = readJSON(text)
        #expect(result.node == nil)
        #expect(result.diagnostics == expected)
    }

    /// Large objects find duplicates through an index that grows; keys compare by their bytes.
    @Test(arguments: [5, 200, 5000])
    func duplicatesAreFoundInObjectsOfAnySize(size: Int) throws {
        let keys = (0..<size).map { "\"key\($0)\": \($0)" }
        let repeated = size / 2
        let result = readJSON("{" + (keys + ["\"key\(repeated)\": 0"]).joined(separator: ", ") + "}")
        #expect(result.node == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.hasPrefix("test.yaml:1:") == true && result.diagnostics.first?.contains("duplicate key 'key\(repeated)'") == true)
        let distinct = try #require(readJSON("{" + keys.joined(separator: ", ") + ", \"e\\u0301\": 1, \"\\u00e9\": 2}").node)
        #expect(distinct.mapping?.count == size + 2)
    }

    @Test func nestingIsBounded() {
        let result = readJSON(String(repeating: "[", count: 600) + String(repeating: "]", count: 600))
        #expect(result.node == nil)
        #expect(result.diagnostics == ["test.yaml:1:513: error: invalid JSON: values nest more than 512 levels deep"])
    }
}

/// Errors about an alias point where the alias is used, not at the anchor.
@Suite struct AliasLocationTests {
    @Test(arguments: [
        ("base: &k key\n*k : 1\n", "test.yaml:2:1: error: mapping keys must be plain strings, not aliases"),
        ("s: &s text\nm:\n  <<: *s\n", "test.yaml:3:7: error: a merge key '<<' takes a mapping or a list of mappings, not a string"),
    ])
    func errorsPointAtTheAlias(text: String, expected: String) {
        #expect(read(text).rendered == [expected])
    }
}
