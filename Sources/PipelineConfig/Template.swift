import Diagnostics
import YAML

/// A string with `${...}` references in it. `$${` writes a literal `${`.
package struct Template: Sendable {
    package enum Segment: Sendable {
        case text(String)
        case reference(Reference, SourceLocation)
    }

    /// Most strings hold no reference: they keep their text alone, since an array for each
    /// would double the memory a large pipeline takes.
    private enum Storage: Sendable {
        case text(String)
        case segments([Segment])
    }

    private let storage: Storage
    package let location: SourceLocation

    package init(segments: [Segment], location: SourceLocation) {
        if segments.count == 1, case .text(let text) = segments[0] {
            storage = .text(text)
        } else {
            storage = .segments(segments)
        }
        self.location = location
    }

    package var segments: [Segment] {
        switch storage {
        case .text(let text): return [.text(text)]
        case .segments(let segments): return segments
        }
    }

    /// The reference, when the whole string is exactly one `${...}`: it then keeps its type.
    package var wholeReference: (reference: Reference, location: SourceLocation)? {
        guard case .segments(let segments) = storage, segments.count == 1, case .reference(let reference, let location) = segments[0] else { return nil }
        return (reference, location)
    }

    /// The text, when the string has no references.
    package var constantText: String? {
        if case .text(let text) = storage { return text }
        var text = ""
        for segment in segments {
            guard case .text(let part) = segment else { return nil }
            text += part
        }
        return text
    }

    package var references: [(reference: Reference, location: SourceLocation)] {
        guard case .segments(let segments) = storage else { return [] }
        return segments.compactMap {
            if case .reference(let reference, let location) = $0 { return (reference, location) }
            return nil
        }
    }
}

