@testable import Diagnostics
import Testing

@Suite struct DiagnosticsFormatterTests {
    let source = Array("""
        name: demo
        tasks:
          train:
            after: [evalute]
            with: {uri: "gs://b/x.py"}

        """.utf8)

    var diagnostics: [Diagnostic] {
        [
            Diagnostic(.error, unknownTask, "unknown task 'evalute' in 'after' (did you mean 'evaluate'?)", at: place(4, 13),
                       notes: [.init("'train' is defined here", at: place(3, 3))],
                       fixIts: [FixIt(at: place(4, 13), replacing: "evalute", with: "evaluate")]),
            Diagnostic(.warning, DiagnosticID("short-bucket"), "bucket 'b' is short", at: place(5, 17)),
            Diagnostic(.error, DiagnosticID("input-unreadable"), "cannot read 'x.py': No such file or directory", at: nil),
        ]
    }

    let unknownTask = DiagnosticID("unknown-task")

    func place(_ line: Int, _ column: Int) -> Diagnostics.SourceLocation {
        SourceLocation(file: "p.yaml", line: line, column: column)
    }

    /// JSON output without its layout (no string in these tests holds a space that matters).
    func compact(_ json: String) -> String {
        json.filter { !$0.isWhitespace }
    }

    func formatter(_ format: DiagnosticsFormatter.Format, colors: Bool = false) -> DiagnosticsFormatter {
        DiagnosticsFormatter(format: format, colors: colors, toolVersion: "pipespec 0.1.0") { $0 == "p.yaml" ? source : nil }
    }

