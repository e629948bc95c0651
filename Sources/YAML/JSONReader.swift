import Diagnostics
import JSON

/// Reads strict JSON (RFC 8259) into the same `Node` tree as `YAMLReader`, with locations.
///
/// JSON is YAML, and libyaml reads it too, but this reader is several times faster. It reads
/// the schema and the built-in components, which are compiled in and read at every start,
/// and component files ending in `.json`. Duplicate keys are errors, as in YAML files.
public struct JSONReader {
    public var maximumDepth: Int
    /// Whether a key given twice in an object is a warning, its last value kept (as
    /// Python's `json` reads it, and so kfp), rather than an error.
    public var keepsLastOfDuplicateKeys: Bool

    public init(maximumDepth: Int = 512, keepsLastOfDuplicateKeys: Bool = false) {
        self.maximumDepth = maximumDepth
        self.keepsLastOfDuplicateKeys = keepsLastOfDuplicateKeys
    }

    /// The JSON value of `bytes`, or `nil` when they are not JSON: for bodies from APIs and
    /// files whose problems are not reported (they may hold secrets).
    public static func value(of bytes: [UInt8]) -> JSONValue? {
        JSONReader().read(bytes, file: "JSON", diagnostics: DiagnosticEngine())?.json
    }

    public func read(_ bytes: [UInt8], file: String, diagnostics: DiagnosticEngine) -> Node? {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer, file: file, maximumDepth: maximumDepth, keepsLastOfDuplicateKeys: keepsLastOfDuplicateKeys)
            do throws(JSONFailure) {
                parser.skipWhitespace()
                let node = try parser.value(depth: 0)
                parser.skipWhitespace()
                guard parser.offset == buffer.count else { throw parser.failure("unexpected text after the JSON value") }
                parser.replacedDuplicates.forEach(diagnostics.emit)
                return node
            } catch {
                diagnostics.emit(error.diagnostic)
                return nil
            }
        }
    }
}

