import JSON
import Testing

/// The writer's output as text.
func written(_ value: JSONValue) -> String {
    String(decoding: JSONWriter.bytes(value), as: UTF8.self)
}

/// The expected texts below are what Python prints for the same value with
/// `json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"`.
@Suite struct JSONLayoutTests {
    @Test func nestedObjectsAndArraysUsePythonsLayout() {
        let value: JSONValue = .object([
            "name": .string("demo"),
            "root": .object([
                "dag": .object([
                    "tasks": .object([
                        "b": .object(["inputs": .array([])]),
                        "a": .object(["n": .int(3), "f": .double(0.5), "deps": .array([.string("x"), .string("y")])]),
                    ]),
                ]),
            ]),
            "empty": .object(JSONObject()),
            "list": .array([.array([]), .array([.int(1), .array([.int(2), .object(JSONObject())])]), .null, .bool(true), .bool(false)]),
        ])
        #expect(written(value) == """
            {
              "empty": {},
              "list": [
                [],
                [
                  1,
                  [
                    2,
                    {}
                  ]
                ],
                null,
                true,
                false
              ],
              "name": "demo",
              "root": {
                "dag": {
                  "tasks": {
                    "a": {
                      "deps": [
                        "x",
                        "y"
                      ],
                      "f": 0.5,
                      "n": 3
                    },
                    "b": {
                      "inputs": []
                    }
                  }
                }
              }
            }

            """)
    }

    @Test(arguments: [
        (JSONValue.object(JSONObject()), "{}\n"),
        (.array([]), "[]\n"),
        (.null, "null\n"),
        (.bool(true), "true\n"),
        (.bool(false), "false\n"),
        (.int(0), "0\n"),
        (.string(""), "\"\"\n"),
        (.array([.int(1)]), "[\n  1\n]\n"),
        (.object(["k": .array([])]), "{\n  \"k\": []\n}\n"),
    ])
    func topLevelValuesEndWithANewline(value: JSONValue, expected: String) {
        #expect(written(value) == expected)
    }

    @Test func arraysKeepTheirOrder() {
        #expect(written(.array([.string("b"), .string("a"), .int(2), .int(1)])) == "[\n  \"b\",\n  \"a\",\n  2,\n  1\n]\n")
    }
}

@Suite struct JSONKeyOrderTests {
    static let keys = ["b", "B", "a", "A", "é", "z", "Z", "_", "ab", "a_", "€", "😀", "ｚ"]

    @Test func keysAreSortedByCodePoint() {
        let object = JSONObject(Self.keys.enumerated().map { ($1, JSONValue.int($0)) })
        // Code point order puts U+FF5A before U+1F600, although UTF-16 order would not.
        #expect(written(.object(object)) == """
            {
              "A": 3,
              "B": 1,
              "Z": 6,
              "_": 7,
              "a": 2,
              "a_": 9,
              "ab": 8,
              "b": 0,
              "z": 5,
              "é": 4,
              "€": 10,
              "ｚ": 12,
              "😀": 11
            }

            """)
    }

    @Test func outputDoesNotDependOnInsertionOrder() {
        let forward = JSONObject(Self.keys.map { ($0, JSONValue.string($0)) })
        let backward = JSONObject(Self.keys.reversed().map { ($0, JSONValue.string($0)) })
        #expect(JSONWriter.bytes(.object(forward)) == JSONWriter.bytes(.object(backward)))
    }

    @Test(arguments: [
        ("A", "a", true), ("a", "A", false), ("Z", "a", true), ("a", "a_", true), ("a_", "ab", true),
        ("z", "é", true), ("ｚ", "😀", true), ("😀", "ｚ", false), ("a", "a", false), ("", "a", true),
    ])
    func keyOrderComparesCodePoints(lhs: String, rhs: String, precedes: Bool) {
        #expect(JSONWriter.keyOrder(lhs, rhs) == precedes)
    }
}

@Suite struct JSONStringTests {
    @Test(arguments: [
        ("say \"hi\"", #""say \"hi\"""#),
        ("C:\\path", #""C:\\path""#),
        ("line\nnext", #""line\nnext""#),
        ("tab\there", #""tab\there""#),
        ("\r\u{08}\u{0C}", #""\r\b\f""#),
        ("\u{01}\u{1F}", #""\u0001\u001f""#),
        ("\u{00}", #""\u0000""#),
        ("a\u{1B}b", #""a\u001bb""#),
        ("\u{7F}", "\"\u{7F}\""),
        ("/slash", #""/slash""#),
        ("plain text", #""plain text""#),
    ])
    func stringsAreEscapedLikePython(text: String, expected: String) {
        #expect(written(.string(text)) == expected + "\n")
    }

    @Test func nonASCIITextIsWrittenAsUTF8() {
        let text = "héllo wörld ✓ 😀 \u{2028}"
        let bytes = JSONWriter.bytes(.string(text))
        #expect(bytes == [UInt8(ascii: "\"")] + Array(text.utf8) + Array("\"\n".utf8))
    }

    @Test func keysAreEscapedToo() {
        let object = JSONObject([("k\"ey", .string("v")), ("a\nb", .int(1))])
        #expect(written(.object(object)) == "{\n  \"a\\nb\": 1,\n  \"k\\\"ey\": \"v\"\n}\n")
    }
}

@Suite struct JSONNumberTests {
    /// Python's `repr` of each value, which `json.dumps` writes.
    @Test(arguments: [
        (3.0, "3.0"), (0.5, "0.5"), (1e-05, "1e-05"), (1e16, "1e+16"), (-1.5, "-1.5"), (100.0, "100.0"),
        (0.1, "0.1"), (0.0001, "0.0001"), (2.5e-07, "2.5e-07"), (-0.0, "-0.0"), (0.0, "0.0"),
        (123456789.125, "123456789.125"), (1e15, "1000000000000000.0"), (1234567890123456.7, "1234567890123456.8"),
        (12345678901234567.0, "1.2345678901234568e+16"), (1e22, "1e+22"), (0.30000000000000004, "0.30000000000000004"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"),
        // From 2^53 Swift writes an exponent where Python does not, up to 1e16.
        (9.5e15, "9500000000000000.0"), (9007199254740992.0, "9007199254740992.0"), (-9.99e15, "-9990000000000000.0"),
        (9.999999999999998e15, "9999999999999998.0"),
    ])
    func doublesAreWrittenAsPythonsRepr(number: Double, expected: String) {
        #expect(written(.double(number)) == expected + "\n")
    }

    @Test(arguments: [(0, "0"), (3, "3"), (-7, "-7"), (Int.max, "9223372036854775807"), (Int.min, "-9223372036854775808")])
    func integersHaveNoFraction(number: Int, expected: String) {
        #expect(written(.int(number)) == expected + "\n")
    }

    @Test func intAndDoubleOfTheSameValueAreWrittenDifferently() {
        #expect(written(.int(3)) == "3\n")
        #expect(written(.double(3)) == "3.0\n")
        #expect(JSONValue.int(3) != JSONValue.double(3))
    }
}

@Suite struct JSONObjectTests {
    @Test func subscriptSetAppendsNewKeysInOrder() {
        var object = JSONObject()
        #expect(object.isEmpty)
        object["b"] = .int(1)
        object["a"] = .int(2)
        #expect(object.members.map(\.key) == ["b", "a"])
        #expect(object.count == 2)
        #expect(object["a"] == .int(2))
        #expect(object["missing"] == nil)
    }

    @Test func subscriptSetReplacesInPlace() {
        var object = JSONObject([("a", .int(1)), ("b", .int(2)), ("c", .int(3))])
        object["b"] = .string("two")
        #expect(object.members.map(\.key) == ["a", "b", "c"])
        #expect(object["b"] == .string("two"))
        #expect(object.count == 3)
    }

    @Test func assigningNilRemoves() {
        var object = JSONObject([("a", .int(1)), ("b", .int(2))])
        object["a"] = nil
        #expect(object.members.map(\.key) == ["b"])
        object["never-there"] = nil
        #expect(object.count == 1)
        object["b"] = nil
        #expect(object.isEmpty)
        #expect(written(.object(object)) == "{}\n")
    }

    @Test func appendAddsAMember() {
        var object = JSONObject([("a", .int(1))])
        object.append("b", .bool(true))
        #expect(object.members.map(\.key) == ["a", "b"])
        #expect(object["b"] == .bool(true))
    }

    @Test func keyValuePairsBuildAnObjectInOrder() {
        guard case .object(let object) = JSONValue.object(["z": .int(1), "a": .int(2)]) else {
            Issue.record("not an object")
            return
        }
        #expect(object.members.map(\.key) == ["z", "a"])
    }

    @Test func equalityIgnoresMemberOrder() {
        let forward = JSONObject([("a", .int(1)), ("b", .object(["x": .null, "y": .bool(true)]))])
        let backward = JSONObject([("b", .object(["y": .bool(true), "x": .null])), ("a", .int(1))])
        #expect(forward == backward)
        #expect(JSONValue.object(forward) == JSONValue.object(backward))
    }

    @Test(arguments: [
        JSONObject([("a", .int(2)), ("b", .int(2))]),
        JSONObject([("a", .int(1))]),
        JSONObject([("a", .int(1)), ("b", .int(2)), ("c", .int(3))]),
        JSONObject([("a", .int(1)), ("c", .int(2))]),
        JSONObject([("a", .double(1)), ("b", .int(2))]),
    ])
    func objectsThatDifferAreNotEqual(other: JSONObject) {
        let object = JSONObject([("b", .int(2)), ("a", .int(1))])
        #expect(object != other)
        #expect(other != object)
    }

    @Test func arraysAreEqualOnlyInTheSameOrder() {
        #expect(JSONValue.array([.int(1), .int(2)]) != JSONValue.array([.int(2), .int(1)]))
        #expect(JSONValue.array([.int(1), .int(2)]) == JSONValue.array([.int(1), .int(2)]))
    }
}
