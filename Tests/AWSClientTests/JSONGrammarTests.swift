@testable import AWSClient
import Testing

/// The JSON reader follows RFC 8259 to the letter: what it accepts is JSON, what it rejects says why, typed.
@Suite struct JSONGrammarTests {
    func kind(_ bytes: [UInt8]) -> JSONValue.ParseError.Kind? {
        do {
            _ = try JSONValue.parse(bytes)
            return nil
        } catch {
            return error.kind
        }
    }

    func kind(_ text: String) -> JSONValue.ParseError.Kind? { kind(Array(text.utf8)) }

    @Test(arguments: [
        "0", "-0", "1", "-1", "10", "1.5", "-0.0", "0.000", "0e0", "1E+2", "1e-2", "1E5", "-9.25e-10",
        "123456789012345678901234567890", "1.0e10",
    ])
    func validNumbersKeepTheirText(_ text: String) throws {
        #expect(try JSONValue.parse(Array(text.utf8)) == .number(text))
        #expect(try JSONValue.parse(Array("[\(text),\(text)]".utf8)) == .array([.number(text), .number(text)]))
        #expect(try JSONValue.parse(Array("{\"n\": \(text) }".utf8)) == .object([("n", .number(text))]))
    }

    @Test(arguments: [
        ("1-2e+", JSONValue.ParseError.NumberProblem.unexpectedCharacter), ("01", .leadingZero), ("-01", .leadingZero), ("00", .leadingZero),
        ("-", .noIntegerDigits), ("--1", .noIntegerDigits), (".5", .noIntegerDigits), ("-.5", .noIntegerDigits), ("+1", .noIntegerDigits),
        ("1.", .noFractionDigits), ("1.e5", .noFractionDigits), ("1e", .noExponentDigits), ("1e+", .noExponentDigits), ("1E-", .noExponentDigits),
        ("1.2.3", .unexpectedCharacter), ("1e5e", .unexpectedCharacter), ("1e5.0", .unexpectedCharacter), ("1+", .unexpectedCharacter),
    ])
    func invalidNumbersAreTypedErrors(_ text: String, _ problem: JSONValue.ParseError.NumberProblem) {
        #expect(kind(text) == .invalidNumber(problem), "\(text)")
        #expect(kind("[\(text)]") == .invalidNumber(problem), "[\(text)]")
    }

    @Test func otherNonNumbersAreRejected() {
        #expect(kind("0x10") == .textAfterValue)
        #expect(kind("[1 2]") == .expectedCommaOrEnd(closing: "]"))
        #expect(kind("NaN") == .unexpectedCharacter)
        #expect(kind("Infinity") == .unexpectedCharacter)
        #expect(kind("- 1") == .invalidNumber(.noIntegerDigits))
    }

    @Test func stringsFollowTheGrammar() throws {
        #expect(try JSONValue.parse(Array(#""caf\u00e9 é \ud83c\udf89 \u0000 \/""#.utf8)) == .string("café é 🎉 \u{0} /"))
        #expect(try JSONValue.parse([0x22, 0x7F, 0x22]) == .string("\u{7F}"))  // DEL needs no escape
        #expect(kind("\"a\u{01}b\"") == .unescapedControlCharacter)
        #expect(kind("\"a\tb\"") == .unescapedControlCharacter)
        #expect(kind(#""a\"\#n""#) == .unescapedControlCharacter)  // a raw line break after an escape
        #expect(kind(#""\x""#) == .invalidEscape)
        #expect(kind(#""\'""#) == .invalidEscape)
        #expect(kind(#""\u12G4""#) == .invalidUnicodeEscape)
        #expect(kind(#""\u12"#) == .endOfInput)
        #expect(kind(#""abc"#) == .unterminatedString)
    }

    @Test(arguments: [#""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800x""#, #""\udbff\udbff""#, #""a\udfff b""#])
    func loneSurrogatesAreRejected(_ text: String) {
        #expect(kind(text) == .loneSurrogate)
    }

    @Test(arguments: [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x61, 0x5C, 0x6E, 0xC3]] as [[UInt8]])
    func stringsMustBeUTF8(_ bad: [UInt8]) {
        #expect(kind([0x22] + bad + [0x22]) == .invalidUTF8)
        #expect(kind([0x5B, 0x22, 0x61] + bad + [0x5C, 0x6E, 0x22, 0x5D]) == .invalidUTF8)
    }

    @Test func errorsSayWhere() throws {
        let error = #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("[1, 2, 01]".utf8)) }
        #expect(error?.offset == 8)
        #expect(error?.description == "malformed number: a leading zero at byte 8")
    }

    @Test func nestingIsBoundedWithoutRecursingThatDeep() throws {
        let deepest = String(repeating: "[", count: JSONValue.maximumDepth) + "1" + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect(throws: Never.self) { try JSONValue.parse(Array(deepest.utf8)) }
        #expect(kind("[" + deepest + "]") == .nestingTooDeep)
        #expect(kind(String(repeating: "[", count: 100_000)) == .nestingTooDeep)
        #expect(kind(String(repeating: "{\"a\":", count: 100_000)) == .nestingTooDeep)
    }
}
