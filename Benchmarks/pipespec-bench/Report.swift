import Foundation

/// The design targets.
enum Target {
    static let churnSpeedup = 100.0
    static let largeSeconds = 1.0
    static let largePeakRSSBytes = 256 * 1024 * 1024
    static let scalingRatio = 12.0
    static let hostileInputBytes = 20 << 20
    static let hostileSeconds = 2.0
    /// Peak RSS at most this many times the input's size.
    static let hostileMemoryFactor = 10.0
}

/// All measurements of one benchmark run.
struct Results {
    var pipespecChurn: Measurement
    var kfpChurn: Measurement
    var small: Measurement
    var large: Measurement
    var hugeValid: Measurement
    var hugeInvalid: Measurement
}

struct Verdict {
    var line: String
    var passed: Bool
}

func table(_ results: Results) -> String {
    let measurements = [results.pipespecChurn, results.kfpChurn, results.small, results.large, results.hugeValid, results.hugeInvalid]
    let rows = measurements.map { m in
        row([
            m.name, "\(m.runs.count)", milliseconds(m.median), milliseconds(m.fastest),
            milliseconds(m.slowest), peakRSS(m.peakRSSRun),
        ])
    }
    var lines = [row(["benchmark", "runs", "median", "fastest", "slowest", "peak RSS"])] + rows
    if measurements.contains(where: \.peakRSSRun.maxRSSIsUpperBound) {
        lines.append("≤ marks a bound: a child peaking below the bench's own RSS reports the bench's (vfork)")
    }
    return lines.joined(separator: "\n")
}

func verdicts(_ results: Results) -> [Verdict] {
    let pipespec = results.pipespecChurn.median, kfp = results.kfpChurn.median
    let speedup = kfp / pipespec
    let large = results.large, small = results.small
    let scaling = large.median / small.median
    return [
        Verdict(
            line: "churn: pipespec \(milliseconds(pipespec)) vs kfp \(milliseconds(kfp)) → \(ratio(speedup)) faster (target ≥ \(ratio(Target.churnSpeedup)))",
            passed: speedup >= Target.churnSpeedup),
        Verdict(
            line: "10k tasks: \(milliseconds(large.median)) (target < \(milliseconds(Target.largeSeconds)))",
            passed: large.median < Target.largeSeconds),
        Verdict(
            line: "10k tasks: peak RSS \(peakRSS(large.peakRSSRun)) (target < \(Target.largePeakRSSBytes >> 20) MiB)",
            passed: large.peakRSSRun.maxRSSBytes < Target.largePeakRSSBytes),
        Verdict(
            line: "scaling: 10k tasks \(milliseconds(large.median)) vs 1k tasks \(milliseconds(small.median)) → \(ratio(scaling)) the time (target < \(ratio(Target.scalingRatio)))",
            passed: scaling < Target.scalingRatio),
    ] + [results.hugeValid, results.hugeInvalid].flatMap { huge in
        let factor = Double(huge.peakRSSRun.maxRSSBytes) / Double(Target.hostileInputBytes)
        return [
            Verdict(
                line: "\(huge.name): \(milliseconds(huge.median)) (target < \(milliseconds(Target.hostileSeconds)))",
                passed: huge.median < Target.hostileSeconds),
            Verdict(
                line: "\(huge.name): peak RSS \(peakRSS(huge.peakRSSRun)) → \(truncated(factor, decimals: 1))× the input (target ≤ \(truncated(Target.hostileMemoryFactor, decimals: 0))×)",
                passed: factor <= Target.hostileMemoryFactor),
        ]
    }
}

private func milliseconds(_ seconds: Double) -> String {
    let ms = seconds * 1000
    return truncated(ms, decimals: ms < 100 ? 1 : 0) + " ms"
}

/// "≤" marks a bound rather than the child's own peak.
private func peakRSS(_ run: Run) -> String {
    (run.maxRSSIsUpperBound ? "≤ " : "") + truncated(Double(run.maxRSSBytes) / (1024 * 1024), decimals: 1) + " MiB"
}

private func ratio(_ value: Double) -> String {
    truncated(value, decimals: value < 10 ? 1 : 0) + "x"
}

/// `value` cut, not rounded, to `decimals` decimals, so that a value shown beside a target is
/// on the same side of it as the value measured (99.7x shows as 99x, not 100x).
private func truncated(_ value: Double, decimals: Int) -> String {
    let scale = pow(10, Double(decimals))
    return String(format: "%.\(decimals)f", (value * scale).rounded(.down) / scale)
}

/// The first cell left-aligned, the others right-aligned, in fixed-width columns.
private func row(_ cells: [String]) -> String {
    let widths = [24, 6, 11, 11, 11, 12]
    return zip(cells, widths).enumerated().map { column, cell in
        let fill = String(repeating: " ", count: max(0, cell.1 - cell.0.count))
        return column == 0 ? cell.0 + fill : fill + cell.0
    }.joined()
}
