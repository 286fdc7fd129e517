/// Decodes file contents as UTF-8, or says where they stop being UTF-8: the one check every text file of the
/// content goes through, so a bad byte is reported at its file rather than as a parse error or not at all.
enum UTF8Text {
    /// Where the first byte that is not UTF-8 is: its 0-based offset, and the 1-based line and column (in
    /// Unicode scalars) it sits at.
    struct InvalidByte: Error, Sendable, Hashable {
        var byte: UInt8
        var offset: Int
        var line: Int
        var column: Int

        /// "0xFF at offset 37 (line 3, column 5)".
        var description: String {
            let hex = String(byte, radix: 16, uppercase: true)
            return "0x\(hex.count < 2 ? "0" + hex : hex) at offset \(offset) (line \(line), column \(column))"
        }
    }

    /// The text, or the first invalid byte. Overlong forms, surrogates and code points past U+10FFFF are invalid,
    /// as RFC 3629 says.
    static func decode(_ bytes: [UInt8]) -> Result<String, InvalidByte> {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0, line = 1, column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1, encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                offset += encoded.count
            case .error:
                return .failure(InvalidByte(byte: bytes[offset], offset: offset, line: line, column: column))
            case .emptyInput:
                return .success(String(decoding: bytes, as: UTF8.self))
            }
        }
    }
}
