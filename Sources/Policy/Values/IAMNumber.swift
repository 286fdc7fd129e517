/// Numbers as IAM's numeric condition operators take them: decimal, optionally signed, with an optional fraction and
/// exponent. Swift's `Double(_:)` also reads `nan`, `infinity` and hexadecimal (`0x10`), which are no IAM numbers.
public enum IAMNumber {
    public static func parse(_ text: String) -> Double? {
        var digits = 0, index = text.utf8.startIndex
        let utf8 = text.utf8
        func digit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") { index = utf8.index(after: index) }
        while index < utf8.endIndex, digit(utf8[index]) { digits += 1; index = utf8.index(after: index) }
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: ".") {
            index = utf8.index(after: index)
            while index < utf8.endIndex, digit(utf8[index]) { digits += 1; index = utf8.index(after: index) }
        }
        guard digits > 0 else { return nil }
        if index < utf8.endIndex, utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") {
            index = utf8.index(after: index)
            if index < utf8.endIndex, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") { index = utf8.index(after: index) }
            var exponent = 0
            while index < utf8.endIndex, digit(utf8[index]) { exponent += 1; index = utf8.index(after: index) }
            guard exponent > 0 else { return nil }
        }
        guard index == utf8.endIndex, let value = Double(text), value.isFinite else { return nil }
        return value
    }
}
