/// A minimal XML reader for AWS Query responses: elements, attributes, text, entities, CDATA, comments.
/// Namespaces are kept as written; look-ups use local names. DTDs and processing instructions are skipped.
package struct XMLNode: Sendable, Hashable {
    package var name: String
    package var attributes: [String: String]
    package var children: [XMLNode]
    package var text: String

    package init(name: String, attributes: [String: String] = [:], children: [XMLNode] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The name without a namespace prefix.
    package var localName: String { name.split(separator: ":").last.map(String.init) ?? name }

    package func child(_ name: String) -> XMLNode? { children.first { $0.localName == name } }
    package func children(_ name: String) -> [XMLNode] { children.filter { $0.localName == name } }
    /// The first descendant (depth first) with that local name.
    package func descendant(_ name: String) -> XMLNode? {
        for child in children {
            if child.localName == name { return child }
            if let found = child.descendant(name) { return found }
        }
        return nil
    }

    package struct ParseError: Error, Sendable, CustomStringConvertible {
        package var offset: Int
        package var reason: String
        package var description: String { "\(reason) at byte \(offset)" }
    }

    /// Parses a document and returns its root element.
    package static func parse(_ bytes: [UInt8]) throws(ParseError) -> XMLNode {
        var parser = Parser(bytes: bytes)
        parser.skipMisc()
        guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "<") else { throw ParseError(offset: parser.index, reason: "no XML root element") }
        let root = try parser.element(depth: 0)
        parser.skipMisc()
        guard parser.index == bytes.count else { throw ParseError(offset: parser.index, reason: "unexpected content after the root element") }
        return root
    }

    /// Escapes text for element content and attribute values: the one place XML is escaped.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        func fail(_ reason: String) -> ParseError { ParseError(offset: index, reason: reason) }

        func starts(_ text: String) -> Bool {
            let expected = Array(text.utf8)
            return index + expected.count <= bytes.count && Array(bytes[index..<index + expected.count]) == expected
        }

        mutating func skip(past terminator: String) throws(ParseError) {
            let expected = Array(terminator.utf8)
            while index + expected.count <= bytes.count {
                if Array(bytes[index..<index + expected.count]) == expected { index += expected.count; return }
                index += 1
            }
            throw fail("XML ends inside a \(terminator) construct")
        }

        /// Whitespace, the XML declaration, comments, processing instructions, a DOCTYPE.
        mutating func skipMisc() {
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1; continue }
                if index == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3; continue }
                do {
                    if starts("<?") { try skip(past: "?>"); continue }
                    if starts("<!--") { try skip(past: "-->"); continue }
                    if starts("<!") { try skip(past: ">"); continue }
                } catch { index = bytes.count; return }
                return
            }
        }

        mutating func name() throws(ParseError) -> String {
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
                    || byte == UInt8(ascii: "=")
                { break }
                index += 1
            }
            guard index > start else { throw fail("expected a name") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
        }

        mutating func element(depth: Int) throws(ParseError) -> XMLNode {
            guard depth < 64 else { throw fail("XML nested too deeply") }
            index += 1  // "<"
            var node = XMLNode(name: try name())
            while true {
                skipSpace()
                guard index < bytes.count else { throw fail("XML ends inside a tag") }
                if bytes[index] == UInt8(ascii: "/") {
                    guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { throw fail("expected '/>'") }
                    index += 2
                    return node
                }
                if bytes[index] == UInt8(ascii: ">") { index += 1; break }
                let attribute = try name()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw fail("expected '=' after attribute") }
                index += 1
                skipSpace()
                guard index < bytes.count, bytes[index] == 34 || bytes[index] == 39 else { throw fail("expected a quoted attribute value") }
                let quote = bytes[index]
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != quote { index += 1 }
                guard index < bytes.count else { throw fail("XML ends inside an attribute value") }
                node.attributes[attribute] = try decodeEntities(bytes[start..<index])
                index += 1
            }
            var text: [UInt8] = []
            while true {
                guard index < bytes.count else { throw fail("XML ends before </\(node.name)>") }
                if bytes[index] != UInt8(ascii: "<") {
                    let start = index
                    while index < bytes.count, bytes[index] != UInt8(ascii: "<") { index += 1 }
                    text += Array(try decodeEntities(bytes[start..<index]).utf8)
                    continue
                }
                if starts("</") {
                    index += 2
                    let closing = try name()
                    guard closing == node.name else { throw fail("</\(closing)> closes <\(node.name)>") }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw fail("expected '>'") }
                    index += 1
                    node.text = String(decoding: text, as: UTF8.self)
                    return node
                }
                if starts("<!--") { try skip(past: "-->"); continue }
                if starts("<![CDATA[") {
                    index += 9
                    let start = index
                    try skip(past: "]]>")
                    text += bytes[start..<index - 3]
                    continue
                }
                if starts("<?") { try skip(past: "?>"); continue }
                node.children.append(try element(depth: depth + 1))
            }
        }

        func decodeEntities(_ slice: ArraySlice<UInt8>) throws(ParseError) -> String {
            guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
            var out = ""
            var iterator = slice
            while let byte = iterator.first {
                guard byte == UInt8(ascii: "&") else {
                    let end = iterator.firstIndex(of: UInt8(ascii: "&")) ?? iterator.endIndex
                    out += String(decoding: iterator[iterator.startIndex..<end], as: UTF8.self)
                    iterator = iterator[end...]
                    continue
                }
                guard let semicolon = iterator.firstIndex(of: UInt8(ascii: ";")), semicolon - iterator.startIndex <= 10 else {
                    throw fail("unterminated entity")
                }
                let entity = String(decoding: iterator[(iterator.startIndex + 1)..<semicolon], as: UTF8.self)
                switch entity {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    var code: UInt32?
                    if entity.hasPrefix("#x") { code = UInt32(entity.dropFirst(2), radix: 16) }
                    else if entity.hasPrefix("#") { code = UInt32(entity.dropFirst(1)) }
                    guard let code, let scalar = Unicode.Scalar(code) else { throw fail("unknown entity &\(entity);") }
                    out.unicodeScalars.append(scalar)
                }
                iterator = iterator[(semicolon + 1)...]
            }
            return out
        }
    }
}
