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
        let more = omitted > 0 ? Diagnostic(.note, "\(omitted) more error\(omitted == 1 ? "" : "s") not shown (--error-limit N shows more)", at: nil) : nil
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
        var output = headline(diagnostic.severity, diagnostic.message, diagnostic.location)
        if let location = diagnostic.location { output += excerpt(at: location, severity: diagnostic.severity) }
        for note in diagnostic.notes {
            output += headline(.note, note.message, note.location)
            if let location = note.location { output += excerpt(at: location, severity: .note) }
        }
        return output
    }

    private func headline(_ severity: Diagnostic.Severity, _ message: String, _ location: SourceLocation?) -> String {
        let place = location.map { "\($0): " } ?? "pipespec: "
        return paint(place, bold: true) + paint("\(severity.rawValue):", severity: severity, bold: true) + " " + paint(message, bold: true) + "\n"
    }

    /// The source line under a gutter with the line number, and the place underlined: from
    /// the column to the end of the word there.
    private func excerpt(at location: SourceLocation, severity: Diagnostic.Severity) -> String {
        guard let line = sources.line(location.line, of: location.file) else { return "" }
        let characters = Array(line.map { $0 == "\t" ? " " : $0 })
        let start = min(max(location.column - 1, 0), characters.count)
        var end = start
        if start < characters.count, characters[start] == "\"" || characters[start] == "'" {
            // A quoted scalar: up to its closing quote.
            end = characters[(start + 1)...].firstIndex(of: characters[start]).map { $0 + 1 } ?? characters.count
        } else {
            while end < characters.count, !" ,[]{}:#\"'".contains(characters[end]) { end += 1 }
        }
        let number = String(location.line)
        let gutter = String(repeating: " ", count: number.count)
        let marker = "^" + String(repeating: "~", count: max(end - start - 1, 0))
        return paint("\(gutter) |", bold: false, dim: true) + "\n"
            + paint("\(number) |", bold: false, dim: true) + " " + String(characters) + "\n"
            + paint("\(gutter) |", bold: false, dim: true) + " " + String(repeating: " ", count: start) + paint(marker, severity: severity, bold: true) + "\n"
    }

    private func paint(_ text: String, severity: Diagnostic.Severity? = nil, bold: Bool, dim: Bool = false) -> String {
        guard colors else { return text }
        var codes: [String] = []
        if bold { codes.append("1") }
        if dim { codes.append("2") }
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
        var object = Self.place(diagnostic.location)
        object["severity"] = .string(diagnostic.severity.rawValue)
        object["message"] = .string(diagnostic.message)
        if !diagnostic.notes.isEmpty {
            object["notes"] = .array(diagnostic.notes.map { note in
                var entry = Self.place(note.location)
                entry["message"] = .string(note.message)
                return .object(entry)
            })
        }
        return .object(object)
    }

    private static func place(_ location: SourceLocation?) -> JSONObject {
        guard let location else { return JSONObject() }
        return ["file": .string(location.file), "line": .int(location.line), "column": .int(location.column)]
    }

    private func workflowCommand(_ diagnostic: Diagnostic) -> String {
        func command(_ severity: Diagnostic.Severity, _ message: String, _ location: SourceLocation?) -> String {
            let name = severity == .note ? "notice" : severity.rawValue
            let properties = location.map { " file=\(Self.escapeProperty($0.file)),line=\($0.line),col=\($0.column)" } ?? ""
            return "::\(name)\(properties)::\(Self.escapeData(message))\n"
        }
        return command(diagnostic.severity, diagnostic.message, diagnostic.location)
            + diagnostic.notes.map { command(.note, $0.message, $0.location) }.joined()
    }

    /// The escapes of GitHub's workflow commands, for the message and for property values.
    static func escapeData(_ text: String) -> String {
        text.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }

    private func sarif(_ diagnostics: [Diagnostic]) -> JSONValue {
        func physicalLocation(_ place: SourceLocation) -> JSONValue {
            .object([
                "artifactLocation": .object(["uri": .string(place.file)]),
                "region": .object(["startLine": .int(place.line), "startColumn": .int(place.column)]),
            ])
        }
        let results: [JSONValue] = diagnostics.map { diagnostic in
            var result: JSONObject = ["level": .string(diagnostic.severity.rawValue), "message": .object(["text": .string(diagnostic.message)])]
            if let place = diagnostic.location { result["locations"] = .array([.object(["physicalLocation": physicalLocation(place)])]) }
            let related: [JSONValue] = diagnostic.notes.enumerated().compactMap { index, note in
                note.location.map { .object(["id": .int(index), "message": .object(["text": .string(note.message)]), "physicalLocation": physicalLocation($0)]) }
            }
            if !related.isEmpty { result["relatedLocations"] = .array(related) }
            return .object(result)
        }
        let driver: JSONObject = ["name": "pipespec", "version": .string(toolVersion)]
        return .object([
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": .array([.object(["tool": .object(["driver": .object(driver)]), "results": .array(results)])]),
        ])
    }
}

/// Files by name with where each of their lines starts, found once a file.
private final class SourceLines {
    private let read: (String) -> [UInt8]?
    private var files: [String: (bytes: [UInt8], lineStarts: [Int])?] = [:]

    init(read: @escaping (String) -> [UInt8]?) {
        self.read = read
    }

    /// Line `number` (1-based) of `file`, without its line break.
    func line(_ number: Int, of file: String) -> String? {
        if files[file] == nil {
            // Stored even when unreadable (`.some(nil)`), so that it is asked for once.
            files[file] = .some(read(file).map { bytes in
                (bytes, [0] + bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { $0 + 1 })
            })
        }
        // A line exists when it starts before the end: a final line break opens none.
        guard let (bytes, starts) = files[file] ?? nil, number >= 1, number <= starts.count, starts[number - 1] < bytes.count else { return nil }
        let end = number < starts.count ? starts[number] - 1 : bytes.count
        let text = String(decoding: bytes[starts[number - 1]..<end], as: UTF8.self)
        return text.hasSuffix("\r") ? String(text.dropLast()) : text
    }
}
