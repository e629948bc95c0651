import Diagnostics
import Foundation
import SchemaCheck
import Testing
import YAML

/// Validates the YAML document `text` (file `p.yaml`) against `schema`; returns the
/// diagnostics in source order, and checks that the verdict agrees with them.
func violations(
    _ text: String, against schema: JSONSchema, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> [String] {
    let engine = DiagnosticEngine()
    let document = try #require(
        YAMLReader().read(Array(text.utf8), file: "p.yaml", diagnostics: engine), sourceLocation: sourceLocation)
    let valid = SchemaValidator(schema: schema).validate(document, diagnostics: engine)
    #expect(valid == !engine.hasErrors, sourceLocation: sourceLocation)
    return engine.sorted.map(\.description)
}

func violations(
    _ text: String, againstSchema schemaText: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> [String] {
    let (schema, diagnostics) = loadSchema(schemaText)
    #expect(diagnostics == [], sourceLocation: sourceLocation)
    return try violations(text, against: #require(schema, sourceLocation: sourceLocation), sourceLocation: sourceLocation)
}

func pipelineViolations(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [String] {
    try violations(text, against: pipelineSchema(sourceLocation: sourceLocation), sourceLocation: sourceLocation)
}

/// `name: demo` and a one-task `tasks:` around `task`, the body of task `train` indented
/// by four spaces; its first line is line 4.
func pipeline(task: String) -> String {
    "name: demo\ntasks:\n  train:\n" + task.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
}

// MARK: - Small schemas, one keyword at a time

@Suite struct KeywordTests {
    static let stringField = #"{"type": "object", "properties": {"name": {"type": "string"}}}"#

    @Test(arguments: [
        ("name: 12", "p.yaml:1:7: error: name: expected a string, got an integer (12); write \"12\" in quotes for a string"),
        ("name: 1.5", "p.yaml:1:7: error: name: expected a string, got a number (1.5); write \"1.5\" in quotes for a string"),
        ("name: true", "p.yaml:1:7: error: name: expected a string, got a boolean (true); write \"true\" in quotes for a string"),
        ("name: ~", "p.yaml:1:7: error: name: expected a string, got null"),
        ("name: [a]", "p.yaml:1:7: error: name: expected a string, got a list"),
        ("name: {a: 1}", "p.yaml:1:7: error: name: expected a string, got a mapping"),
    ])
    func wrongTypesNameWhatWasExpectedAndGot(text: String, expected: String) throws {
        #expect(try violations(text, againstSchema: Self.stringField) == [expected])
    }

    @Test func stringsOfTheRightTypePass() throws {
        #expect(try violations("name: '12'", againstSchema: Self.stringField) == [])
        #expect(try violations("other: 12", againstSchema: Self.stringField) == [])
    }

    @Test func noQuotingHintWhereAStringIsNotExpected() throws {
        let schema = #"{"properties": {"count": {"type": "integer"}}}"#
        #expect(try violations("count: '3'", againstSchema: schema) == ["p.yaml:1:8: error: count: expected an integer, got '3'"])
        #expect(try violations("count: 3.5", againstSchema: schema) == ["p.yaml:1:8: error: count: expected an integer, got a number (3.5)"])
    }

    @Test func aTitleNamesTheExpectation() throws {
        let schema = #"{"properties": {"n": {"title": "a count of things", "type": ["integer", "null"]}}}"#
        #expect(try violations("n: many", againstSchema: schema) == ["p.yaml:1:4: error: n: expected a count of things, got 'many'"])
        #expect(try violations("n: ~", againstSchema: schema) == [])
    }

    @Test func multipleTypesAreListed() throws {
        let schema = #"{"properties": {"n": {"type": ["integer", "boolean"]}}}"#
        #expect(try violations("n: x", againstSchema: schema) == ["p.yaml:1:4: error: n: expected an integer or a boolean, got 'x'"])
    }

    static let enumField = #"{"properties": {"kind": {"enum": ["string", "int", "float", 1, 2.5, true, null]}}}"#

    @Test(arguments: [
        ("kind: strng", " (did you mean 'string'?)"),
        ("kind: flaot", " (did you mean 'float'?)"),
        ("kind: Int", " (did you mean 'int'?)"),
        ("kind: something", ""),
    ])
    func enumMismatchesSuggestTheClosestValue(text: String, suggestion: String) throws {
        let got = String(text.dropFirst("kind: ".count))
        #expect(try violations(text, againstSchema: Self.enumField) == [
            "p.yaml:1:7: error: kind: expected one of 'string', 'int', 'float', 1, 2.5, true, null, got '\(got)'\(suggestion)",
        ])
    }

    @Test(arguments: ["kind: string", "kind: 1", "kind: 1.0", "kind: 2.5", "kind: true", "kind: ~"])
    func enumMatchesCompareValuesOfTheSameKind(text: String) throws {
        #expect(try violations(text, againstSchema: Self.enumField) == [])
    }

    @Test func enumDoesNotMatchAcrossKinds() throws {
        #expect(try violations("kind: '1'", againstSchema: Self.enumField).count == 1)
        #expect(try violations("kind: 'true'", againstSchema: Self.enumField).count == 1)
        #expect(try violations("kind: 2", againstSchema: Self.enumField) == [
            "p.yaml:1:7: error: kind: expected one of 'string', 'int', 'float', 1, 2.5, true, null, got an integer (2)",
        ])
    }

    static let closed = #"{"type": "object", "additionalProperties": false, "properties": {"name": {}, "tasks": {}, "display_name": {}}}"#

    @Test func unknownKeysAreReportedAtTheKeyWithASuggestion() throws {
        #expect(try violations("name: x\nnmae: y\n", againstSchema: Self.closed) == [
            "p.yaml:2:1: error: unknown key 'nmae' (did you mean 'name'?)",
        ])
    }

    @Test func unknownKeysWithoutACloseMatchListTheKnownKeys() throws {
        #expect(try violations("name: x\nzzz: y\n", againstSchema: Self.closed) == [
            "p.yaml:2:1: error: unknown key 'zzz'; expected one of: display_name, name, tasks",
        ])
    }

    @Test func additionalPropertiesCanHaveASchema() throws {
        let schema = #"{"properties": {"a": {}}, "additionalProperties": {"type": "integer"}}"#
        #expect(try violations("a: x\nb: 1\nc: y\n", againstSchema: schema) == [
            "p.yaml:3:4: error: c: expected an integer, got 'y'",
        ])
    }

    @Test func missingRequiredKeysAreReportedAtTheMapping() throws {
        let schema = #"{"required": ["name", "tasks"], "properties": {"retry": {"required": ["max_retries"]}}}"#
        #expect(try violations("other: 1\nretry:\n  backoff: 5s\n", againstSchema: schema) == [
            "p.yaml:1:1: error: missing required key 'name'",
            "p.yaml:1:1: error: missing required key 'tasks'",
            "p.yaml:3:3: error: retry: missing required key 'max_retries'",
        ])
    }

    @Test(arguments: [
        (1, "{}", "p.yaml:1:4: error: m: expected at least one entry"),
        (2, "{a: 1}", "p.yaml:1:4: error: m: expected at least 2 entries"),
    ])
    func minProperties(minimum: Int, written: String, expected: String) throws {
        let schema = #"{"properties": {"m": {"minProperties": \#(minimum)}}}"#
        #expect(try violations("m: \(written)", againstSchema: schema) == [expected])
        #expect(try violations("m: {a: 1, b: 2}", againstSchema: schema) == [])
    }

    @Test(arguments: [
        (1, "[]", "p.yaml:1:4: error: l: expected a non-empty list"),
        (3, "[a, b]", "p.yaml:1:4: error: l: expected at least 3 items"),
    ])
    func minItems(minimum: Int, written: String, expected: String) throws {
        let schema = #"{"properties": {"l": {"minItems": \#(minimum)}}}"#
        #expect(try violations("l: \(written)", againstSchema: schema) == [expected])
        #expect(try violations("l: [a, b, c]", againstSchema: schema) == [])
    }

    @Test func uniqueItemsReportsEachRepeatAtTheRepeat() throws {
        let schema = #"{"properties": {"l": {"uniqueItems": true}}}"#
        #expect(try violations("l: [a, b, a, 1, '1', 1, [x], [x]]", againstSchema: schema) == [
            "p.yaml:1:11: error: l: 'a' is listed more than once",
            "p.yaml:1:22: error: l: '1' is listed more than once",
        ])
    }

    @Test(arguments: [
        (#""minimum": 0"#, "-1", "expected a value of at least 0, got -1"),
        (#""minimum": 1.5"#, "1", "expected a value of at least 1.5, got 1"),
        (#""exclusiveMinimum": 0"#, "0", "expected a value greater than 0, got 0"),
        (#""exclusiveMinimum": 0"#, "-0.5", "expected a value greater than 0, got -0.5"),
    ])
    func numericMinimums(keyword: String, written: String, message: String) throws {
        let schema = "{\"properties\": {\"n\": {\(keyword)}}}"
        #expect(try violations("n: \(written)", againstSchema: schema) == ["p.yaml:1:4: error: n: \(message)"])
    }

    @Test(arguments: [(#""minimum": 0"#, "0"), (#""minimum": 1.5"#, "1.5"), (#""exclusiveMinimum": 0"#, "0.001"), (#""minimum": 0"#, "'-1'")])
    func numericMinimumsAcceptValuesInRange(keyword: String, written: String) throws {
        let schema = "{\"properties\": {\"n\": {\(keyword)}}}"
        #expect(try violations("n: \(written)", againstSchema: schema) == [])
    }

    @Test(arguments: [
        (#""maxLength": 3"#, "abcde", "expected at most 3 characters, got 5"),
        (#""minLength": 1"#, "''", "expected a non-empty string"),
        (#""minLength": 3"#, "ab", "expected at least 3 characters, got 2"),
        (#""maxLength": 3"#, "ééééé", "expected at most 3 characters, got 5"),
    ])
    func stringLengths(keyword: String, written: String, message: String) throws {
        let schema = "{\"properties\": {\"s\": {\(keyword)}}}"
        #expect(try violations("s: \(written)", againstSchema: schema) == ["p.yaml:1:4: error: s: \(message)"])
    }

    @Test func lengthsApplyOnlyToStrings() throws {
        #expect(try violations("s: 123456", againstSchema: #"{"properties": {"s": {"maxLength": 3}}}"#) == [])
    }

    @Test func patternMessagesUseTheTitle() throws {
        let schema = #"{"properties": {"id": {"title": "a lowercase name", "type": "string", "pattern": "^[a-z]+$"}}}"#
        #expect(try violations("id: Name", againstSchema: schema) == ["p.yaml:1:5: error: id: expected a lowercase name, got 'Name'"])
        #expect(try violations("id: name", againstSchema: schema) == [])
    }

    @Test func patternMessagesWithoutATitleShowThePattern() throws {
        let schema = #"{"properties": {"id": {"pattern": "^[a-z]+$"}}}"#
        #expect(try violations("id: Name", againstSchema: schema) == ["p.yaml:1:5: error: id: expected a string matching ^[a-z]+$, got 'Name'"])
    }

    @Test func patternsAreUnanchoredUnlessTheySayOtherwise() throws {
        let schema = #"{"properties": {"id": {"pattern": "[0-9]"}}}"#
        #expect(try violations("id: abc1def", againstSchema: schema) == [])
        #expect(try violations("id: abcdef", againstSchema: schema).count == 1)
    }

    @Test func patternTitlesFollowReferences() throws {
        let schema = """
            {"properties": {"a": {"$ref": "#/$defs/name"}, "b": {"$ref": "#/$defs/name", "title": "a special name"}},
             "$defs": {"name": {"title": "a short name", "pattern": "^[a-z]{1,3}$"}}}
            """
        #expect(try violations("a: toolong\nb: toolong\n", againstSchema: schema) == [
            "p.yaml:1:4: error: a: expected a short name, got 'toolong'",
            "p.yaml:2:4: error: b: expected a special name, got 'toolong'",
        ])
    }

    @Test func propertyNamesAreCheckedAtTheKey() throws {
        let schema = #"{"propertyNames": {"title": "an identifier", "pattern": "^[a-z_]+$"}, "additionalProperties": {"type": "integer"}}"#
        // The value under a bad key is not checked further.
        #expect(try violations("good: 1\nBad-Key: x\nalso_good: y\n", againstSchema: schema) == [
            "p.yaml:2:1: error: invalid key 'Bad-Key': expected an identifier",
            "p.yaml:3:12: error: also_good: expected an integer, got 'y'",
        ])
    }

    @Test func itemsAreCheckedWithTheirIndex() throws {
        let schema = #"{"properties": {"l": {"items": {"type": "string"}}}}"#
        #expect(try violations("l:\n  - a\n  - 2\n  - c\n  - [d]\n", againstSchema: schema) == [
            "p.yaml:3:5: error: l[1]: expected a string, got an integer (2); write \"2\" in quotes for a string",
            "p.yaml:5:5: error: l[3]: expected a string, got a list",
        ])
    }

    @Test func everyViolationIsReportedNotJustTheFirst() throws {
        let schema = #"{"additionalProperties": false, "required": ["a"], "properties": {"a": {"type": "integer"}, "b": {"type": "string"}}}"#
        #expect(try violations("b: 1\nzzz: 2\n", againstSchema: schema) == [
            "p.yaml:1:1: error: missing required key 'a'",
            "p.yaml:1:4: error: b: expected a string, got an integer (1); write \"1\" in quotes for a string",
            "p.yaml:2:1: error: unknown key 'zzz'; expected one of: a, b",
        ])
    }
}

// MARK: - Paths

@Suite struct PathTests {
    static let anything = ##"{"additionalProperties": {"$ref": "#/$defs/node"}, "$defs": {"node": {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"$ref": "#/$defs/node"}}, {"type": "object", "additionalProperties": {"$ref": "#/$defs/node"}}]}}}"##

    @Test(arguments: [
        ("a: x", "a: "),
        ("a:\n  b:\n    c: x", "a.b.c: "),
        ("a: [1, [2, x]]", "a[1][1]: "),
        ("\"a.b\": x", #"["a.b"]: "#),
        ("outer:\n  \"with space\":\n    - x", #"outer["with space"][0]: "#),
        ("my-key_2: {Caps: x}", "my-key_2.Caps: "),
        ("é: x", #"["é"]: "#),
        ("\"dataproc/*\": x", #"["dataproc/*"]: "#),
        ("a: [{b: x}]", "a[0].b: "),
    ])
    func pathsUseDotsIndexesAndQuotesForOddKeys(text: String, prefix: String) throws {
        let found = try violations(text, againstSchema: Self.anything)
        #expect(found.count == 1)
        let message = found.first?.split(separator: ": error: ", maxSplits: 1).last.map(String.init)
        #expect(message?.hasPrefix(prefix) == true, "\(found)")
        #expect(message?.hasSuffix("got 'x'") == true, "\(found)")
    }

    @Test func nestedPipelinePathsNameEveryLevel() throws {
        let text = pipeline(task: "uses: trainer\nretry:\n  max_retries: -1\n  backoff: soon")
        #expect(try pipelineViolations(text) == [
            "p.yaml:6:20: error: tasks.train.retry.max_retries: expected a value of at least 0, got -1",
            "p.yaml:7:16: error: tasks.train.retry.backoff: expected a duration such as 30s, 5m or 1h, got 'soon'",
        ])
    }

    @Test func defaultsWithKeysAreQuotedInPaths() throws {
        let text = "name: demo\ndefaults:\n  with:\n    dataproc/*: 5\ntasks: {a: {uses: b}}\n"
        #expect(try pipelineViolations(text) == [
            #"p.yaml:4:17: error: defaults.with["dataproc/*"]: expected a mapping, got an integer (5)"#,
        ])
    }
}

// MARK: - anyOf / oneOf

@Suite struct BranchTests {
    @Test func aTaskWithAKnownKeyAndAMisspeltUsesIsCheckedAsATask() throws {
        let text = pipeline(task: "use: trainer\nwith: {x: 1}")
        #expect(try pipelineViolations(text) == [
            "p.yaml:4:5: error: tasks.train: missing required key 'uses'",
            "p.yaml:4:5: error: tasks.train: unknown key 'use' (did you mean 'uses'?)",
        ])
    }

    @Test func aTaskWithUsesAndAMisspeltKeyIsCheckedAsATask() throws {
        let text = pipeline(task: "uses: trainer\nafer: prepare")
        #expect(try pipelineViolations(text) == [
            "p.yaml:5:5: error: tasks.train: unknown key 'afer' (did you mean 'after'?)",
        ])
    }

    @Test func aGroupWithIfIsCheckedAsAGroup() throws {
        let text = pipeline(task: "if: ${params.x} == 1\nthen: {a: {uses: b}}\nelse: {}")
        #expect(try pipelineViolations(text) == ["p.yaml:6:11: error: tasks.train.else: expected at least one entry"])
    }

    @Test func anEntryThatFitsNoBranchNamesBoth() throws {
        let text = "name: demo\ntasks:\n  train: 5\n"
        #expect(try pipelineViolations(text) == [
            "p.yaml:3:10: error: tasks.train: expected a task (with 'uses') or an if/elif/else group (with 'if') or a loop (with 'for_each') or an exit handler (with 'on_exit') or an importer (with 'import'), got an integer (5)",
        ])
    }

    @Test(arguments: [
        ("x: strng", "p.yaml:5:6: error: params.x: expected a parameter type or an artifact type, got 'strng' (did you mean 'string'?)"),
        ("x: {type: strng}", "p.yaml:5:13: error: params.x.type: expected a parameter type or an artifact type, got 'strng' (did you mean 'string'?)"),
        ("x: 5", "p.yaml:5:6: error: params.x: expected a parameter type or an artifact type or a parameter declaration mapping, got an integer (5)"),
        ("x: {type: int, optinal: true}", "p.yaml:5:18: error: params.x: unknown key 'optinal' (did you mean 'optional'?)"),
        ("x: {default: 1}", "p.yaml:5:6: error: params.x: missing required key 'type'"),
    ])
    func paramDeclarationsPickTheBranchThatFits(param: String, expected: String) throws {
        let text = "name: demo\ntasks: {a: {uses: b}}\nparams:\n  ok: int\n  \(param)\n"
        #expect(try pipelineViolations(text) == [expected])
    }

    @Test func inputTypesSuggestAcrossNestedBranches() throws {
        let text = """
            name: demo
            tasks: {a: {uses: c}}
            components:
              c:
                container: {image: i}
                inputs: {data: Datset}
            """
        #expect(try pipelineViolations(text) == [
            // Only the branches that take a string are named.
            "p.yaml:6:20: error: components.c.inputs.data: expected a parameter type or an artifact type or a list of artifacts such as list[Model], got 'Datset' (did you mean 'Dataset'?)",
        ])
    }

    @Test func aComponentMustBeExactlyOneKind() throws {
        let text = """
            name: demo
            tasks: {a: {uses: c}}
            components:
              c:
                file: c.yaml
                container: {image: i}
            """
        // Both branches whose required key is present are named, and no others.
        #expect(try pipelineViolations(text) == [
            "p.yaml:5:5: error: components.c: 'container' and 'file' cannot be given together: expected a container component (with 'container') or a component file reference (with 'file')",
        ])
    }

    @Test func matchingTwoOneOfBranchesIsAmbiguous() throws {
        let schema = #"{"properties": {"v": {"oneOf": [{"title": "a string", "type": "string"}, {"title": "a short value", "maxLength": 3}]}}}"#
        #expect(try violations("v: abc", againstSchema: schema) == ["p.yaml:1:4: error: v: ambiguous: matches both a string and a short value"])
        #expect(try violations("v: abcdef", againstSchema: schema) == [])
        #expect(try violations("v: 1", againstSchema: schema) == [])
    }

    @Test func anyOfPassesWhenAnyBranchFits() throws {
        let schema = #"{"properties": {"v": {"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 0}]}}}"#
        #expect(try violations("v: abc", againstSchema: schema) == [])
        #expect(try violations("v: 3", againstSchema: schema) == [])
        #expect(try violations("v: -3", againstSchema: schema) == ["p.yaml:1:4: error: v: expected a value of at least 0, got -3"])
        #expect(try violations("v: [1]", againstSchema: schema) == ["p.yaml:1:4: error: v: expected a string or an integer, got a list"])
    }

    @Test func listBranchesReportItemsWithIndexes() throws {
        let text = pipeline(task: "uses: trainer\nwhen: ['${params.a} == 1', '']\nafter: [prep, prep]")
        #expect(try pipelineViolations(text) == [
            "p.yaml:5:32: error: tasks.train.when[1]: expected a non-empty string",
            "p.yaml:6:19: error: tasks.train.after: 'prep' is listed more than once",
        ])
    }
}

