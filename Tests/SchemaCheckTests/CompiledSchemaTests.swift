import Diagnostics
import EmbeddedResources
import Foundation
@testable import SchemaCheck
import Testing
import YAML

/// The schemas are compiled into pipespec as Swift (`JSONSchema.swiftSource()`, run by
/// `EmbedResourcesTool`); these check that what is compiled in is what `schemas/` says, and
/// that the source is a faithful, order-independent picture of a schema.
@Suite struct CompiledSchemaTests {
    /// `schema` and every schema inside it, each once.
    static func allSchemas(_ schema: JSONSchema) -> [JSONSchema] {
        var seen: Set<ObjectIdentifier> = []
        var all: [JSONSchema] = []
        func visit(_ schema: JSONSchema) {
            guard seen.insert(ObjectIdentifier(schema)).inserted else { return }
            all.append(schema)
            var children = Array(schema.properties.values) + Array(schema.definitions.values) + schema.anyOf + schema.oneOf
            children += [schema.propertyNames, schema.items, schema.resolved].compactMap { $0 }
            if case .schema(let additional) = schema.additionalProperties { children.append(additional) }
            children.forEach(visit)
        }
        visit(schema)
        return all
    }

    static func loaded(_ text: String) throws -> JSONSchema {
        let (schema, diagnostics) = loadSchema(text)
        #expect(diagnostics == [])
        return try #require(schema)
    }

    @Test func theCompiledInSchemasAreTheSchemasInTheRepository() throws {
        for (name, compiled) in [("pipeline", EmbeddedResources.compiledPipelineSchema()), ("deploy", EmbeddedResources.compiledDeploySchema())] {
            #expect(compiled.swiftSource() == (try Self.loaded(schemaText(name))).swiftSource(), "schemas/\(name).schema.json")
        }
    }

    @Test func theCompiledInSchemaReportsWhatTheLoadedOneReports() throws {
        let compiled = EmbeddedResources.compiledPipelineSchema()
        let loaded = try pipelineSchema()
        let files = yamlFiles(in: ["examples", "pipelines", "Tests/PipeSpecCompilerTests/BadInputs"])
        #expect(files.count > 100)
        var documents = 0
        for file in files {
            let engine = DiagnosticEngine()
            guard let document = YAMLReader().read(Array(try String(contentsOfFile: file, encoding: .utf8).utf8), file: file, diagnostics: engine) else { continue }
            documents += 1
            let fromCompiled = DiagnosticEngine(), fromLoaded = DiagnosticEngine()
            #expect(SchemaValidator(schema: compiled).validate(document, diagnostics: fromCompiled) == SchemaValidator(schema: loaded).validate(document, diagnostics: fromLoaded))
            #expect(fromCompiled.sorted.map(\.description) == fromLoaded.sorted.map(\.description), "\(file)")
        }
        #expect(documents > 100)
    }

    @Test func everyCompiledInPatternCompiles() {
        for schema in [EmbeddedResources.compiledPipelineSchema(), EmbeddedResources.compiledDeploySchema()] {
            let patterns = Self.allSchemas(schema).compactMap(\.pattern)
            #expect(!patterns.isEmpty)
            // A pattern that does not compile stops the process at its first match.
            for pattern in patterns { _ = pattern.matches("a") }
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
        (#"{"additionalProperties": {"type": "string"}}"#, #"{"additionalProperties": {"type": "null"}}"#),
        (#"{"propertyNames": {"minLength": 1}}"#, #"{"propertyNames": {"minLength": 2}}"#),
        (#"{"minProperties": 1}"#, #"{"minProperties": 2}"#),
        (#"{"enum": ["a"]}"#, #"{"enum": ["b"]}"#),
        (#"{"enum": [1]}"#, #"{"enum": [1.5]}"#),
        (#"{"enum": [true]}"#, #"{"enum": [false]}"#),
        (#"{"enum": [null]}"#, #"{"enum": ["null"]}"#),
        (#"{"pattern": "^a$"}"#, #"{"pattern": "^b$"}"#),
        (#"{"minLength": 1}"#, #"{"minLength": 2}"#),
        (#"{"maxLength": 1}"#, #"{"maxLength": 2}"#),
        (#"{"minimum": 1}"#, #"{"minimum": 0.25}"#),
        (#"{"maximum": 1}"#, #"{"maximum": 2}"#),
        (#"{"exclusiveMinimum": 1}"#, #"{"exclusiveMinimum": 2}"#),
        (#"{"items": {"type": "string"}}"#, #"{"items": {"type": "number"}}"#),
        (#"{"minItems": 1}"#, #"{"minItems": 2}"#),
        (#"{"uniqueItems": false}"#, #"{"uniqueItems": true}"#),
        (#"{"anyOf": [{"type": "string"}]}"#, #"{"anyOf": [{"type": "null"}]}"#),
        (#"{"oneOf": [{"type": "string"}]}"#, #"{"oneOf": [{"type": "null"}]}"#),
        (##"{"$defs": {"a": {}, "b": {}}, "$ref": "#/$defs/a"}"##, ##"{"$defs": {"a": {}, "b": {}}, "$ref": "#/$defs/b"}"##),
        (#"{"$defs": {"a": {}}}"#, #"{"$defs": {"a": {"type": "null"}}}"#),
    ]

    @Test(arguments: differingSchemas)
    func schemasThatDifferHaveDifferentSources(_ first: String, _ second: String) throws {
        #expect(try Self.loaded(first).swiftSource() != Self.loaded(second).swiftSource())
    }
}
