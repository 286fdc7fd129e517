/// Python source text: the one escaping function for Python string literals, and identifiers from model names.
enum PythonText {
    /// A double-quoted Python string literal holding exactly `text`.
    static func literal(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0xD800...0xDFFF).contains(scalar.value) {
                    out += scalar.value <= 0xFF ? "\\x" + hex(scalar.value, 2) : "\\u" + hex(scalar.value, 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A comment's text on one line.
    static func comment(_ text: String) -> String {
        text.map { $0.isNewline ? " " : String($0) }.joined()
    }

    /// `DynamoDBAccessRole` → `dynamodb_access_role`, `orders-api` → `orders_api`: a snake_case identifier.
    static func snakeCase(_ text: String) -> String {
        // "DynamoDB" is one word to a Python reader (boto3's own client name is "dynamodb").
        let characters = Array(text.replacingOccurrences(of: "DynamoDB", with: "Dynamodb"))
        var out = ""
        for (index, character) in characters.enumerated() {
            guard character.isASCII, character.isLetter || character.isNumber else {
                if !out.isEmpty, out.last != "_" { out += "_" }
                continue
            }
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let startsWord = previous.isLowercase || previous.isNumber || (previous.isUppercase && (next?.isLowercase ?? false))
                if startsWord, out.last != "_", !out.isEmpty { out += "_" }
            }
            out += character.lowercased()
        }
        while out.hasSuffix("_") { out.removeLast() }
        if out.isEmpty { out = "value" }
        if out.first!.isNumber { out = "_" + out }
        return keywords.contains(out) ? out + "_" : out
    }

    /// `DynamoDBAccessRole` → `DYNAMODB_ACCESS_ROLE`.
    static func constantName(_ text: String) -> String { snakeCase(text).uppercased() }

    static let keywords: Set<String> = [
        "false", "none", "true", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
        "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise",
        "return", "try", "while", "with", "yield", "match", "case", "print", "event", "context", "boto3", "botocore", "handler",
    ]

    /// A DynamoDB item as a low-level boto3 dict: `{"customerId": {"S": "customer-1"}}`.
    static func item(_ pairs: [(name: String, value: String)]) -> String {
        "{" + pairs.map { "\(literal($0.name)): {\"S\": \(literal($0.value))}" }.joined(separator: ", ") + "}"
    }
}
