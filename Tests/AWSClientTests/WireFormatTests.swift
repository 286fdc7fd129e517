@testable import AWSClient
import Testing

@Suite struct WireFormatTests {
    @Test(arguments: [
        "", "{", #"{"a":}"#, #"{"a":1"#, #"["x""#, #""\u12"#, "nul", #"{"a":1}x"#, String(repeating: "[", count: 100) + String(repeating: "]", count: 100),
        "1-2e+", "01", "-", "1.", ".5", "1e", "[1.e5]", #""\udc00""#, String(repeating: "[", count: 100_000),
    ])
    func hostileJSONIsAnErrorNotACrash(_ text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func jsonRoundTripsEscapes() throws {
        let value = JSONValue.object([("s", .string("line\n\"quote\" \\ \u{01} ü 🎉")), ("n", .number("-1.5e3")), ("a", .array([.null, .bool(false)]))])
        #expect(try JSONValue.parse(value.serialized) == value)
        #expect(try JSONValue.parse(Array(#""\ud83c\udf89""#.utf8)) == .string("🎉"))
    }

    @Test(arguments: ["", "<a>", "<a></b>", "<a x=1/>", "<a>&bogus;</a>", "<a><![CDATA[x</a>", "text", "<a/><b/>"])
    func hostileXMLIsAnErrorNotACrash(_ text: String) {
        #expect(throws: XMLNode.ParseError.self) { try XMLNode.parse(Array(text.utf8)) }
    }

    @Test func xmlReadsEntitiesCDATAAndNamespaces() throws {
        let root = try XMLNode.parse(
            Array("<?xml version=\"1.0\"?><!-- c --><p:Root xmlns:p=\"u\"><p:A k='v'>x &amp; &#x41;&#66;<![CDATA[<raw>]]></p:A><B/></p:Root>".utf8))
        #expect(root.localName == "Root")
        #expect(root.child("A")?.text == "x & AB<raw>")
        #expect(root.child("A")?.attributes["k"] == "v")
        #expect(root.child("B") != nil)
    }

    /// Requests write items straight from their attribute values: the bytes must be those of the item's document.
    @Test func itemsAreWrittenAsTheirDocuments() {
        let items: [Item] = [
            [:],
            ["k": .s("line\n\"quote\" \\ ü 🎉"), "a": .n("-1.5e3"), "Z": .b([0, 1, 255])],
            ["flag": .bool(false), "yes": .bool(true), "nothing": .null],
            ["map": .m(["inner": .l([.s("x"), .n("2"), .m([:]), .l([])])]), "list": .l([.bool(true), .null])],
            ["ss": .ss(["b", "a\""]), "ns": .ns(["1", "2.5"]), "bs": .bs([[1, 2], []]), "empty": .ss([])],
        ]
        for item in items {
            var written: [UInt8] = []
            AttributeValue.writeJSON(item, into: &written)
            #expect(written == AttributeValue.json(item).serialized, "\(item)")
        }
    }

    @Test func numbersAreValidated() {
        #expect(AttributeValue.isNumber("12.50"))
        #expect(AttributeValue.isNumber("-1e5"))
        #expect(!AttributeValue.isNumber("nan"))
        #expect(!AttributeValue.isNumber("inf"))
        #expect(!AttributeValue.isNumber(""))
    }
}
