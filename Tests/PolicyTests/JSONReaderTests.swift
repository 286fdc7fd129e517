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

    // MARK: - Bounded and linear (the hostile-content issue)

    @Test func columnsOnOneLongLineAreCountedForwardAndRight() throws {
        // A 500 KB policy on one line took 44 s when every value's column was counted from the line's start.
        let elements = Array(repeating: "\"é\"", count: 50_000).joined(separator: ",")
        let reading = JSONReader.read("[" + elements + "]", file: "f.json", limits: ReadLimits(depth: 8, stringBytes: 16, values: 1_000_000))
        let value = try #require(reading.value)
        #expect(reading.valueCount == 50_001)
        // Element n starts at column 2 + 4n (each is 4 scalars: quote, é, quote, comma).
        #expect(value.elements?[49_999].location.column == 2 + 4 * 49_999)
        let broken = JSONReader.parse("[" + elements + ",]", file: "f.json")
        #expect(broken.diagnostics.map(\.description) == ["f.json:1:\(2 + 4 * 50_000): error: invalid JSON: unexpected character ']', expected a value"])
    }

    @Test func aStringPastTheLimitStopsReadingAtItsStart() {
        let text = "{\"a\": \"" + String(repeating: "x", count: 1_000_000) + "\"}"
        let (value, diagnostics) = JSONReader.parse(text, file: "f.json", limits: ReadLimits(depth: 8, stringBytes: 1024, values: 100))
        #expect(value == nil)
        #expect(diagnostics.map(\.description) == ["f.json:1:7: error: a string longer than 1 KiB, the limit for one string (see README, 'Limits')"])
    }

    @Test func theValueBudgetStopsReadingAtTheFirstValuePastIt() {
        let text = "[" + Array(repeating: "1", count: 100_000).joined(separator: ",") + "]"
        let reading = JSONReader.read(text, file: "f.json", limits: ReadLimits(depth: 8, stringBytes: 16, values: 1000))
        #expect(reading.value == nil)
        #expect(reading.valueCount == 1001)
        #expect(reading.diagnostics.map(\.description) == ["f.json:1:\(2 + 2 * 999): error: more than 1,000 values: the limit for one content (see README, 'Limits')"])
    }

    @Test func nestingStopsAtTheLimitWhereItIsCrossed() {
        let (_, diagnostics) = JSONReader.parse(String(repeating: "[", count: 100), file: "f.json")
        #expect(diagnostics.map(\.description) == ["f.json:1:65: error: nesting deeper than 64 levels (see README, 'Limits')"])
    }
}