package enum TemplateParser {
    /// Parses the string scalar `scalar` written at `location`; reports syntax errors.
    /// Works on UTF-8 bytes: `$`, `{` and `}` are ASCII and cannot occur inside a
    /// multi-byte character; offsets are converted to columns only for locations.
    package static func parse(_ scalar: Scalar, at location: SourceLocation, diagnostics: DiagnosticEngine) -> Template? {
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        guard scalar.text.utf8.contains(dollar) else {
            return Template(segments: scalar.text.isEmpty ? [] : [.text(scalar.text)], location: location)
        }
        let bytes = Array(scalar.text.utf8)
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        func locationOf(_ offset: Int) -> SourceLocation {
            scalar.location(ofOffset: text(0..<offset).unicodeScalars.count, in: location)
        }
        var segments: [Template.Segment] = []
        var pending = ""
        var runStart = 0
        var index = 0
        var valid = true
        while index < bytes.count {
            guard bytes[index] == dollar else {
                index += 1
                continue
            }
            if index + 2 < bytes.count, bytes[index + 1] == dollar, bytes[index + 2] == open {
                pending += text(runStart..<index) + "${"
                index += 3
                runStart = index
                continue
            }
            guard index + 1 < bytes.count, bytes[index + 1] == open else {
                index += 1
                continue
            }
            pending += text(runStart..<index)
            guard let end = bytes[(index + 2)...].firstIndex(of: close) else {
                diagnostics.error(.unterminatedReference, "unterminated '${' (a reference ends with '}'; write '$${' for a literal '${')", at: locationOf(index))
                return nil
            }
            let referenceLocation = locationOf(index)
            if let reference = parseReference(text((index + 2)..<end).trimming(" "), at: referenceLocation, diagnostics: diagnostics) {
                if !pending.isEmpty { segments.append(.text(pending)) }
                pending = ""
                segments.append(.reference(reference, referenceLocation))
            } else {
                valid = false
            }
            index = end + 1
            runStart = index
        }
        pending += text(runStart..<bytes.count)
        if !pending.isEmpty { segments.append(.text(pending)) }
        return valid ? Template(segments: segments, location: location) : nil
    }

    private static let namespaces = ["params", "tasks", "item", "loops", "pipeline", "task", "inputs", "outputs", "executor_input"]

    static func parseReference(_ body: String, at location: SourceLocation, diagnostics: DiagnosticEngine) -> Reference? {
        let parts = body.dottedParts
        func invalid(_ expected: String) -> Reference? {
            diagnostics.error(.invalidReference, "invalid reference '${\(body)}': expected \(expected)", at: location)
            return nil
        }
        guard let namespace = parts.first, !namespace.isEmpty else {
            return invalid("a name such as params.NAME, tasks.TASK.outputs.NAME or pipeline.job_id")
        }
        switch namespace {
        case "params":
            guard parts.count == 2, isName(parts[1]) else { return invalid("params.NAME") }
            return .param(parts[1])
        case "tasks":
            guard parts.count == 4 || (parts.count == 5 && parts[4] == "collected"), isName(parts[1]), parts[2] == "outputs", isName(parts[3]) else {
                return invalid("tasks.TASK.outputs.NAME")
            }
            return parts.count == 5 ? .collectedOutput(task: parts[1], output: parts[3]) : .taskOutput(task: parts[1], output: parts[3])
        case "pipeline", "task":
            if let value = RuntimeValue(rawValue: body) { return .runtime(value) }
            let known = RuntimeValue.allCases.map(\.rawValue)
            diagnostics.error(.unknownRuntimeValue, "unknown run-time value '${\(body)}'\(Suggestions.didYouMean(body, in: known)); known: \(known.joined(separator: ", "))", at: location)
            return nil
        case "inputs", "outputs":
            guard parts.count == 2 || parts.count == 3, isName(parts[1]) else { return invalid("\(namespace).NAME") }
            var field: Reference.ArtifactField?
            if parts.count == 3 {
                guard let parsed = Reference.ArtifactField(rawValue: parts[2]), namespace == "inputs" || parsed != .metadata else {
                    return invalid("\(namespace).NAME, \(namespace).NAME.path or \(namespace).NAME.uri")
                }
                field = parsed
            }
            return namespace == "inputs" ? .componentInput(parts[1], field) : .componentOutput(parts[1], field)
        case "item":
            guard parts.count <= 2, parts.count == 1 || isName(parts[1]) else { return invalid("item or item.FIELD") }
            return .loopItem(loop: nil, field: parts.count == 2 ? parts[1] : nil)
        case "loops":
            guard parts.count == 3 || parts.count == 4, isName(parts[1]), parts[2] == "item", parts.count == 3 || isName(parts[3]) else {
                return invalid("loops.LOOP.item or loops.LOOP.item.FIELD")
            }
            return .loopItem(loop: parts[1], field: parts.count == 4 ? parts[3] : nil)
        case "executor_input":
            guard parts.count == 1 else { return invalid("executor_input") }
            return .executorInput
        default:
            diagnostics.error(.unknownReference, "unknown reference '${\(body)}'\(Suggestions.didYouMean(namespace, in: namespaces)); a reference starts with params, tasks, item, pipeline or task", at: location)
            return nil
        }
    }

    private static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || $0 == "-" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }
}

extension String {
    /// The parts between dots, empty ones kept (`a..b` has three parts).
    var dottedParts: [String] {
        var parts: [String] = []
        var start = utf8.startIndex
        for index in utf8.indices where utf8[index] == UInt8(ascii: ".") {
            parts.append(String(self[start..<index]))
            start = utf8.index(after: index)
        }
        parts.append(String(self[start...]))
        return parts
    }

    /// The string without leading and trailing characters from `set`.
    package func trimming(_ set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

extension DiagnosticID {
    static let unterminatedReference = DiagnosticID("unterminated-reference")
    static let invalidReference = DiagnosticID("invalid-reference")
    static let unknownRuntimeValue = DiagnosticID("unknown-runtime-value")
    static let unknownReference = DiagnosticID("unknown-reference")
}