private struct JSONFailure: Error {
    let diagnostic: Diagnostic
}

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    let maximumDepth: Int
    let keepsLastOfDuplicateKeys: Bool
    /// Warnings for keys given twice, when the last value is kept.
    var replacedDuplicates: [Diagnostic] = []
    var offset = 0
    // Where the current line starts, and the column at `columnOffset` on it: columns are
    // counted in characters, advancing only forwards, so locating every node stays linear.
    private var line = 1
    private var columnOffset = 0
    private var column = 1

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, maximumDepth: Int, keepsLastOfDuplicateKeys: Bool) {
        self.bytes = bytes
        self.file = file
        self.maximumDepth = maximumDepth
        self.keepsLastOfDuplicateKeys = keepsLastOfDuplicateKeys
    }

    mutating func location() -> SourceLocation {
        while columnOffset < offset {
            if bytes[columnOffset] & 0xC0 != 0x80 { column += 1 }  // not a UTF-8 continuation byte
            columnOffset += 1
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    mutating func failure(_ message: String) -> JSONFailure {
        JSONFailure(diagnostic: Diagnostic(.error, .jsonSyntax, "invalid JSON: \(message)", at: location()))
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                offset += 1
            case UInt8(ascii: "\n"):
                offset += 1
                line += 1
                columnOffset = offset
                column = 1
            default:
                return
            }
        }
    }

    mutating func value(depth: Int) throws(JSONFailure) -> Node {
        guard depth < maximumDepth else { throw failure("values nest more than \(maximumDepth) levels deep") }
        guard offset < bytes.count else { throw failure("unexpected end of input; expected a value") }
        let start = location()
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try object(at: start, depth: depth)
        case UInt8(ascii: "["): return try array(at: start, depth: depth)
        case UInt8(ascii: "\""): return Node(.scalar(Scalar(text: try string(), kind: .string, style: .doubleQuoted)), at: start)
        case UInt8(ascii: "t"): return try literal("true", .bool, at: start)
        case UInt8(ascii: "f"): return try literal("false", .bool, at: start)
        case UInt8(ascii: "n"): return try literal("null", .null, at: start)
        default: return try number(at: start)
        }
    }

    private mutating func object(at start: SourceLocation, depth: Int) throws(JSONFailure) -> Node {
        offset += 1
        var entries: [MappingEntry] = []
        var keyIndex = KeyIndex()
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            return Node(.mapping(entries), at: start)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else { throw failure("expected a string key") }
            let keyLocation = location()
            let key = try string()
            let earlier = keyIndex.earlierOrAdd(key, in: entries)
            if let earlier {
                let first: [Diagnostic.Note] = [.init("'\(key)' was first given here", at: entries[earlier].keyLocation)]
                guard keepsLastOfDuplicateKeys else {
                    throw JSONFailure(diagnostic: Diagnostic(.error, .duplicateKey, "duplicate key '\(key)'", at: keyLocation, notes: first))
                }
                replacedDuplicates.append(Diagnostic(
                    .warning, .duplicateKey, "duplicate key '\(key)'; the last value is kept, as Python's json reads it", at: keyLocation, notes: first))
            }
            skipWhitespace()
            try expect(UInt8(ascii: ":"), "expected ':' after a key")
            skipWhitespace()
            let entry = MappingEntry(key: key, keyLocation: keyLocation, value: try value(depth: depth + 1))
            if let earlier { entries[earlier] = entry } else { entries.append(entry) }
            skipWhitespace()
            if try endOfList(closing: UInt8(ascii: "}")) { return Node(.mapping(entries), at: start) }
        }
    }

    private mutating func array(at start: SourceLocation, depth: Int) throws(JSONFailure) -> Node {
        offset += 1
        var items: [Node] = []
        skipWhitespace()
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            return Node(.sequence(items), at: start)
        }
        while true {
            skipWhitespace()
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            if try endOfList(closing: UInt8(ascii: "]")) { return Node(.sequence(items), at: start) }
        }
    }

    /// After an item: `,` continues, the closing bracket ends.
    private mutating func endOfList(closing: UInt8) throws(JSONFailure) -> Bool {
        guard offset < bytes.count else { throw failure("unexpected end of input; expected ',' or '\(Character(Unicode.Scalar(closing)))'") }
        if bytes[offset] == closing {
            offset += 1
            return true
        }
        try expect(UInt8(ascii: ","), "expected ',' or '\(Character(Unicode.Scalar(closing)))'")
        return false
    }

    private mutating func expect(_ byte: UInt8, _ message: String) throws(JSONFailure) {
        guard offset < bytes.count, bytes[offset] == byte else { throw failure(message) }
        offset += 1
    }

    private mutating func literal(_ word: String, _ kind: Scalar.Kind, at start: SourceLocation) throws(JSONFailure) -> Node {
        let begin = offset
        for byte in word.utf8 {
            guard offset < bytes.count, bytes[offset] == byte else {
                offset = begin
                throw failure("expected a value")
            }
            offset += 1
        }
        return Node(.scalar(Scalar(text: word, kind: kind)), at: start)
    }

    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`
    private mutating func number(at start: SourceLocation) throws(JSONFailure) -> Node {
        let begin = offset
        func digits() -> Int {
            let first = offset
            while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9") { offset += 1 }
            return offset - first
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let integerStart = offset
        let integerDigits = digits()
        guard integerDigits > 0 else { throw failure("expected a value") }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
            offset = begin
            throw failure("numbers cannot have leading zeros")
        }
        var kind = Scalar.Kind.int
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            kind = .float
            guard digits() > 0 else { throw failure("expected digits after '.'") }
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E") {
            offset += 1
            kind = .float
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits() > 0 else { throw failure("expected digits in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<offset]), as: UTF8.self)
        return Node(.scalar(Scalar(text: text, kind: kind)), at: start)
    }

    /// A string starting at the current `"`. Runs without escapes are copied in one go.
    private mutating func string() throws(JSONFailure) -> String {
        offset += 1
        var runStart = offset
        var decoded: [UInt8] = []
        var hasEscapes = false
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<offset])
                offset += 1
                guard hasEscapes else { return String(decoding: run, as: UTF8.self) }
                decoded.append(contentsOf: run)
                return String(decoding: decoded, as: UTF8.self)
            }
            if byte < 0x20 { throw failure("control characters must be escaped in strings") }
            guard byte == UInt8(ascii: "\\") else {
                offset += 1
                continue
            }
            hasEscapes = true
            decoded.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
            offset += 1
            guard offset < bytes.count else { break }
            switch bytes[offset] {
            case UInt8(ascii: "\""): decoded.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): decoded.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "/"): decoded.append(UInt8(ascii: "/"))
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "r"): decoded.append(UInt8(ascii: "\r"))
            case UInt8(ascii: "t"): decoded.append(UInt8(ascii: "\t"))
            case UInt8(ascii: "u"):
                decoded.append(contentsOf: String(try unicodeEscape()).utf8)
                runStart = offset
                continue
            default: throw failure("invalid escape in a string")
            }
            offset += 1
            runStart = offset
        }
        throw failure("unterminated string")
    }

    /// `\uXXXX` (the offset is at `u`), with a surrogate pair read as one character.
    private mutating func unicodeEscape() throws(JSONFailure) -> Character {
        let high = try hexQuad()
        if (0xD800..<0xDC00).contains(high) {
            guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                throw failure("a high surrogate must be followed by a low one")
            }
            offset += 1
            let low = try hexQuad()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("a high surrogate must be followed by a low one") }
            return Character(Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!)
        }
        guard let scalar = Unicode.Scalar(high) else { throw failure("a lone low surrogate is not a character") }
        return Character(scalar)
    }

    /// The four hex digits after the `u` at the current offset; leaves the offset after them.
    private mutating func hexQuad() throws(JSONFailure) -> UInt32 {
        offset += 1
        let digits = offset + 4 <= bytes.count ? UnsafeBufferPointer(rebasing: bytes[offset..<(offset + 4)]) : UnsafeBufferPointer(start: nil, count: 0)
        guard digits.count == 4, digits.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
              let value = UInt32(String(decoding: digits, as: UTF8.self), radix: 16)
        else { throw failure("expected four hex digits after \\u") }
        offset += 4
        return value
    }
}

extension DiagnosticID {
    static let jsonSyntax = DiagnosticID("json-syntax")
}
