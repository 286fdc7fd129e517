import Foundation
/// Swift source text: the one place that escapes string literals and makes identifiers for generated code.
enum SwiftText {
    /// A Swift string literal for `text`, escaped so that any content (quotes, backslashes, `\(`, control
    /// characters, non-ASCII) comes back unchanged.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || (0x2028...0x2029).contains(scalar.value)
                {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Text for a `//` comment line: no line breaks, no control characters.
    static func comment(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F || (0x2028...0x2029).contains($0.value) ? " " : $0 }))
    }

    /// `trusted-role` → `TrustedRole`, `orders_v2` → `OrdersV2`; never empty, never starting with a digit.
    static func typeName(_ text: String) -> String {
        var words: [String] = []
        var current = ""
        for character in text {
            if character.isASCII, character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        var name = words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        if name.isEmpty { name = "Snippet" }
        if name.first!.isNumber { name = "Option" + name }
        if keywords.contains(name) { name += "Snippet" }
        return name
    }

    /// `DynamoDBAccessRole` → `dynamoDBAccessRole`, `Orders` → `orders`, `orders-api` → `ordersAPI`-like.
    static func variableName(_ text: String) -> String {
        let type = typeName(text)
        // Lower the leading run of capitals, keeping the last one of a run that starts a word ("DBAccess" stays "DB").
        let characters = Array(type)
        var prefixEnd = 0
        while prefixEnd < characters.count, characters[prefixEnd].isUppercase { prefixEnd += 1 }
        var lowered = prefixEnd
        if prefixEnd > 1, prefixEnd < characters.count, characters[prefixEnd].isLowercase { lowered = prefixEnd - 1 }
        let name = String(characters[..<max(lowered, 1)]).lowercased() + String(characters[max(lowered, 1)...])
        return keywords.contains(name) ? name + "Value" : name
    }

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout", "internal",
        "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct", "subscript", "typealias",
        "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough", "for", "guard", "if", "in",
        "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is", "nil", "super", "self", "Self",
        "throw", "throws", "true", "try", "await", "async", "Any", "Type", "Protocol", "some", "any", "run", "AWSClient",
        "AWSMock", "Model", "Foundation", "Testing", "Item", "DynamoDB", "STS", "AWSError", "AWSConfiguration",
    ]

    /// Words of `text` wrapped into `//` comment lines of at most `width` characters, each starting with `prefix`.
    static func wrap(_ text: String, prefix: String, width: Int = 116) -> [String] {
        var lines: [String] = []
        var line = prefix
        for word in comment(text).split(separator: " ") {
            if line.count + word.count + 1 > width, line != prefix {
                lines.append(line)
                line = prefix
            }
            line += (line == prefix ? "" : " ") + word
        }
        if line != prefix { lines.append(line) }
        return lines
    }

    /// A call on one line when it fits in `width` columns; else its arguments on the lines after the opening
    /// parenthesis, packed up to `width`, one level deeper. Commas inside strings, brackets or nested calls stay put.
    /// The same shape suits Swift and Python calls.
    static func call(_ text: String, indent: String, width: Int = 120) -> [String] {
        guard indent.count + text.count > width, let open = text.firstIndex(of: "(") else { return [indent + text] }
        var arguments: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        var escaped = false
        for character in text[text.index(after: open)...] {
            if quoted {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { quoted = false }
                current.append(character)
                continue
            }
            switch character {
            case "\"": quoted = true
            case "(", "[", "{": depth += 1
            case ")", "]", "}": depth -= 1
            default: break
            }
            if character == ",", depth == 0 {
                arguments.append(current.trimmingCharacters(in: .whitespaces) + ",")
                current = ""
            } else {
                current.append(character)
            }
        }
        arguments.append(current.trimmingCharacters(in: .whitespaces))
        var lines = [indent + text[...open]]
        var line = ""
        let inner = indent + "    "
        for argument in arguments {
            if !line.isEmpty, inner.count + line.count + 1 + argument.count > width {
                lines.append(inner + line)
                line = argument
            } else {
                line = line.isEmpty ? argument : line + " " + argument
            }
        }
        if !line.isEmpty { lines.append(inner + line) }
        return lines
    }
}
