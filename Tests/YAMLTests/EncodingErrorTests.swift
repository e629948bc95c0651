import Diagnostics
import Testing
import YAML

/// Text that is not UTF-8, or holds characters YAML forbids, is reported where it is: libyaml
/// gives a byte offset, which becomes a line and a column counted in characters.
@Suite struct EncodingErrorTests {
    func problems(_ bytes: [UInt8]) -> [String] {
        let engine = DiagnosticEngine()
        _ = YAMLReader().read(bytes, file: "test.yaml", diagnostics: engine)
        return engine.sorted.map(\.description)
    }

    static let prefix = Array("name: x\n# café: ".utf8)  // line 2 has 8 characters before the bad byte

    @Test(arguments: [
        ([0xE9, 0x0A], "test.yaml:2:9: error: invalid UTF-8 (incomplete UTF-8 octet sequence); save the file as UTF-8"),
        ([0xE2, 0x82, 0x41, 0x0A], "test.yaml:2:9: error: invalid UTF-8 at byte 0xE2 (invalid trailing UTF-8 octet); save the file as UTF-8"),
        ([0xC0, 0xAF, 0x0A], "test.yaml:2:9: error: invalid UTF-8 (invalid length of a UTF-8 sequence); save the file as UTF-8"),
        ([0xED, 0xA0, 0x80, 0x0A], "test.yaml:2:9: error: invalid UTF-8 (invalid Unicode character); save the file as UTF-8"),
        ([0xFF, 0x0A], "test.yaml:2:9: error: invalid UTF-8 at byte 0xFF (invalid leading UTF-8 octet); save the file as UTF-8"),
        ([0xE2, 0x82], "test.yaml:2:9: error: invalid UTF-8 (incomplete UTF-8 octet sequence); save the file as UTF-8"),
        ([0x01, 0x0A], "test.yaml:2:9: error: control character U+0001 is not allowed in YAML; write it as an escape in a double-quoted string"),
        ([0x00, 0x0A], "test.yaml:2:9: error: control character U+0000 is not allowed in YAML; write it as an escape in a double-quoted string"),
    ] as [([UInt8], String)])
    func reportedWhereTheyAre(_ bad: [UInt8], _ expected: String) {
        #expect(problems(Self.prefix + bad) == [expected])
    }
}
