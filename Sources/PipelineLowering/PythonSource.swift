import PipelineConfig
import PipelineIR

/// Finds a top-level function in Python source and reads its signature, with just enough
/// of Python's lexical rules (strings, comments, brackets, continuations) to find where
/// logical lines begin and end. The text taken is what kfp embeds for a function
/// component (`inspect.getsource`, then `textwrap.dedent`): from the `def` line to the last
/// line of the body or the last comment after it indented as far as the body, decorators
/// left out, lines of only whitespace made empty. The text is scanned once.
package struct PythonSource {
    private let lines: [String]
    private let logicalLines: [LogicalLine]
    /// What Python's tokenizer would reject in the file, in order.
    package let problems: [PythonSyntaxProblem]

    package init(_ text: String) {
        lines = Self.sourceLines(text)
        (logicalLines, problems) = LogicalLineScanner(lines: lines).scan()
    }

    package func function(named name: String) -> PythonFunction? {
        guard let headerIndex = logicalLines.firstIndex(where: { $0.indentation == 0 && Self.definedName($0, lines) == name }) else {
            return nil
        }
        let header = logicalLines[headerIndex]
        var lastLine = header.lastLine
        let body = logicalLines[(headerIndex + 1)...].prefix { $0.indentation > 0 }
        if let last = body.last, let bodyIndentation = body.first?.indentation {
            lastLine = last.lastLine
            // Comments after the last statement, up to the next one, count when indented as
            // far as the body (as `inspect` reads a block).
            let next = logicalLines[(headerIndex + 1 + body.count)...].first?.firstLine ?? lines.count
            for number in (lastLine + 1)..<max(lastLine + 1, next) where Self.isComment(lines[number], indentedAtLeast: bodyIndentation) {
                lastLine = number
            }
        }
        let headerText = lines[header.firstLine...header.lastLine].joined(separator: "\n")
        let signature = Self.signature(ofHeader: headerText)
        return PythonFunction(
            name: name,
            source: lines[header.firstLine...lastLine].map { $0.allSatisfy { $0 == " " || $0 == "\t" } ? "\n" : $0 + "\n" }.joined(),
            line: header.firstLine + 1,
            parameters: signature.parameters, returnAnnotation: signature.returnAnnotation)
    }

    private static func isComment(_ line: String, indentedAtLeast indentation: Int) -> Bool {
        let leading = line.utf8.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
        return leading >= indentation && line.utf8.dropFirst(leading).first == UInt8(ascii: "#")
    }

    /// Names of the file's top-level functions, for suggestions.
    package var functionNames: [String] {
        logicalLines.filter { $0.indentation == 0 }.compactMap { Self.definedName($0, lines) }
    }

    /// The text's lines without their line breaks (`\n` or `\r\n`), split on bytes.
    private static func sourceLines(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
    }

    private static func definedName(_ logicalLine: LogicalLine, _ lines: [String]) -> String? {
        let line = lines[logicalLine.firstLine]
        guard line.hasPrefix("def ") else { return nil }
        let afterDef = line.dropFirst(4).drop { $0 == " " }
        let name = afterDef.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        return name.isEmpty ? nil : String(name)
    }

    /// The parameters between the header's outermost parentheses, and the annotation after
    /// `->`, comments left out.
    static func signature(ofHeader header: String) -> (parameters: [PythonFunction.Parameter], returnAnnotation: String?) {
        guard let open = header.firstIndex(of: "(") else { return ([], nil) }
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        var escaped = false
        var inComment = false
        var rest: Substring?
        for (offset, character) in header[header.index(after: open)...].enumerated() {
            if inComment {
                inComment = character != "\n"
                continue
            }
            if let active = quote {
                current.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == active { quote = nil }
                continue
            }
            switch character {
            case "#":
                inComment = true
                continue
            case "'", "\"": quote = character
            case "(", "[", "{": depth += 1
            case ")", "]", "}":
                if depth == 0 {
                    parts.append(current)
                    rest = header[header.index(open, offsetBy: offset + 2)...]
                    break
                }
                depth -= 1
            case "," where depth == 0:
                parts.append(current)
                current = ""
                continue
            default: break
            }
            if rest != nil { break }
            current.append(character)
        }
        if rest == nil { parts.append(current) }
        return (parts.compactMap(parameter), rest.flatMap(returnAnnotation))
    }

    /// `-> ANNOTATION:` after the parameters, without comments.
    private static func returnAnnotation(_ rest: Substring) -> String? {
        let code = rest.split(separator: "\n").map { line in line.prefix { $0 != "#" } }.joined(separator: " ").trimming(" \t")
        guard code.hasPrefix("->"), code.hasSuffix(":") else { return nil }
        let annotation = String(code.dropFirst(2).dropLast()).trimming(" \t")
        return annotation.isEmpty ? nil : annotation
    }

    private static func parameter(_ text: String) -> PythonFunction.Parameter? {
        let trimmed = text.trimming(" \t\n")
        guard !trimmed.isEmpty, !trimmed.hasPrefix("*"), trimmed != "/" else { return nil }
        let name = trimmed.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        guard !name.isEmpty else { return nil }
        // `name: annotation = default`, each part at the top level.
        let afterName = trimmed.dropFirst(name.count)
        let equals = topLevelIndices(of: "=", in: afterName).first
        let declaration = String(equals.map { afterName[..<$0] } ?? afterName).trimming(" \t\n")
        let annotation = declaration.hasPrefix(":") ? String(declaration.dropFirst()).trimming(" \t\n") : ""
        let defaultText = equals.map { String(afterName[afterName.index(after: $0)...]).trimming(" \t\n") }
        return .init(name: String(name), annotation: annotation.isEmpty ? nil : annotation, defaultText: defaultText)
    }

    /// Where `target` stands outside brackets and strings, in order.
    static func topLevelIndices(of target: Character, in text: Substring) -> [Substring.Index] {
        var indices: [Substring.Index] = []
        var depth = 0
        var quote: Character?
        for index in text.indices {
            let character = text[index]
            if let active = quote {
                if character == active { quote = nil }
                continue
            }
            switch character {
            case "'", "\"": quote = character
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            case target where depth == 0: indices.append(index)
            default: break
            }
        }
        return indices
    }

    /// The comma-separated parts of `text` outside brackets and strings, trimmed; none
    /// when it is blank.
    static func topLevelParts(_ text: String) -> [String] {
        let whole = Substring(text)
        var parts: [String] = [], start = whole.startIndex
        for comma in topLevelIndices(of: ",", in: whole) {
            parts.append(String(whole[start..<comma]).trimming(" \n\t"))
            start = whole.index(after: comma)
        }
        let last = String(whole[start...]).trimming(" \n\t")
        if !last.isEmpty { parts.append(last) }
        return parts
    }
}

