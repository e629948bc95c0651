import Diagnostics
import Foundation
import PipeSpecCompiler
import Testing

/// Typical edits change only the JSON lines of what they touch: group and component keys
/// come from the names in the file, not from counters.
@Suite struct SmallDiffTests {
    static let base = "examples/conditions.yaml"

    private static func compile(_ yaml: String) throws -> [String] {
        let diagnostics = DiagnosticEngine()
        guard case .compiled(let pipeline) = Compiler().compile(Array(yaml.utf8), file: "p.yaml", diagnostics: diagnostics) else {
            Issue.record("does not compile: \(diagnostics.sorted.map(\.description))")
            return []
        }
        return String(decoding: pipeline.specBytes(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// The lines only in `old` and those only in `new`, by a longest common subsequence.
    private static func lineDiff(_ old: [String], _ new: [String]) -> (removed: [String], added: [String]) {
        var lengths = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i][j] = old[i] == new[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
            }
        }
        var removed: [String] = [], added: [String] = []
        var (i, j) = (0, 0)
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                (i, j) = (i + 1, j + 1)
            } else if j < new.count, i == old.count || lengths[i][j + 1] >= lengths[i + 1][j] {
                added.append(new[j]); j += 1
            } else {
                removed.append(old[i]); i += 1
            }
        }
        return (removed, added)
    }

    private static func edited(_ file: String = base, _ transform: (String) -> String) throws -> (removed: [String], added: [String]) {
        let source = try String(contentsOfFile: Repository.path(file), encoding: .utf8)
        let edited = transform(source)
        #expect(edited != source, "the edit did not apply")
        return lineDiff(try compile(source), try compile(edited))
    }

    private static func isPunctuation(_ line: String) -> Bool {
        line.allSatisfy { " {}[],".contains($0) }
    }

    @Test func addingAConditionalTaskFirstOnlyAddsItsLines() throws {
        let diff = try Self.edited {
            $0.replacingOccurrences(of: "  full-refresh:\n", with: """
                  audit:
                    uses: step
                    when: ${params.mode} == 'audit'
                    with: {name: audit}
                  full-refresh:

                """)
        }
        // The other groups keep their keys, so nothing of theirs changes; at most a comma
        // moves where the new entries slot in.
        #expect(diff.removed.allSatisfy(Self.isPunctuation), "\(diff.removed)")
        #expect(diff.removed.count <= 2)
        #expect(diff.added.contains { $0.contains("\"condition-audit\"") })
        #expect(diff.added.count <= 60, "\(diff.added.count) lines added")
    }

    /// The lines of `lines` not matched by one of `others` (a line moved, as sorted keys move
    /// an entry whose neighbour is renamed, is matched).
    private static func unmatched(_ lines: [String], _ others: [String]) -> [String] {
        var remaining = Dictionary(others.map { ($0, 1) }, uniquingKeysWith: +)
        return lines.filter { line in
            guard let count = remaining[line], count > 0 else { return true }
            remaining[line] = count - 1
            return false
        }
    }

    @Test func renamingATaskChangesOnlyTheLinesThatNameIt() throws {
        let diff = try Self.edited { $0.replacingOccurrences(of: "  count:\n", with: "  tally:\n").replacingOccurrences(of: "tasks.count.", with: "tasks.tally.") }
        let removed = Self.unmatched(diff.removed, diff.added), added = Self.unmatched(diff.added, diff.removed)
        #expect(!removed.isEmpty)
        #expect(removed.allSatisfy { $0.contains("count") || Self.isPunctuation($0) }, "\(removed.filter { !$0.contains("count") })")
        #expect(added.allSatisfy { $0.contains("tally") || Self.isPunctuation($0) }, "\(added.filter { !$0.contains("tally") })")
        #expect(removed.count <= 40, "\(removed.count) lines removed")
    }

    @Test func aTaskWithSettingsOfItsOwnRenamesNoOtherComponent() throws {
        let diff = try Self.edited("examples/settings-from-params.yaml") {
            $0.replacingOccurrences(of: "  train:\n    uses: train\n", with: """
                  train-big:
                    uses: train
                    after: prepare
                    resources: {cpu_limit: "16"}
                  train:
                    uses: train

                """)
        }
        #expect(diff.removed.allSatisfy(Self.isPunctuation), "\(diff.removed)")
        #expect(diff.added.contains { $0.contains("\"comp-train-train-big\"") })
    }

    @Test func changingADefaultChangesOneLine() throws {
        let diff = try Self.edited { $0.replacingOccurrences(of: "default: 1000", with: "default: 2000") }
        #expect(diff.removed == ["          \"defaultValue\": 1000.0,"])
        #expect(diff.added == ["          \"defaultValue\": 2000.0,"])
    }
}
