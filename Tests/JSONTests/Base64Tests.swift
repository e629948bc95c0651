import JSON
import Testing

@Suite struct Base64Tests {
    @Test(arguments: ["", "f", "fo", "foo", "foob", "fooba", "foobar"])
    func roundTrips(_ text: String) {
        let encoded = Base64.encode(Array(text.utf8))
        #expect(Base64.decode(encoded) == Array(text.utf8))
        #expect(Base64.decode(Base64.encode(Array(text.utf8), urlSafe: true)) == Array(text.utf8))
    }

    @Test func matchesRFC4648() {
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8)) == "Zm8=")
        #expect(Base64.encode([0xfb, 0xff], urlSafe: true) == "-_8")
        #expect(Base64.encode([0xfb, 0xff]) == "+/8=")
    }

    @Test func rejectsWhatIsNotBase64() {
        #expect(Base64.decode("Zm9v!") == nil)
        #expect(Base64.decode("Zm=9") == nil)
        #expect(Base64.decode("Z") == nil)
    }
}