/// A statement's span of physical lines (0-based, inclusive) and its indentation.
private struct LogicalLine {
    var firstLine: Int
    var lastLine: Int
    var indentation: Int
}

/// A mistake Python's tokenizer would stop at: where (1-based line and column) and what.
package struct PythonSyntaxProblem: Sendable, Equatable {
    package var line: Int
    package var column: Int
    package var message: String
}

/// Scans UTF-8 bytes: every character that matters here is ASCII, and no byte of a
/// multi-byte character can be mistaken for one. Also finds what Python's tokenizer would
/// reject: unterminated strings, brackets that do not match, bad indentation.
private struct LogicalLineScanner {
    let lines: [String]

    func scan() -> (lines: [LogicalLine], problems: [PythonSyntaxProblem]) {
        var result: [LogicalLine] = []
        var problems: [PythonSyntaxProblem] = []
        var open: LogicalLine?
        var brackets: [(byte: UInt8, line: Int, index: Int)] = []
        var tripleQuote: (quote: UInt8, line: Int, index: Int)?
        // Indentation of the enclosing blocks, and whether the last statement opened one.
        var indentations = [0]
        var opensBlock = false
        func problem(_ line: Int, _ index: Int, _ message: String) {
            let column = String(decoding: Array(lines[line].utf8).prefix(index), as: UTF8.self).count + 1
            problems.append(PythonSyntaxProblem(line: line + 1, column: column, message: message))
        }
        for (number, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            var index = 0
            if open == nil {
                let indentation = bytes.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
                if indentation == bytes.count || bytes[indentation] == UInt8(ascii: "#") { continue }
                if indentation > indentations.last! {
                    if !opensBlock { problem(number, indentation, "unexpected indent") }
                    indentations.append(indentation)
                } else {
                    while indentation < indentations.last! { indentations.removeLast() }
                    if indentation != indentations.last! { problem(number, indentation, "unindent does not match any outer indentation level") }
                }
                open = LogicalLine(firstLine: number, lastLine: number, indentation: indentation)
                index = indentation
            }
            open!.lastLine = number
            var continued = false
            var lastSignificant: UInt8?
            while index < bytes.count {
                let byte = bytes[index]
                if let active = tripleQuote {
                    if byte == UInt8(ascii: "\\") {
                        index += 2
                    } else if isTriple(bytes, index, active.quote) {
                        tripleQuote = nil
                        index += 3
                    } else {
                        index += 1
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    index += 1
                    continue
                case UInt8(ascii: "#"):
                    index = bytes.count
                    continue
                case UInt8(ascii: "\\") where index == bytes.count - 1:
                    continued = true
                case UInt8(ascii: "("), UInt8(ascii: "["), UInt8(ascii: "{"):
                    brackets.append((byte, number, index))
                case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    let opening: UInt8 = byte == UInt8(ascii: ")") ? UInt8(ascii: "(") : byte == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")
                    if let last = brackets.last, last.byte == opening {
                        brackets.removeLast()
                    } else if let last = brackets.last {
                        problem(number, index, "closing '\(Character(Unicode.Scalar(byte)))' does not match opening '\(Character(Unicode.Scalar(last.byte)))'")
                        brackets.removeLast()
                    } else {
                        problem(number, index, "unmatched '\(Character(Unicode.Scalar(byte)))'")
                    }
                case UInt8(ascii: "'"), UInt8(ascii: "\""):
                    if isTriple(bytes, index, byte) {
                        tripleQuote = (byte, number, index)
                        index += 3
                        continue
                    }
                    let start = index
                    index += 1
                    while index < bytes.count, bytes[index] != byte {
                        index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    if index >= bytes.count {
                        if bytes.last == UInt8(ascii: "\\") { continued = true } else { problem(number, start, "unterminated string literal") }
                    }
                default: break
                }
                lastSignificant = byte
                index += 1
            }
            if tripleQuote == nil, brackets.isEmpty, !continued {
                opensBlock = lastSignificant == UInt8(ascii: ":")
                result.append(open!)
                open = nil
            }
        }
        if let quote = tripleQuote { problem(quote.line, quote.index, "unterminated triple-quoted string literal") }
        for bracket in brackets { problem(bracket.line, bracket.index, "'\(Character(Unicode.Scalar(bracket.byte)))' was never closed") }
        if let open { result.append(open) }
        return (result, problems)
    }

    private func isTriple(_ bytes: [UInt8], _ index: Int, _ quote: UInt8) -> Bool {
        index + 2 < bytes.count && bytes[index] == quote && bytes[index + 1] == quote && bytes[index + 2] == quote
    }
}
