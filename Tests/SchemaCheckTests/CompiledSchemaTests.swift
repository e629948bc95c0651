import Diagnostics
import EmbeddedResources
import Foundation
import SchemaCheck
import Testing

/// The schemas are compiled into pipespec as Swift (`JSONSchema.swiftSource()`, run by
/// `EmbedResourcesTool`); these check that what is compiled in is what `schemas/` says, and
/// that the source is a faithful, order-independent picture of a schema.
@Suite struct CompiledSchemaTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func loaded(_ text: String) throws -> JSONSchema {
        let (schema, diagnostics) = loadSchema(text)
        #expect(diagnostics == [])
        return try #require(schema)
    }

    @Test func theCompiledInSchemasAreTheSchemasInTheRepository() throws {
        for (name, compiled) in [("pipeline", EmbeddedResources.compiledPipelineSchema()), ("deploy", EmbeddedResources.compiledDeploySchema())] {
            let text = try String(contentsOf: Self.repository.appendingPathComponent("schemas/\(name).schema.json"), encoding: .utf8)
            #expect(compiled.swiftSource() == (try Self.loaded(text)).swiftSource(), "schemas/\(name).schema.json")
        }
    }

    @Test func theCompiledInSchemaChecksAsTheLoadedOneDoes() throws {
        let schema = EmbeddedResources.compiledPipelineSchema()
        #expect(schema.properties["tasks"]?.reference == "#/$defs/tasks")
        #expect(schema.properties["tasks"]?.resolved?.minProperties == 1)
        for text in [
            "name: churn\ntasks:\n  a: {uses: x}\n",
            "name: Churn Training\ntasks: {}\nextra: 1\n",
            "name: churn\ntasks:\n  a: {uses: x, retry: many}\n",
        ] {
            #expect(try violations(text, against: schema) == pipelineViolations(text), "\(text)")
        }
        #expect(try violations("name: Churn Training\ntasks: {}\n", against: schema).count >= 2)
    }

    @Test func theSourceDoesNotDependOnTheOrderKeysAreWritten() throws {
        let written = """
            {"$defs": {"b": {"type": "string", "minLength": 1}, "a": {"type": "integer"}},
             "type": "object", "required": ["x"],
             "properties": {"y": {"$ref": "#/$defs/b"}, "x": {"$ref": "#/$defs/a"}, "z": {"items": {"$ref": "#/$defs/b"}}}}
            """
        let reordered = """
            {"properties": {"z": {"items": {"$ref": "#/$defs/b"}}, "x": {"$ref": "#/$defs/a"}, "y": {"$ref": "#/$defs/b"}},
             "required": ["x"], "type": "object",
             "$defs": {"a": {"type": "integer"}, "b": {"minLength": 1, "type": "string"}}}
            """
        let source = try Self.loaded(written).swiftSource()
        #expect(source == (try Self.loaded(reordered)).swiftSource())
        // Each `$ref` is resolved to its definition once all schemas exist, and the root owns them.
        #expect(source.contains(".resolved = "))
        #expect(source.contains(".own([\"a\": "))
        #expect(source.hasSuffix("\nreturn s\(source.components(separatedBy: "let s").count - 2)\n"))
    }

    /// Two schemas that differ in one keyword's value, for every keyword the checker supports.
    static let differingSchemas: [(String, String)] = [
        (#"{"title": "a"}"#, #"{"title": "b"}"#),
        (#"{"type": "string"}"#, #"{"type": ["string", "null"]}"#),
        (#"{"properties": {"a": {}}}"#, #"{"properties": {"b": {}}}"#),
        (#"{"properties": {"a": {"type": "string"}}}"#, #"{"properties": {"a": {"type": "integer"}}}"#),
        (#"{"required": ["a"]}"#, #"{"required": ["b"]}"#),
        (#"{"additionalProperties": false}"#, #"{"additionalProperties": true}"#),
        (#"{"additionalProperties": {"type": "string"}}"#, #"{"additionalProperties": false}"#),
        (#"{"propertyNames": {"minLength": 1}}"#, #"{"propertyNames": {"minLength": 2}}"#),
        (#"{"minProperties": 1}"#, #"{"minProperties": 2}"#),
        (#"{"enum": ["a", 1, true, null]}"#, #"{"enum": ["a", 1.5, false, null]}"#),
        (#"{"pattern": "^a$"}"#, #"{"pattern": "^b$"}"#),
        (#"{"minLength": 1}"#, #"{"maxLength": 1}"#),
        (#"{"minimum": 1}"#, #"{"minimum": 0.25}"#),
        (#"{"maximum": 1}"#, #"{"exclusiveMinimum": 1}"#),
        (#"{"items": {"type": "string"}}"#, #"{"items": {"type": "number"}}"#),
        (#"{"minItems": 1}"#, #"{"minItems": 1, "uniqueItems": true}"#),
        (#"{"anyOf": [{"type": "string"}]}"#, #"{"oneOf": [{"type": "string"}]}"#),
        (##"{"$defs": {"a": {}, "b": {"type": "null"}}, "$ref": "#/$defs/a"}"##, ##"{"$defs": {"a": {}, "b": {"type": "null"}}, "$ref": "#/$defs/b"}"##),
    ]

    @Test(arguments: differingSchemas)
    func schemasThatDifferHaveDifferentSources(_ first: String, _ second: String) throws {
        #expect(try Self.loaded(first).swiftSource() != Self.loaded(second).swiftSource())
    }
}
