import JSON

/// Renders diagnostics for people or for machines, apart from the model that holds them
/// (as swift-syntax's `DiagnosticsFormatter` does).
///
/// - `text`: the `FILE:LINE:COLUMN: severity: message` line editors and `grep` read, then the
///   source line with the place underlined, in colour when asked;
/// - `json`: one object a diagnostic;
/// - `github`: GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`), which
///   annotate a pull request;
/// - `sarif`: SARIF 2.1.0, for code-scanning upload.
public struct DiagnosticsFormatter {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, github, sarif
    }

    public var format: Format
    public var colors: Bool
    /// The tool's version, for SARIF.
    public var toolVersion: String
    /// The files excerpts are taken from, each read once.
    private let sources: SourceLines

    /// `source` gives the text of a file, for excerpts (`nil` when it cannot be read); it is
    /// asked once a file, however many diagnostics point into it.
    public init(format: Format = .text, colors: Bool = false, toolVersion: String = "", source: @escaping (String) -> [UInt8]? = { _ in nil }) {
        self.format = format
        self.colors = colors
        self.toolVersion = toolVersion
        self.sources = SourceLines(read: source)
    }

    /// `diagnostics` rendered, with a last line for `omitted` errors beyond the limit.
    public func render(_ diagnostics: [Diagnostic], omitted: Int = 0) -> String {
        let more = omitted > 0 ? Diagnostic(.note, .summary, "\(omitted) more error\(omitted == 1 ? "" : "s") not shown (--error-limit N shows more)", at: nil) : nil
        let all = diagnostics + (more.map { [$0] } ?? [])
        switch format {
        case .text: return all.map(text).joined()
        case .json: return String(decoding: JSONWriter.bytes(.array(all.map(jsonObject))), as: UTF8.self)
        case .github: return all.map(workflowCommand).joined()
        case .sarif: return String(decoding: JSONWriter.bytes(sarif(all)), as: UTF8.self)
        }
    }

    // MARK: text

    private func text(_ diagnostic: Diagnostic) -> String {
        let tag = diagnostic.id == .summary ? "" : " [\(diagnostic.id)]"
        var output = headline(diagnostic.severity, diagnostic.message, diagnostic.location, tag: tag)
        if let location = diagnostic.location {
            output += excerpt(at: location, severity: diagnostic.severity, fixIts: diagnostic.fixIts.compactMap(resolved))
        }
        for note in diagnostic.notes {
            output += headline(.note, note.message, note.location)
            if let location = note.location { output += excerpt(at: location, severity: .note) }
        }
        return output
    }

    private func headline(_ severity: Diagnostic.Severity, _ message: String, _ location: SourceLocation?, tag: String = "") -> String {
        let place = location.map { "\($0): " } ?? "pipespec: "
        return paint(place, bold: true) + paint("\(severity.rawValue):", severity: severity, bold: true) + " " + paint(message, bold: true)
            + paint(tag, bold: false, dim: true) + "\n"
    }

    /// The source line under a gutter with the line number, and the place underlined: from
    /// the column to the end of the word there. Fix-its on that line are written beneath,
    /// each replacement under the text it replaces.
    private func excerpt(at location: SourceLocation, severity: Diagnostic.Severity, fixIts: [ResolvedFixIt] = []) -> String {
        guard let window = sources.window(around: location) else { return "" }
        let characters = Array(window.text.map { $0 == "\t" ? " " : $0 })
        let (start, end) = Self.token(in: characters, at: window.column)
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        let marker = "^" + String(repeating: "~", count: max(end - start - 1, 0))
        var output = paint("\(gutter) |", bold: false, dim: true) + "\n"
            + paint("\(number) |", bold: false, dim: true) + " " + String(characters) + "\n"
            + paint("\(gutter) |", bold: false, dim: true) + " " + String(repeating: " ", count: start) + paint(marker, severity: severity, bold: true) + "\n"
        for fixIt in fixIts where fixIt.line == location.line {
            let indent = fixIt.startColumn - location.column + start
            guard indent >= 0 else { continue }
            output += paint("\(gutter) |", bold: false, dim: true) + " " + String(repeating: " ", count: indent)
                + paint(fixIt.replacement, fixIt: true) + "\n"
        }
        return output
    }

    /// The token at 1-based `column` of `characters`, as 0-based bounds: a quoted scalar up
    /// to its closing quote, anything else up to the next space or YAML indicator.
    private static func token(in characters: [Character], at column: Int) -> (start: Int, end: Int) {
        let start = min(max(column - 1, 0), characters.count)
        var end = start
        if start < characters.count, characters[start] == "\"" || characters[start] == "'" {
            end = characters[(start + 1)...].firstIndex(of: characters[start]).map { $0 + 1 } ?? characters.count
        } else {
            while end < characters.count, !" ,[]{}:#\"'".contains(characters[end]) { end += 1 }
        }
        return (start, end)
    }

    /// The column just past the token at `location`, for machines: the range the text
    /// rendering underlines. `nil` when the source cannot be read.
    private func endColumn(of location: SourceLocation) -> Int? {
        guard let window = sources.window(around: location) else { return nil }
        let (start, end) = Self.token(in: Array(window.text), at: window.column)
        return location.column + max(end - start, 1)
    }

    /// A fix-it checked against the source: the columns `original` spans there.
    struct ResolvedFixIt {
        let file: String
        let line: Int
        let startColumn: Int
        let endColumn: Int
        let replacement: String
    }

    /// The fix-it's place in the source, or `nil` when the source does not hold its original
    /// text there (so no edit is ever offered on a guess).
    private func resolved(_ fixIt: FixIt) -> ResolvedFixIt? {
        guard let window = sources.window(around: fixIt.location) else { return nil }
        let characters = Array(window.text)
        var start = window.column - 1
        guard start >= 0, start < characters.count else { return nil }
        let original = Array(fixIt.original)
        if characters[start] == "\"" || characters[start] == "'", original.first != characters[start] { start += 1 }
        guard start + original.count <= characters.count, Array(characters[start..<start + original.count]) == original else { return nil }
        let startColumn = fixIt.location.column + start - (window.column - 1)
        return ResolvedFixIt(
            file: fixIt.location.file, line: fixIt.location.line, startColumn: startColumn, endColumn: startColumn + original.count,
            replacement: fixIt.replacement)
    }

    private func paint(_ text: String, severity: Diagnostic.Severity? = nil, bold: Bool = false, dim: Bool = false, fixIt: Bool = false) -> String {
        guard colors, !text.isEmpty else { return text }
        var codes: [String] = []
        if bold { codes.append("1") }
        if dim { codes.append("2") }
        if fixIt { codes.append("32") }
        switch severity {
        case .error?: codes.append("31")
        case .warning?: codes.append("33")
        case .note?: codes.append("36")
        case nil: break
        }
        return codes.isEmpty ? text : "\u{1B}[\(codes.joined(separator: ";"))m\(text)\u{1B}[0m"
    }

    // MARK: machines

    private func jsonObject(_ diagnostic: Diagnostic) -> JSONValue {
        var object = place(diagnostic.location)
        object["id"] = .string(diagnostic.id.name)
        object["severity"] = .string(diagnostic.severity.rawValue)
        object["message"] = .string(diagnostic.message)
        let fixIts = diagnostic.fixIts.compactMap(resolved)
        if !fixIts.isEmpty {
            object["fixits"] = .array(fixIts.map { fixIt in
                .object([
                    "file": .string(fixIt.file), "line": .int(fixIt.line), "column": .int(fixIt.startColumn),
                    "end_column": .int(fixIt.endColumn), "replacement": .string(fixIt.replacement),
                ])
            })
        }
        if !diagnostic.notes.isEmpty {
            object["notes"] = .array(diagnostic.notes.map { note in
                var entry = place(note.location)
                entry["message"] = .string(note.message)
                return .object(entry)
            })
        }
        return .object(object)
    }

    private func place(_ location: SourceLocation?) -> JSONObject {
        guard let location else { return JSONObject() }
        var place: JSONObject = ["file": .string(location.file), "line": .int(location.line), "column": .int(location.column)]
        if let end = endColumn(of: location) { place["end_column"] = .int(end) }
        return place
    }

    private func workflowCommand(_ diagnostic: Diagnostic) -> String {
        func command(_ severity: Diagnostic.Severity, _ message: String, _ location: SourceLocation?, title: String?) -> String {
            let name = severity == .note ? "notice" : severity.rawValue
            var properties = location.map { ["file=\(Self.escapeProperty($0.file))", "line=\($0.line)", "col=\($0.column)"] } ?? []
            if let title { properties.append("title=\(Self.escapeProperty(title))") }
            return "::\(name)\(properties.isEmpty ? "" : " " + properties.joined(separator: ","))::\(Self.escapeData(message))\n"
        }
        let title = diagnostic.id == .summary ? nil : "pipespec \(diagnostic.id)"
        return command(diagnostic.severity, diagnostic.message, diagnostic.location, title: title)
            + diagnostic.notes.map { command(.note, $0.message, $0.location, title: nil) }.joined()
    }

    /// The escapes of GitHub's workflow commands, for the message and for property values.
    static func escapeData(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }

    /// A path as a relative or absolute URI reference, as SARIF's `artifactLocation.uri` must
    /// be: bytes other than unreserved characters, sub-delimiters, `@` and `/` are
    /// percent-encoded (`:` too, which would read as a scheme).
    static func uriReference(_ path: String) -> String {
        var uri = ""
        for byte in path.utf8 {
            let character = Character(Unicode.Scalar(byte))
            if byte < 0x80, character.isLetter || character.isNumber || "-._~!$&'()*+,;=@/".contains(character) {
                uri.append(character)
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                uri += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return uri
    }

    private func sarif(_ diagnostics: [Diagnostic]) -> JSONValue {
        func physicalLocation(_ place: SourceLocation) -> JSONValue {
            var region: JSONObject = ["startLine": .int(place.line), "startColumn": .int(place.column)]
            if let end = endColumn(of: place) { region["endColumn"] = .int(end) }
            return .object(["artifactLocation": .object(["uri": .string(Self.uriReference(place.file))]), "region": .object(region)])
        }
        // One rule per kind reported, in name order, so that results refer to them by index.
        let ruleIDs = Set(diagnostics.map(\.id)).subtracting([.summary]).sorted()
        let ruleIndex = Dictionary(uniqueKeysWithValues: ruleIDs.enumerated().map { ($1, $0) })
        let results: [JSONValue] = diagnostics.map { diagnostic in
            var result: JSONObject = ["level": .string(diagnostic.severity.rawValue), "message": .object(["text": .string(diagnostic.message)])]
            if let index = ruleIndex[diagnostic.id] {
                result["ruleId"] = .string(diagnostic.id.name)
                result["ruleIndex"] = .int(index)
            }
            if let place = diagnostic.location { result["locations"] = .array([.object(["physicalLocation": physicalLocation(place)])]) }
            let related: [JSONValue] = diagnostic.notes.enumerated().compactMap { index, note in
                note.location.map { .object(["id": .int(index), "message": .object(["text": .string(note.message)]), "physicalLocation": physicalLocation($0)]) }
            }
            if !related.isEmpty { result["relatedLocations"] = .array(related) }
            let fixes: [JSONValue] = diagnostic.fixIts.compactMap(resolved).map { fixIt in
                .object([
                    "description": .object(["text": .string("Replace with '\(fixIt.replacement)'")]),
                    "artifactChanges": .array([.object([
                        "artifactLocation": .object(["uri": .string(Self.uriReference(fixIt.file))]),
                        "replacements": .array([.object([
                            "deletedRegion": .object(["startLine": .int(fixIt.line), "startColumn": .int(fixIt.startColumn), "endColumn": .int(fixIt.endColumn)]),
                            "insertedContent": .object(["text": .string(fixIt.replacement)]),
                        ])]),
                    ])]),
                ])
            }
            if !fixes.isEmpty { result["fixes"] = .array(fixes) }
            return .object(result)
        }
        var driver: JSONObject = ["name": "pipespec", "version": .string(toolVersion)]
        driver["rules"] = .array(ruleIDs.map { id in
            .object(["id": .string(id.name), "help": .object(["text": .string("pipespec explain \(id)")])])
        })
        return .object([
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": .array([.object(["tool": .object(["driver": .object(driver)]), "results": .array(results)])]),
        ])
    }
}

/// Files by name with where each of their lines starts, found once a file.
private final class SourceLines {
    /// A part of a line around a column: at most `before` characters before it and `after`
    /// from it, with `…` where the line goes on, so that a line of megabytes is shown (and
    /// searched) as a few dozen characters.
    struct Window {
        let text: String
        /// The location's column, counted in `text`.
        let column: Int
    }

    static let before = 60, after = 100

    private let read: (String) -> [UInt8]?
    private var files: [String: (bytes: [UInt8], lineStarts: [Int])?] = [:]

    init(read: @escaping (String) -> [UInt8]?) {
        self.read = read
    }

    /// The window around `location`, or `nil` when its file or line cannot be read.
    func window(around location: SourceLocation) -> Window? {
        if files[location.file] == nil {
            // Stored even when unreadable (`.some(nil)`), so that it is asked for once.
            files[location.file] = .some(read(location.file).map { bytes in
                (bytes, [0] + bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { $0 + 1 })
            })
        }
        // A line exists when it starts before the end: a final line break opens none.
        let number = location.line
        guard let (bytes, starts) = files[location.file] ?? nil, number >= 1, number <= starts.count, starts[number - 1] < bytes.count else { return nil }
        var end = number < starts.count ? starts[number] - 1 : bytes.count
        if end > starts[number - 1], bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = bytes[starts[number - 1]..<end]
        // Columns count Unicode scalars: walk to the column's byte, then back to the window's start.
        func isContinuation(_ index: Int) -> Bool { line[index] & 0xC0 == 0x80 }
        var offset = line.startIndex
        var column = 1
        while offset < line.endIndex, column < location.column {
            offset += 1
            while offset < line.endIndex, isContinuation(offset) { offset += 1 }
            column += 1
        }
        var windowStart = offset
        var scalarsBefore = 0
        while windowStart > line.startIndex, scalarsBefore < Self.before {
            windowStart -= 1
            while windowStart > line.startIndex, isContinuation(windowStart) { windowStart -= 1 }
            scalarsBefore += 1
        }
        let elidedBefore = windowStart > line.startIndex
        var windowEnd = offset
        var scalarsAfter = 0
        while windowEnd < line.endIndex, scalarsAfter < Self.after {
            windowEnd += 1
            while windowEnd < line.endIndex, line[windowEnd] & 0xC0 == 0x80 { windowEnd += 1 }
            scalarsAfter += 1
        }
        let text = (elidedBefore ? "…" : "") + String(decoding: line[windowStart..<windowEnd], as: UTF8.self) + (windowEnd < line.endIndex ? "…" : "")
        return Window(text: text, column: (elidedBefore ? 1 : 0) + scalarsBefore + 1 + (location.column - column))
    }
}
