import Diagnostics
import PipelineConfig
import Testing
import YAML

/// Parses the scalar written as `value: <written>`.
func template(_ written: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> (template: Template?, diagnostics: [String]) {
    let (value, location) = try scalar(written, sourceLocation: sourceLocation)
    let engine = DiagnosticEngine()
    let parsed = TemplateParser.parse(value, at: location, diagnostics: engine)
    #expect((parsed == nil) == engine.hasErrors, sourceLocation: sourceLocation)
    return (parsed, engine.rendered)
}

/// A readable form of the segments: text as is, references as `{spelling@column}`.
func segments(_ template: Template) -> [String] {
    template.segments.map { segment in
        switch segment {
        case .text(let text): return text
        case .reference(let reference, let location): return "{\(reference.spelling)@\(location.line):\(location.column)}"
        }
    }
}

/// A command-line item's segments, `if_present` choices as `?INPUT` then their `then` items.
func segments(_ item: CommandLineConfig) -> [String] {
    switch item {
    case .argument(let template): return segments(template)
    case .ifPresent(let input, let then, _): return ["?\(input.value)"] + then.flatMap(segments)
    }
}

@Suite struct TemplateParserTests {
    @Test func textWithoutReferencesIsConstant() throws {
        let parsed = try #require(try template("plain text, costs $5").template)
        #expect(segments(parsed) == ["plain text, costs $5"])
        #expect(parsed.constantText == "plain text, costs $5")
        #expect(parsed.wholeReference == nil)
        #expect(parsed.references.isEmpty)
        #expect(parsed.location == at(1, 8))
    }

    @Test func anEmptyStringHasNoSegments() throws {
        let parsed = try #require(try template("''").template)
        #expect(parsed.segments.isEmpty)
        #expect(parsed.constantText == "")
    }

    @Test func aWholeReferenceIsDetected() throws {
        let parsed = try #require(try template("${params.threshold}").template)
        let whole = try #require(parsed.wholeReference)
        #expect(whole.reference == .param("threshold"))
        #expect(whole.location == at(1, 8))
        #expect(parsed.constantText == nil)
    }

    @Test(arguments: ["' ${params.x}'", "'${params.x} '", "a${params.x}", "${params.x}${params.y}", "'$${params.x}'"])
    func anythingBesideTheReferenceMakesItNotWhole(written: String) throws {
        let parsed = try #require(try template(written).template)
        #expect(parsed.wholeReference == nil)
    }

    @Test func spacesInsideTheBracesAreIgnored() throws {
        let parsed = try #require(try template("'${  params.x }'").template)
        #expect(parsed.wholeReference?.reference == .param("x"))
    }

    @Test func textAndReferencesAlternateWithColumns() throws {
        let parsed = try #require(try template("gs://b/${pipeline.job_id}/${tasks.train.outputs.model}.txt").template)
        #expect(segments(parsed) == ["gs://b/", "{pipeline.job_id@1:15}", "/", "{tasks.train.outputs.model@1:34}", ".txt"])
        #expect(parsed.references.map(\.reference) == [.runtime(.jobID), .taskOutput(task: "train", output: "model")])
        #expect(parsed.constantText == nil)
    }

    @Test(arguments: [
        ("'$${params.x}'", "${params.x}"),
        ("'a $${b} c'", "a ${b} c"),
        ("'$$${params.x}'", "$${params.x}"),
        ("'ends with $'", "ends with $"),
        ("'$$'", "$$"),
        ("'a $ {b}'", "a $ {b}"),
    ])
    func dollarsThatAreNotReferencesStayText(written: String, text: String) throws {
        let (parsed, diagnostics) = try template(written)
        #expect(diagnostics == [])
        #expect(parsed?.constantText == text)
        #expect(parsed?.references.isEmpty == true)
    }

    @Test func anEscapeBeforeAReferenceKeepsBoth() throws {
        let parsed = try #require(try template("'$${x} ${params.y}'").template)
        #expect(segments(parsed) == ["${x} ", "{params.y@1:15}"])
    }

    /// Each reference's column is where its `$` is written, in every scalar style.
    @Test(arguments: [
        "run ${params.x} now",
        "'run ${params.x} now'",
        "\"run ${params.x} now\"",
        "\"déjà vu ${params.x}\"",
        "'ünïcödé ${params.x}'",
        "x ${pipeline.root} y ${params.x}",
    ])
    func referenceColumnsMatchTheSource(written: String) throws {
        let parsed = try #require(try template(written).template)
        let reference = try #require(parsed.references.last)
        #expect(reference.reference == .param("x"))
        #expect(reference.location == at(1, try column(of: "${params.x}", in: "value: \(written)")))
    }

    @Test func referencesInAFlowSequenceItemHaveTheirColumn() throws {
        let line = #"cmd: [echo, "${inputs.text}", '--out=${outputs.file.path}']"#
        let items = try #require(readYAML(line)["cmd"]?.sequence)
        let engine = DiagnosticEngine()
        let parsed = items.compactMap { item in item.scalar.flatMap { TemplateParser.parse($0, at: item.location, diagnostics: engine) } }
        #expect(engine.diagnostics.isEmpty)
        #expect(parsed.flatMap(segments) == ["echo", "{inputs.text@1:14}", "--out=", "{outputs.file.path@1:38}"])
    }
}

@Suite struct ReferenceParsingTests {
    static let known = "pipeline.job_id, pipeline.job_name, pipeline.job_resource_name, pipeline.root, pipeline.create_time, "
        + "pipeline.schedule_time, pipeline.project, pipeline.location, pipeline.service_account, task.name, task.id"

    @Test(arguments: [
        ("${params.threshold}", Reference.param("threshold")),
        ("${params._x-y}", .param("_x-y")),
        ("${tasks.train.outputs.model}", .taskOutput(task: "train", output: "model")),
        ("${tasks.my-task.outputs.score_2}", .taskOutput(task: "my-task", output: "score_2")),
        ("${inputs.data}", .componentInput("data", nil)),
        ("${inputs.data.path}", .componentInput("data", .path)),
        ("${inputs.data.uri}", .componentInput("data", .uri)),
        ("${inputs.data.metadata}", .componentInput("data", .metadata)),
        ("${outputs.model}", .componentOutput("model", nil)),
        ("${outputs.model.path}", .componentOutput("model", .path)),
        ("${outputs.model.uri}", .componentOutput("model", .uri)),
        ("${executor_input}", .executorInput),
        ("${task.name}", .runtime(.taskName)),
    ])
    func wellFormedReferences(written: String, expected: Reference) throws {
        let (parsed, diagnostics) = try template("'\(written)'")
        #expect(diagnostics == [])
        #expect(parsed?.wholeReference?.reference == expected)
        #expect("${\(expected.spelling)}" == written)
    }

    @Test(arguments: RuntimeValue.allCases)
    func everyRunTimeValueParsesFromItsSpelling(value: RuntimeValue) throws {
        let (parsed, diagnostics) = try template("'${\(value.rawValue)}'")
        #expect(diagnostics == [])
        #expect(parsed?.wholeReference?.reference == .runtime(value))
    }

    @Test(arguments: [
        ("${param.x}", "unknown reference '${param.x}' (did you mean 'params'?); a reference starts with params, tasks, item, pipeline or task"),
        ("${task.xyzzy}", "unknown run-time value '${task.xyzzy}'; known: \(ReferenceParsingTests.known)"),
        ("${foo.x}", "unknown reference '${foo.x}'; a reference starts with params, tasks, item, pipeline or task"),
        ("${input.x}", "unknown reference '${input.x}' (did you mean 'inputs'?); a reference starts with params, tasks, item, pipeline or task"),
        ("${pipeline.job_idd}", "unknown run-time value '${pipeline.job_idd}' (did you mean 'pipeline.job_id'?); known: \(ReferenceParsingTests.known)"),
        ("${task.nam}", "unknown run-time value '${task.nam}' (did you mean 'task.name'?); known: \(ReferenceParsingTests.known)"),
        ("${}", "invalid reference '${}': expected a name such as params.NAME, tasks.TASK.outputs.NAME or pipeline.job_id"),
        ("${.x}", "invalid reference '${.x}': expected a name such as params.NAME, tasks.TASK.outputs.NAME or pipeline.job_id"),
        ("${params}", "invalid reference '${params}': expected params.NAME"),
        ("${params.x.y}", "invalid reference '${params.x.y}': expected params.NAME"),
        ("${params.1x}", "invalid reference '${params.1x}': expected params.NAME"),
        ("${params.}", "invalid reference '${params.}': expected params.NAME"),
        ("${tasks.train.output.model}", "invalid reference '${tasks.train.output.model}': expected tasks.TASK.outputs.NAME"),
        ("${tasks.train.outputs}", "invalid reference '${tasks.train.outputs}': expected tasks.TASK.outputs.NAME"),
        ("${inputs.x.size}", "invalid reference '${inputs.x.size}': expected inputs.NAME, inputs.NAME.path or inputs.NAME.uri"),
        ("${outputs.x.metadata}", "invalid reference '${outputs.x.metadata}': expected outputs.NAME, outputs.NAME.path or outputs.NAME.uri"),
        ("${inputs}", "invalid reference '${inputs}': expected inputs.NAME"),
        ("${executor_input.x}", "invalid reference '${executor_input.x}': expected executor_input"),
    ])
    func malformedReferencesAreReportedAtTheirDollar(written: String, message: String) throws {
        let (parsed, diagnostics) = try template("'see ${params.ok} and \(written)'")
        #expect(parsed == nil)
        #expect(diagnostics == ["p.yaml:1:30: error: \(message)"])
    }

    @Test(arguments: [
        ("'echo ${params.x'", 14),
        ("echo ${params.x", 13),
        ("'${params.a} ${b'", 21),
    ])
    func anUnterminatedReferenceIsReportedAtItsDollar(written: String, column: Int) throws {
        let (parsed, diagnostics) = try template(written)
        #expect(parsed == nil)
        #expect(diagnostics == ["p.yaml:1:\(column): error: unterminated '${' (a reference ends with '}'; write '$${' for a literal '${')"])
    }

    @Test func everyBadReferenceInAStringIsReported() throws {
        let (parsed, diagnostics) = try template("'${param.x} and ${pipeline.jobid} and ${params.ok}'")
        #expect(parsed == nil)
        #expect(diagnostics.count == 2)
        #expect(diagnostics.first?.hasPrefix("p.yaml:1:9: error: unknown reference '${param.x}'") == true)
        #expect(diagnostics.last?.hasPrefix("p.yaml:1:24: error: unknown run-time value '${pipeline.jobid}' (did you mean 'pipeline.job_id'?)") == true)
    }
}