    @Test func textShowsTheLineWithThePlaceUnderlined() {
        #expect(formatter(.text).render(diagnostics) == """
            p.yaml:4:13: error: unknown task 'evalute' in 'after' (did you mean 'evaluate'?) [unknown-task]
              |
            4 |     after: [evalute]
              |             ^~~~~~~
              |             evaluate
            p.yaml:3:3: note: 'train' is defined here
              |
            3 |   train:
              |   ^~~~~
            p.yaml:5:17: warning: bucket 'b' is short [short-bucket]
              |
            5 |     with: {uri: "gs://b/x.py"}
              |                 ^~~~~~~~~~~~~
            pipespec: error: cannot read 'x.py': No such file or directory [input-unreadable]

            """)
    }

    @Test func eachFileIsReadOnceHoweverManyExcerpts() {
        final class Reads { var count = 0 }
        let reads = Reads()
        let formatter = DiagnosticsFormatter(format: .text) { path in
            reads.count += 1
            return path == "p.yaml" ? source : nil
        }
        let rendered = formatter.render(diagnostics + diagnostics + [Diagnostic(.error, unknownTask, "elsewhere", at: SourceLocation(file: "q.yaml", line: 1, column: 1))])
        #expect(reads.count == 2)
        #expect(rendered.contains("q.yaml:1:1: error: elsewhere [unknown-task]\n"))
    }

    @Test func coloursOnlyWhenAsked() {
        #expect(!formatter(.text).render(diagnostics).contains("\u{1B}["))
        let coloured = formatter(.text, colors: true).render(diagnostics)
        #expect(coloured.contains("\u{1B}[1;31merror:\u{1B}[0m"))
        #expect(coloured.contains("\u{1B}[1;33mwarning:\u{1B}[0m"))
    }

    @Test func anOmittedCountEndsTheList() {
        let text = formatter(.text).render(Array(diagnostics.prefix(1)), omitted: 7)
        #expect(text.hasSuffix("pipespec: note: 7 more errors not shown (--error-limit N shows more)\n"))
    }

    @Test func githubWorkflowCommandsEscapeWhatTheyMust() {
        let special = Diagnostic(.error, unknownTask, "50% done\nthen this", at: SourceLocation(file: "a,b:c.yaml", line: 2, column: 1))
        #expect(formatter(.github).render(diagnostics + [special]) == """
            ::error file=p.yaml,line=4,col=13,title=pipespec unknown-task::unknown task 'evalute' in 'after' (did you mean 'evaluate'?)
            ::notice file=p.yaml,line=3,col=3::'train' is defined here
            ::warning file=p.yaml,line=5,col=17,title=pipespec short-bucket::bucket 'b' is short
            ::error title=pipespec input-unreadable::cannot read 'x.py': No such file or directory
            ::error file=a%2Cb%3Ac.yaml,line=2,col=1,title=pipespec unknown-task::50%25 done%0Athen this

            """)
    }

    @Test func jsonHoldsEveryField() {
        let json = formatter(.json).render(Array(diagnostics.prefix(1)))
        #expect(json.contains(#""severity": "error""#) && json.contains(#""id": "unknown-task""#))
        #expect(compact(json).contains(#""fixits":[{"column":13,"end_column":20,"file":"p.yaml","line":4,"replacement":"evaluate"}]"#))
        #expect(json.contains(#""line": 4"#) && json.contains(#""column": 13"#))
        // The range the text underlines: 'evalute', columns 13 to 20.
        #expect(compact(json).hasPrefix(#"[{"column":13,"end_column":20,"file":"p.yaml","fixits""#))
        #expect(json.contains(#""notes": ["#) && json.contains(#""message": "'train' is defined here""#))
    }

    @Test func sarifHasOneResultADiagnostic() {
        let sarif = formatter(.sarif).render(diagnostics)
        #expect(sarif.contains(#""version": "2.1.0""#))
        #expect(sarif.split(separator: "\"level\": ").count == 4)
        #expect(sarif.contains(#""relatedLocations": ["#))
        #expect(sarif.contains(#""startColumn": 13"#))
        #expect(sarif.contains(#""ruleId": "unknown-task""#) && sarif.contains(#""ruleIndex": 2"#))
        #expect(compact(sarif).contains(#""region":{"endColumn":20,"startColumn":13,"startLine":4}"#))
        #expect(compact(sarif).contains(#""insertedContent":{"text":"evaluate"}"#))
        #expect(compact(sarif).contains(#""deletedRegion":{"endColumn":20,"startColumn":13,"startLine":4}"#))
    }

    @Test func aFixItIsShownOnlyWhereTheSourceHoldsItsText() {
        let stale = Diagnostic(.error, unknownTask, "unknown task", at: place(4, 13), fixIts: [FixIt(at: place(4, 13), replacing: "train", with: "evaluate")])
        #expect(!formatter(.text).render([stale]).contains("evaluate"))
        #expect(!formatter(.sarif).render([stale]).contains("fixes"))
        let quoted = Array("after: [\"evalute\"]\n".utf8)
        let inQuotes = DiagnosticsFormatter(format: .json) { _ in quoted }.render([
            Diagnostic(.error, unknownTask, "unknown task", at: place(1, 9), fixIts: [FixIt(at: place(1, 9), replacing: "evalute", with: "evaluate")]),
        ])
        #expect(compact(inQuotes).contains(#""column":10,"end_column":17"#))
    }
}

@Suite struct LongLineTests {
    @Test func aLongLineIsShownAsAWindowAroundThePlace() {
        let line = (0..<2_000).map { "k\($0): v" }.joined(separator: ", ")
        let source = Array("{\(line), tarin: x}\n".utf8)
        let column = line.count + 4  // the 't' of 'tarin', after "{" and ", "
        let place = SourceLocation(file: "wide.json", line: 1, column: column)
        let diagnostic = Diagnostic(.error, DiagnosticID("schema-unknown-key"), "unknown key 'tarin'", at: place,
                                    fixIts: [FixIt(at: place, replacing: "tarin", with: "train")])
        let text = DiagnosticsFormatter(format: .text) { _ in source }.render([diagnostic])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2].hasPrefix("1 | …"))
        #expect(lines[2].count < 180)
        // The caret and the replacement stand under 'tarin' in the window.
        let shown = Array(lines[2].dropFirst(4))
        let caret = Array(lines[3].dropFirst(4)).firstIndex(of: "^")!
        #expect(String(shown[caret..<caret + 5]) == "tarin")
        #expect(lines[4].dropFirst(4).drop { $0 == " " }.hasPrefix("train"))
        #expect(Array(lines[4].dropFirst(4)).firstIndex(of: "t") == caret)
        // Machines get the columns of the whole line.
        let json = DiagnosticsFormatter(format: .json) { _ in source }.render([diagnostic]).filter { !$0.isWhitespace }
        #expect(json.contains(#""column":\#(column),"end_column":\#(column + 5)"#))
    }

    @Test func columnsCountCharactersNotBytes() {
        let source = Array("name: \"héllo wörld\", tarin: 1\n".utf8)
        let place = SourceLocation(file: "u.yaml", line: 1, column: 22)
        let text = DiagnosticsFormatter(format: .text) { _ in source }.render([
            Diagnostic(.error, DiagnosticID("schema-unknown-key"), "unknown key", at: place, fixIts: [FixIt(at: place, replacing: "tarin", with: "train")]),
        ])
        #expect(text.contains("\n  |                      ^~~~~\n  |                      train\n"))
    }
}

@Suite struct SARIFLocationTests {
    @Test func pathsBecomeURIReferences() {
        #expect(DiagnosticsFormatter.uriReference("pipelines/churn.yaml") == "pipelines/churn.yaml")
        #expect(DiagnosticsFormatter.uriReference("bad input/é.yaml") == "bad%20input/%C3%A9.yaml")
        #expect(DiagnosticsFormatter.uriReference("<stdin>") == "%3Cstdin%3E")
        #expect(DiagnosticsFormatter.uriReference("c:x#y?z") == "c%3Ax%23y%3Fz")
    }
}
