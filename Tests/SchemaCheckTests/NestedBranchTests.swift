import Testing

/// One schema error deep inside nested if/then groups: each group is a oneOf branch of the
/// task schema, so an error deep down fails every enclosing branch. Checking remembers which
/// branches a node fits; without that the work doubled with every level (depth 20 took
/// seconds), and depth 40 would not finish in any time limit.
@Suite struct NestedBranchTests {
    static func nested(depth: Int) -> String {
        var lines = ["name: nested", "components:", "  echo:", "    container: {image: alpine, command: [echo]}", "params:", "  x: {type: int, default: 1}", "tasks:"]
        var indent = "  "
        for level in 0..<depth {
            lines += ["\(indent)g\(level):", "\(indent)  if: ${params.x} > \(level)", "\(indent)  then:"]
            indent += "    "
        }
        lines.append("\(indent)leaf: {uses: echo, bogus: 1}")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(.timeLimit(.minutes(1)))
    func anErrorDeepInNestedGroupsIsFoundOnce() throws {
        let depth = 40
        let problems = try pipelineViolations(Self.nested(depth: depth))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("p.yaml:\(8 + 3 * depth):") == true)
        #expect(problems.first?.contains("bogus") == true)
    }
}

@Suite struct QuotingHintTests {
    @Test func quotingIsSuggestedOnlyWhenTheQuotedTextWouldDo() throws {
        let duration = try pipelineViolations(pipeline(task: "uses: echo\nretry: {max_retries: 2, backoff: 30}"))
        #expect(duration == ["p.yaml:5:38: error: tasks.train.retry.backoff: expected a duration such as 30s, 5m or 1h, got an integer (30)"])
        let display = try pipelineViolations(pipeline(task: "uses: echo\ndisplay_name: 12"))
        #expect(display.count == 1 && display[0].hasSuffix(#"; write "12" in quotes for a string"#))
    }
}