// MARK: - The real schema on whole files

@Suite struct PipelineSchemaTests {
    @Test func aFullValidPipelinePasses() throws {
        let text = """
            name: churn-training
            display_name: Churn training
            description: Trains a model.
            pipeline_root: gs://bucket/root
            params:
              threshold: {type: float, default: 0.5}
              region: string
            defaults:
              caching: false
              retry: {max_retries: 2, backoff: 30s, backoff_factor: 2, max_backoff: 1h}
              with:
                dataproc/*: {region: "${params.region}"}
            components:
              train:
                container:
                  image: gcr.io/p/train:1
                  command: [train, "${inputs.data}"]
                inputs: {data: Dataset, rate: {type: float, default: 0.1}}
                outputs: {model: Model, score: float}
              fn:
                python: {source: fn.py, function: run, packages: [pandas]}
            tasks:
              prep:
                uses: dataproc/pyspark-batch
                resources: {cpu_limit: 500m, memory_limit: 4Gi, accelerator: {type: NVIDIA_TESLA_T4, count: 1}}
                env: {MODE: full}
              train:
                uses: train
                after: prep
                when: ${params.threshold} > 0.1
                with: {data: "${tasks.prep.outputs.data}"}
              gate:
                if: ${tasks.train.outputs.score} >= ${params.threshold}
                then: {deploy: {uses: fn}}
                elif:
                  - if: ${tasks.train.outputs.score} >= 0.2
                    then: {review: {uses: fn}}
                else: {drop: {uses: fn}}
            """
        #expect(try pipelineViolations(text) == [])
    }

