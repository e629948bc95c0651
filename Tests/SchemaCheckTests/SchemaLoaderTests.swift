import Diagnostics
import Foundation
import SchemaCheck
import Testing
import YAML

/// Loads a schema written as JSON (or YAML) in `schema.json`.
func loadSchema(_ text: String) -> (schema: JSONSchema?, diagnostics: [String]) {
    let engine = DiagnosticEngine()
    let schema = JSONSchemaLoader.load(text, file: "schema.json", diagnostics: engine)
    return (schema, engine.sorted.map(\.description))
}

/// The repository's root directory.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The text of `schemas/NAME.schema.json`.
func schemaText(_ name: String) throws -> String {
    try String(contentsOf: repositoryRoot.appendingPathComponent("schemas/\(name).schema.json"), encoding: .utf8)
}

/// The paths of the YAML files in these directories of the repository, in order.
func yamlFiles(in directories: [String]) -> [String] {
    directories.flatMap { directory -> [String] in
        let path = repositoryRoot.appendingPathComponent(directory).path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { path + "/" + $0 }
    }
}

/// The real pipeline schema, loaded afresh (loading is cheap and a schema is not Sendable).
func pipelineSchema(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> JSONSchema {
    let (schema, diagnostics) = loadSchema(try schemaText("pipeline"))
    #expect(diagnostics == [], sourceLocation: sourceLocation)
    return try #require(schema, sourceLocation: sourceLocation)
}

@Suite struct SchemaLoaderTests {
    @Test func theEmbeddedPipelineSchemaLoadsWithoutErrors() throws {
        let schema = try pipelineSchema()
        #expect(schema.title == "a pipespec pipeline")
        #expect(schema.types == [.object])
        #expect(schema.required == ["name", "tasks"])
        #expect(Set(schema.properties.keys) == ["name", "display_name", "description", "pipeline_root", "params", "defaults", "components", "tasks", "outputs"])
        guard case .forbidden = schema.additionalProperties else {
            Issue.record("the pipeline schema should forbid unknown keys")
            return
        }
        // `$ref`s are resolved: `tasks` points at the definition with `minProperties`.
        let tasks = try #require(schema.properties["tasks"])
        #expect(tasks.reference == "#/$defs/tasks")
        #expect(tasks.resolved?.minProperties == 1)
        #expect(schema.properties["name"]?.pattern?.source == "^[a-z0-9][a-z0-9-]*$")
        #expect(schema.properties["name"]?.maxLength == 128)
    }

    @Test func supportedKeywordsAreCompiled() throws {
        let (schema, diagnostics) = loadSchema("""
            {"type": ["string", "null"], "enum": ["a", 1, 2.5, true, null], "minLength": 1, "maxLength": 3,
             "minimum": 0, "exclusiveMinimum": -1.5, "items": {"type": "integer"}, "minItems": 2, "uniqueItems": true,
             "minProperties": 1, "additionalProperties": {"type": "string"}, "title": "T", "description": "d",
             "default": 1, "$comment": "c", "examples": [1]}
            """)
        #expect(diagnostics == [])
        let loaded = try #require(schema)
        #expect(loaded.types == [.string, .null])
        #expect(loaded.enumValues == [.string("a"), .number(1), .number(2.5), .boolean(true), .null])
        #expect(loaded.minLength == 1)
        #expect(loaded.maxLength == 3)
        #expect(loaded.minimum == 0)
        #expect(loaded.exclusiveMinimum == -1.5)
        #expect(loaded.items?.types == [.integer])
        #expect(loaded.minItems == 2)
        #expect(loaded.uniqueItems)
        #expect(loaded.minProperties == 1)
        #expect(loaded.title == "T")
    }

    @Test(arguments: [
        (#"{"type": "string", "format": "email"}"#, "schema.json:1:20: error: schema: keyword 'format' is not supported by pipespec's schema checker"),
        (#"{"if": {"type": "string"}}"#, "schema.json:1:2: error: schema: keyword 'if' is not supported by pipespec's schema checker"),
        (#"{"properties": {"a": {"const": 1}}}"#, "schema.json:1:23: error: schema: keyword 'const' is not supported by pipespec's schema checker"),
        (#"{"items": [{"maximum": 3}]}"#, "schema.json:1:11: error: schema: expected a schema object"),
        (##"{"$ref": "#/$defs/missing", "$defs": {}}"##, "schema.json:1:10: error: schema: cannot resolve $ref '#/$defs/missing'"),
        (#"{"properties": {"a": {"$ref": "other.json#/x"}}}"#, "schema.json:1:31: error: schema: cannot resolve $ref 'other.json#/x'"),
        (#"{"pattern": "^\\d+$"}"#, #"schema.json:1:13: error: schema: invalid pattern: '\d' escapes are not supported; write a character class"#),
        (#"{"pattern": "[a-\\w]"}"#, #"schema.json:1:13: error: schema: invalid pattern: '\w' escapes are not supported; write a character class"#),
        (#"{"pattern": "(a"}"#, "schema.json:1:13: error: schema: invalid pattern: '(a' is not a valid regular expression"),
        (#"{"type": "str"}"#, "schema.json:1:10: error: schema: unknown type 'str'"),
        (#"{"minLength": "one"}"#, "schema.json:1:15: error: schema: expected an integer"),
        (#"{"minimum": "zero"}"#, "schema.json:1:13: error: schema: expected a number"),
        (#"{"enum": ["a", ["b"]]}"#, "schema.json:1:16: error: schema: enum values must be scalars"),
        (#"{"properties": {"a": {"$defs": {}}}}"#, "schema.json:1:23: error: schema: $defs is supported only at the top level"),
        (#"{"properties": {"a": 3}}"#, "schema.json:1:22: error: schema: expected a schema object"),
    ])
    func unsupportedOrBrokenSchemasAreRejectedWithALocation(text: String, expected: String) {
        let (schema, diagnostics) = loadSchema(text)
        #expect(schema == nil)
        #expect(diagnostics == [expected])
    }

    @Test func everyProblemIsReported() {
        let (schema, diagnostics) = loadSchema("""
            {
              "format": "x",
              "properties": {
                "a": {"$ref": "#/$defs/nope"},
                "b": {"pattern": "\\\\s"}
              }
            }
            """)
        #expect(schema == nil)
        #expect(diagnostics == [
            "schema.json:2:3: error: schema: keyword 'format' is not supported by pipespec's schema checker",
            "schema.json:4:19: error: schema: cannot resolve $ref '#/$defs/nope'",
            #"schema.json:5:22: error: schema: invalid pattern: '\s' escapes are not supported; write a character class"#,
        ])
    }

    @Test(arguments: [
        #"{"pattern": "^a\\.b$"}"#,
        #"{"pattern": "^a\\\\d$"}"#,
        #"{"pattern": "^[a-z][a-z0-9-]*(/([a-z][a-z0-9-]*|\\*))?$"}"#,
    ])
    func escapedPunctuationAndEscapedBackslashesAreAllowed(text: String) throws {
        let (schema, diagnostics) = loadSchema(text)
        #expect(diagnostics == [])
        #expect(schema?.pattern != nil)
    }

    @Test func booleanSchemaTrueMeansAnything() throws {
        let (schema, diagnostics) = loadSchema(#"{"properties": {"a": true}}"#)
        #expect(diagnostics == [])
        #expect(schema?.properties["a"] != nil)
    }

    @Test func aSchemaThatDoesNotParseIsRejectedWithALocation() {
        let (schema, diagnostics) = loadSchema(#"{"type": "string""#)
        #expect(schema == nil)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.hasPrefix("schema.json:1:18: error: ") == true, "\(diagnostics)")
    }

    @Test func aSchemaWithADuplicateKeyIsRejected() {
        let (schema, diagnostics) = loadSchema(#"{"type": "string", "type": "integer"}"#)
        #expect(schema == nil)
        #expect(diagnostics == ["schema.json:1:20: error: duplicate key 'type'\nschema.json:1:2: note: 'type' was first given here"])
    }
}

/// `$ref`s make cycles (a task's `when` holds conditions that hold conditions); a schema must
/// still be freed with its root, or every compile of a long-running process leaks one. Found
/// by the fuzzer's leak check.
@Suite struct SchemaLifetimeTests {
    @Test func aSchemaWithRecursiveReferencesIsFreedWithItsRoot() throws {
        weak var root: JSONSchema?
        weak var definition: JSONSchema?
        do {
            let schema = try pipelineSchema()
            root = schema
            definition = schema.properties.values.compactMap(\.resolved).first
            #expect(definition != nil)
            let node = try #require(YAMLReader().read(Array("name: x\ntasks: {t: {uses: c}}\n".utf8), file: "p.yaml", diagnostics: DiagnosticEngine()))
            #expect(SchemaValidator(schema: schema).validate(node, diagnostics: DiagnosticEngine()))
        }
        #expect(root == nil)
        #expect(definition == nil)
    }
}
