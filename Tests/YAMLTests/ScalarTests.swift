import Diagnostics
import Testing
import YAML

/// The scalar written as the value of `value:` in a one-line document.
func scalar(_ written: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scalar {
    let root = try readValid("value: \(written)\n", sourceLocation: sourceLocation)
    return try #require(root["value"]?.scalar, sourceLocation: sourceLocation)
}

// MARK: - Core schema resolution

@Suite struct ScalarResolutionTests {
    /// YAML 1.1 booleans, sexagesimals, dates and underscored numbers are plain strings in
    /// the YAML 1.2 core schema.
    @Test(arguments: [
        "yes", "no", "on", "off", "y", "n", "Yes", "tRue", "nULL", "12:30", "2024-01-01", "1_000",
        "0X1F", "0x", "0xG", "0o8", "-0x1F", "1e", "1.2.3", "+", ".", "-.", ".e1", "infinity", ".Infinity", "abc",
    ])
    func wordsThatOtherSchemasReadAsValuesStayStrings(written: String) throws {
        let value = try scalar(written)
        #expect(value.kind == .string)
        #expect(value.text == written)
    }

    @Test(arguments: [
        ("0", 0), ("42", 42), ("-12", -12), ("+3", 3), ("0777", 777), ("007", 7),
        ("0o17", 15), ("0o0", 0), ("0x1F", 31), ("0x1f", 31), ("0xff", 255),
        ("9223372036854775807", Int.max),
    ])
    func integers(written: String, expected: Int) throws {
        let value = try scalar(written)
        #expect(value.kind == .int)
        #expect(value.intValue == expected)
        #expect(value.doubleValue == Double(expected))
        #expect(value.boolValue == nil)
    }

    @Test func anIntegerTooLargeForIntIsStillAnInteger() throws {
        let value = try scalar("99999999999999999999")
        #expect(value.kind == .int)
        #expect(value.intValue == nil)
    }

    @Test(arguments: [
        ("1.0", 1.0), ("0.5", 0.5), (".5", 0.5), ("-.5", -0.5), ("+1.5", 1.5), ("1.", 1.0),
        ("1e3", 1000.0), ("1E-2", 0.01), ("-2.5e+2", -250.0),
        (".inf", Double.infinity), (".Inf", Double.infinity), ("+.INF", Double.infinity), ("-.inf", -Double.infinity),
    ])
    func floats(written: String, expected: Double) throws {
        let value = try scalar(written)
        #expect(value.kind == .float)
        #expect(value.doubleValue == expected)
        #expect(value.intValue == nil)
    }

    @Test(arguments: [".nan", ".NaN", ".NAN"])
    func notANumber(written: String) throws {
        let value = try scalar(written)
        #expect(value.kind == .float)
        #expect(value.doubleValue?.isNaN == true)
    }

    @Test(arguments: ["~", "null", "Null", "NULL", ""])
    func nulls(written: String) throws {
        let value = try scalar(written)
        #expect(value.kind == .null)
        #expect(value.boolValue == nil)
        #expect(value.doubleValue == nil)
    }

    @Test(arguments: [("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false)])
    func booleans(written: String, expected: Bool) throws {
        let value = try scalar(written)
        #expect(value.kind == .bool)
        #expect(value.boolValue == expected)
    }

    @Test(arguments: ["\"1\"", "'1'", "\"true\"", "'null'", "\"~\"", "''", "\".inf\"", "|\n  12"])
    func quotedAndBlockScalarsAreAlwaysStrings(written: String) throws {
        let value = try scalar(written)
        #expect(value.kind == .string)
        #expect(value.intValue == nil)
        #expect(value.doubleValue == nil)
    }

    @Test func quotedTextKeepsItsContentAndStyle() throws {
        let double = try scalar("\"1\"")
        #expect(double.text == "1")
        #expect(double.style == .doubleQuoted)
        let single = try scalar("'it''s'")
        #expect(single.text == "it's")
        #expect(single.style == .singleQuoted)
        let block = try scalar("|\n  line one\n  line two\n")
        #expect(block.text == "line one\nline two\n")
        #expect(block.style == .block)
    }

    @Test func nodeStringIsOnlyForStrings() throws {
        let root = try readValid("s: text\ni: 1\nq: '1'\nn: ~\nl: [a]\n")
        #expect(root["s"]?.string == "text")
        #expect(root["q"]?.string == "1")
        #expect(root["i"]?.string == nil)
        #expect(root["n"]?.string == nil)
        #expect(root["l"]?.string == nil)
        #expect(root["i"]?.kindDescription == "an integer")
        #expect(root["l"]?.kindDescription == "a list")
        #expect(root.kindDescription == "a mapping")
    }
}

// MARK: - Tags

/// Hex and octal integers take digits only; a sign makes them strings.
@Test(arguments: ["0x-1", "0x+1F", "0o-7", "0x", "0o8"])
func signedOrEmptyHexAndOctalAreStrings(written: String) throws {
    #expect(try scalar(written).kind == .string)
}

@Test func anIntegerIsAValidFloat() throws {
    let value = try scalar("!!float 1")
    #expect(value.kind == .float)
    #expect(value.doubleValue == 1)
}

@Suite struct TagTests {
    @Test(arguments: [
        ("!!str 123", Scalar.Kind.string, "123"),
        ("!!str true", .string, "true"),
        ("!!str", .string, ""),
        ("! 12", .string, "12"),
        ("!!int \"42\"", .int, "42"),
        ("!!float 1.5", .float, "1.5"),
        ("!!bool 'true'", .bool, "true"),
        ("!!null ~", .null, "~"),
    ])
    func coreTagsSetTheKind(written: String, kind: Scalar.Kind, text: String) throws {
        let value = try scalar(written)
        #expect(value.kind == kind)
        #expect(value.text == text)
    }

    @Test(arguments: [
        ("value: !custom x\n", "test.yaml:1:8: error: unknown tag '!custom'; only the core tags !!str, !!int, !!float, !!bool and !!null are allowed"),
        ("a: 1\nvalue: !!binary aGk=\n", "test.yaml:2:8: error: unknown tag '!!binary'; only the core tags !!str, !!int, !!float, !!bool and !!null are allowed"),
        ("value: !!int abc\n", "test.yaml:1:8: error: 'abc' is not a valid !!int value"),
        ("value: !!bool yes\n", "test.yaml:1:8: error: 'yes' is not a valid !!bool value"),
        ("value: !!null 0\n", "test.yaml:1:8: error: '0' is not a valid !!null value"),
        ("value: !!set {a: ~}\n", "test.yaml:1:8: error: unknown tag '!!set' on a collection"),
        ("value: !!map [a]\n", "test.yaml:1:8: error: unknown tag '!!map' on a collection"),
    ])
    func badTagsAreReportedWhereTheyAreWritten(text: String, expected: String) {
        let result = read(text)
        #expect(result.node == nil)
        #expect(result.rendered == [expected])
    }

    @Test func badScalarTagsDoNotStopReading() {
        let result = read("a: !!int x\nb: !!int y\n")
        #expect(result.node == nil)
        #expect(result.rendered == [
            "test.yaml:1:4: error: 'x' is not a valid !!int value",
            "test.yaml:2:4: error: 'y' is not a valid !!int value",
        ])
    }

    @Test func coreCollectionTagsAreAccepted() throws {
        let root = try readValid("m: !!map {a: 1}\ns: !!seq [1]\n")
        #expect(root["m"]?["a"]?.scalar?.intValue == 1)
        #expect(root["s"]?.sequence?.count == 1)
    }
}

// MARK: - Offsets inside scalars

@Suite struct ScalarOffsetTests {
    static let node = Diagnostics.SourceLocation(file: "f.yaml", line: 3, column: 10)

    static func location(_ text: String, _ style: Scalar.Style, offset: Int) -> Diagnostics.SourceLocation {
        Scalar(text: text, kind: .string, style: style).location(ofOffset: offset, in: node)
    }

    @Test func plainScalarsCountFromTheirFirstCharacter() {
        #expect(Self.location("ab${x}", .plain, offset: 0) == column(10))
        #expect(Self.location("ab${x}", .plain, offset: 2) == column(12))
        #expect(Self.location("é ${x}", .plain, offset: 2) == column(12))
    }

    @Test(arguments: [Scalar.Style.singleQuoted, .doubleQuoted])
    func quotedScalarsSkipTheOpeningQuote(style: Scalar.Style) {
        #expect(Self.location("ab${x}", style, offset: 0) == column(11))
        #expect(Self.location("ab${x}", style, offset: 2) == column(13))
    }

    @Test func offsetsInTextThatIsNotVerbatimFallBackToTheScalar() {
        #expect(Scalar(text: "a\nb${x}", kind: .string, isVerbatim: false).location(ofOffset: 3, in: Self.node) == Self.node)
        #expect(Scalar(text: "say \"hi\" ${x}", kind: .string, style: .doubleQuoted, isVerbatim: false).location(ofOffset: 9, in: Self.node) == Self.node)
        #expect(Self.location("line\n${x}", .block, offset: 5) == Self.node)
        #expect(Self.location("${x}", .block, offset: 0) == Self.node)
    }

    private func column(_ column: Int) -> Diagnostics.SourceLocation {
        Diagnostics.SourceLocation(file: Self.node.file, line: Self.node.line, column: column)
    }

    /// Reads `value: <written>`, finds `${` in the scalar's text, and checks that the
    /// reported column is where `${` is written in the source line.
    @Test(arguments: [
        "plain ${params.x}",
        "'single ${params.x}'",
        "\"double ${params.x}\"",
        "\"déjà ${params.x}\"",
        "it's ${params.x}",
    ])
    func columnsMatchTheSourceForRealScalars(written: String) throws {
        let root = try readValid("value: \(written)\n")
        let node = try #require(root["value"])
        let value = try #require(node.scalar)
        let range = try #require(value.text.firstRange(of: "${"))
        let offset = value.text.distance(from: value.text.startIndex, to: range.lowerBound)
        let sourceLine = "value: \(written)"
        let sourceRange = try #require(sourceLine.firstRange(of: "${"))
        let sourceColumn = sourceLine.distance(from: sourceLine.startIndex, to: sourceRange.lowerBound) + 1
        #expect(value.location(ofOffset: offset, in: node.location) == at(1, sourceColumn))
    }

    /// Escapes, folding and block scalars change the text's length, so the reader cannot map
    /// offsets to columns; diagnostics then point at the scalar itself.
    @Test(arguments: [
        #"value: "\t${x}""#,
        #"value: "say \"hi\" ${x}""#,
        #"value: "\u00e9${x}""#,
        "value: 'it''s ${x}'",
        "value: first\n  second ${x}",
        "value: 'first\n  second ${x}'",
        "value: |\n  ${x}",
    ])
    func rewrittenScalarsReportTheirOwnLocation(document: String) throws {
        let root = try readValid(document + "\n")
        let node = try #require(root["value"])
        let value = try #require(node.scalar)
        #expect(!value.isVerbatim)
        let offset = value.text.unicodeScalars.count - "${x}".count
        #expect(value.location(ofOffset: offset, in: node.location) == node.location)
    }
}
