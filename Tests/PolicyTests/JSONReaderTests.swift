import Policy
import Testing
import Source

@Suite struct JSONReaderTests {
    @Test func keepsLinesAndColumns() throws {
        let (value, diagnostics) = JSONReader.parse("{\n  \"a\": [1, \"x\"],\n  \"b\": true\n}", file: "f.json")
        #expect(diagnostics.isEmpty)
        let root = try #require(value)
        #expect(root.members?[1].keyLocation == SourceLocation(file: "f.json", line: 3, column: 3))
        #expect(root["a"]?.elements?[1].location == SourceLocation(file: "f.json", line: 2, column: 12))
    }

    @Test(arguments: [
        ("{\"a\": }", "f.json:1:7: error: invalid JSON: unexpected character '}', expected a value"),
        ("{\"a\": 1,,}", "f.json:1:9: error: invalid JSON: expected a quoted key, found ','"),
        ("[1, 2", "f.json:1:6: error: invalid JSON: unexpected end of input inside a list, expected ',' or ']'"),
        ("\"abc", "f.json:1:5: error: invalid JSON: unterminated string"),
        ("{} x", "f.json:1:4: error: invalid JSON: unexpected text after the end of the JSON document"),
        ("", "f.json:1:1: error: invalid JSON: unexpected end of input, expected a value"),
    ])
    func reportsSyntaxErrorsWithPositions(text: String, expected: String) {
        let (value, diagnostics) = JSONReader.parse(text, file: "f.json")
        #expect(value == nil)
        #expect(diagnostics.map(\.description) == [expected])
    }

    @Test func reportsDuplicateKeys() {
        let (_, diagnostics) = JSONReader.parse("{\"a\": 1,\n \"a\": 2}", file: "f.json")
        #expect(diagnostics.map(\.description) == ["f.json:2:2: error: duplicate key 'a' (first at line 1)"])
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let text = String(repeating: "[", count: 100_000)
        let (value, diagnostics) = JSONReader.parse(text, file: "f.json")
        #expect(value == nil)
        #expect(diagnostics.first?.message.contains("nesting deeper") == true)
    }

    @Test func roundTripsThroughTheWriter() throws {
        let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"a:b\\n\\u0001\\\"\"\n    }\n  ]\n}\n"
        let value = try #require(JSONReader.parse(text, file: "f").value)
        #expect(JSONWriter.write(value) == text)
    }
}
