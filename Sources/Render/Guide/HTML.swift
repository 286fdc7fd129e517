/// The one HTML and XML escaping function of Render: every model string placed in generated HTML or SVG goes through
/// it, in text and in (quoted) attribute values alike. Control characters other than tab and newline, which XML 1.0
/// forbids and HTML reports as errors, are dropped.
public enum HTML {
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n": result.unicodeScalars.append(character)
            default:
                if character.value >= 0x20 && character.value != 0x7F { result.unicodeScalars.append(character) }
            }
        }
        return result
    }
}

/// The one Markdown-escaping function: model strings placed in generated Markdown (default prose, pipe-table
/// cells) are backslash-escaped so they stay text, whatever punctuation they hold.
public enum MarkdownText {
    public static func escape(_ text: String) -> String {
        var result = ""
        for character in text.unicodeScalars {
            if character == "\n" || character == "\r" {
                result += " "
            } else if character.isASCII, "\\`*_[]<>|~&".unicodeScalars.contains(character) {
                result += "\\"
                result.unicodeScalars.append(character)
            } else {
                result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
