import Diagnostics
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
            Diagnostic(.error, "unknown task 'evalute' in 'after' (did you mean 'evaluate'?)", at: SourceLocation(file: "p.yaml", line: 4, column: 13),
                       notes: [.init("'train' is defined here", at: SourceLocation(file: "p.yaml", line: 3, column: 3))]),
            Diagnostic(.warning, "bucket 'b' is short", at: SourceLocation(file: "p.yaml", line: 5, column: 17)),
            Diagnostic(.error, "cannot read 'x.py': No such file or directory", at: nil),
        ]
    }

    func formatter(_ format: DiagnosticsFormatter.Format, colors: Bool = false) -> DiagnosticsFormatter {
        DiagnosticsFormatter(format: format, colors: colors, toolVersion: "pipespec 0.1.0") { $0 == "p.yaml" ? source : nil }
    }

    @Test func textShowsTheLineWithThePlaceUnderlined() {
        #expect(formatter(.text).render(diagnostics) == """
            p.yaml:4:13: error: unknown task 'evalute' in 'after' (did you mean 'evaluate'?)
              |
            4 |     after: [evalute]
              |             ^~~~~~~
            p.yaml:3:3: note: 'train' is defined here
              |
            3 |   train:
              |   ^~~~~
            p.yaml:5:17: warning: bucket 'b' is short
              |
            5 |     with: {uri: "gs://b/x.py"}
              |                 ^~~~~~~~~~~~~
            pipespec: error: cannot read 'x.py': No such file or directory

            """)
    }

    @Test func eachFileIsReadOnceHoweverManyExcerpts() {
        final class Reads { var count = 0 }
        let reads = Reads()
        let formatter = DiagnosticsFormatter(format: .text) { path in
            reads.count += 1
            return path == "p.yaml" ? source : nil
        }
        let rendered = formatter.render(diagnostics + diagnostics + [Diagnostic(.error, "elsewhere", at: SourceLocation(file: "q.yaml", line: 1, column: 1))])
        #expect(reads.count == 2)
        #expect(rendered.contains("q.yaml:1:1: error: elsewhere\n"))
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
        let special = Diagnostic(.error, "50% done\nthen this", at: SourceLocation(file: "a,b:c.yaml", line: 2, column: 1))
        #expect(formatter(.github).render(diagnostics + [special]) == """
            ::error file=p.yaml,line=4,col=13::unknown task 'evalute' in 'after' (did you mean 'evaluate'?)
            ::notice file=p.yaml,line=3,col=3::'train' is defined here
            ::warning file=p.yaml,line=5,col=17::bucket 'b' is short
            ::error::cannot read 'x.py': No such file or directory
            ::error file=a%2Cb%3Ac.yaml,line=2,col=1::50%25 done%0Athen this

            """)
    }

    @Test func jsonHoldsEveryField() {
        let json = formatter(.json).render(Array(diagnostics.prefix(1)))
        #expect(json.contains(#""severity": "error""#))
        #expect(json.contains(#""line": 4"#) && json.contains(#""column": 13"#))
        #expect(json.contains(#""notes": ["#) && json.contains(#""message": "'train' is defined here""#))
    }

    @Test func sarifHasOneResultADiagnostic() {
        let sarif = formatter(.sarif).render(diagnostics)
        #expect(sarif.contains(#""version": "2.1.0""#))
        #expect(sarif.split(separator: "\"level\": ").count == 4)
        #expect(sarif.contains(#""relatedLocations": ["#))
        #expect(sarif.contains(#""startColumn": 13"#))
    }
}