    @Test func theTopLevelMustHaveNameAndTasks() throws {
        #expect(try pipelineViolations("description: nothing\n") == [
            "p.yaml:1:1: error: missing required key 'name'",
            "p.yaml:1:1: error: missing required key 'tasks'",
        ])
    }

    @Test(arguments: [
        ("name: Demo", "p.yaml:1:7: error: name: expected a pipeline name: lowercase letters, digits and hyphens, starting with a letter or digit, at most 128 characters, got 'Demo'"),
        ("name: demo\npipeline_root: file:///tmp/root", "p.yaml:2:16: error: pipeline_root: expected a bucket URI: gs://bucket/path, or s3:// or minio:// for Kubeflow Pipelines, got 'file:///tmp/root'"),
        ("name: demo\nnmae: x", "p.yaml:2:1: error: unknown key 'nmae' (did you mean 'name'?)"),
    ])
    func topLevelFields(header: String, expected: String) throws {
        #expect(try pipelineViolations(header + "\ntasks: {a: {uses: b}}\n") == [expected])
    }

    /// Kubeflow Pipelines backends keep artifacts in S3 or MinIO buckets too.
    @Test(arguments: ["gs://bucket/root", "s3://bucket/root", "minio://mlpipeline/v2/artifacts"])
    func pipelineRootsOfEveryBackendAreAccepted(root: String) throws {
        #expect(try pipelineViolations("name: demo\npipeline_root: \(root)\ntasks: {a: {uses: b}}\n") == [])
    }

    @Test(arguments: [
        ("uses: Trainer", "p.yaml:4:11: error: tasks.train.uses: expected a component name, such as dataproc/pyspark-batch or a name under 'components', got 'Trainer'"),
        ("uses: t\nresources: {}", "p.yaml:5:16: error: tasks.train.resources: expected at least one entry"),
        ("uses: t\nresources: {cpu_limit: 0}", "p.yaml:5:28: error: tasks.train.resources.cpu_limit: expected a value greater than 0, got 0"),
        ("uses: t\nresources: {memory_limit: 0}", "p.yaml:5:31: error: tasks.train.resources.memory_limit: expected a value of at least 1, got 0"),
        ("uses: t\nenv: {1BAD: x}", "p.yaml:5:11: error: tasks.train.env: invalid key '1BAD': expected an environment variable name"),
        ("uses: t\nenv: {MODE: 1}", "p.yaml:5:17: error: tasks.train.env.MODE: expected a string, got an integer (1); write \"1\" in quotes for a string"),
        ("uses: t\ncaching: yes", "p.yaml:5:14: error: tasks.train.caching: expected a boolean, got 'yes'"),
        ("uses: t\nretry: {max_retries: 1, backoff_factor: 0}", "p.yaml:5:45: error: tasks.train.retry.backoff_factor: expected a value greater than 0, got 0"),
    ])
    func taskFields(task: String, expected: String) throws {
        #expect(try pipelineViolations(pipeline(task: task)) == [expected])
    }

    @Test func tasksNeedAtLeastOneEntryAndValidNames() throws {
        #expect(try pipelineViolations("name: demo\ntasks: {}\n") == ["p.yaml:2:8: error: tasks: expected at least one entry"])
        #expect(try pipelineViolations("name: demo\ntasks:\n  Train: {uses: t}\n") == [
            "p.yaml:3:3: error: tasks: invalid key 'Train': expected a task name: lowercase letters, digits and hyphens, starting with a letter",
        ])
    }

    /// The example pipelines in the repository conform.
    @Test(arguments: exampleFiles())
    func examplesPass(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try pipelineViolations(text) == [])
    }

    static func exampleFiles() -> [String] {
        yamlFiles(in: ["examples", "pipelines"])
    }

    @Test func thereAreExamplesToCheck() {
        #expect(Self.exampleFiles().count >= 5)
    }
}

/// Numbers that are equal by value are the same item, however they are written.
@Test func uniqueItemsComparesNumbersByValue() throws {
    let schema = #"{"properties": {"l": {"uniqueItems": true}}}"#
    #expect(try violations("l: [1, 1.0, 0x1]", againstSchema: schema) == [
        "p.yaml:1:8: error: l: '1.0' is listed more than once",
        "p.yaml:1:13: error: l: '0x1' is listed more than once",
    ])
}

@Test func quotesInKeysAreEscapedInPaths() throws {
    let schema = #"{"properties": {"m": {"additionalProperties": {"type": "integer"}}}}"#
    #expect(try violations(#"m: {'a"b': x}"#, againstSchema: schema) == [#"p.yaml:1:12: error: m["a\"b"]: expected an integer, got 'x'"#])
}
