/// Writes a `LocatedValue` as JSON. The one place where JSON escaping is done.
public enum JSONWriter {
    /// `pretty` writes two-space indentation, one member per line, `"key": value` — the layout AWS's console
    /// and documentation use — and keeps members in the order they were written.
    public static func write(_ value: LocatedValue, pretty: Bool = true) -> String {
        var out = ""
        write(value, into: &out, pretty: pretty, indent: 0)
        if pretty { out += "\n" }
        return out
    }

    /// A JSON string literal for `text`, quotes included.
    public static func quote(_ text: String) -> String {
        quote(text, inScript: false)
    }

    /// `inScript` also escapes `<`, `>` and `&`, so that the literal can stand inside an HTML `<script>` (the site's
    /// search index) without ending it.
    public static func quote(_ text: String, inScript: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<" where inScript: out += "\\u003c"
            case ">" where inScript: out += "\\u003e"
            case "&" where inScript: out += "\\u0026"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: false)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func write(_ value: LocatedValue, into out: inout String, pretty: Bool, indent: Int) {
        let pad = pretty ? String(repeating: "  ", count: indent + 1) : ""
        let closePad = pretty ? String(repeating: "  ", count: indent) : ""
        let newline = pretty ? "\n" : ""
        switch value.kind {
        case .string(let text): out += quote(text)
        case .number(let text): out += text
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case .array(let elements):
            if elements.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (offset, element) in elements.enumerated() {
                out += pad
                write(element, into: &out, pretty: pretty, indent: indent + 1)
                out += (offset < elements.count - 1 ? "," : "") + newline
            }
            out += closePad + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (offset, member) in members.enumerated() {
                out += pad + quote(member.key) + (pretty ? ": " : ":")
                write(member.value, into: &out, pretty: pretty, indent: indent + 1)
                out += (offset < members.count - 1 ? "," : "") + newline
            }
            out += closePad + "}"
        }
    }
}
