internal import Foundation

/// Joins single-page PDFs (cairo's, as libgvc renders them) into one PDF with one page per input, every page the same
/// size: each drawing is scaled to fit the page and centred on a white background. Pure bytes in, bytes out, and
/// deterministic: the same inputs give the same file.
///
/// It reads what cairo writes — a classic cross-reference table, objects in plain text, page content in streams — and
/// copies every object byte for byte, renumbering the references in their dictionaries (never inside stream data).
/// The fonts cairo embedded stay embedded. It is not a general PDF reader: an input it cannot read is an error.
public enum PDFPages {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var page: Int
        public var reason: String
        public var description: String { "deck.pdf: page \(page): \(reason)" }
    }

    /// `pages` joined; `width` × `height` in points (960 × 540 is a 16:9 slide, 13.33 × 7.5 in).
    public static func join(_ pages: [[UInt8]], width: Double = 960, height: Double = 540, title: String) throws(Failure) -> [UInt8] {
        var objects: [Int: [UInt8]] = [:]
        var pageIDs: [Int] = []
        // 1: catalog, 2: page tree, 3: document information, 4: the shared stream that closes each page's transform.
        var next = 5
        for (index, pdf) in pages.enumerated() {
            let source = try Source(pdf, page: index + 1)
            let base = next - 1  // old object n becomes base + n
            var newPage: Int?
            for (number, body) in source.objects where !source.dropped.contains(number) {
                var (dictionary, stream) = split(body)
                var text = latin1(dictionary)
                text = renumber(text, by: base)
                if isPage(text) {
                    guard let box = mediaBox(text) else { throw Failure(page: index + 1, reason: "a page without a MediaBox") }
                    let scale = min(width / box.width, height / box.height)
                    let x = (width - box.width * scale) / 2, y = (height - box.height * scale) / 2
                    let opening = base + source.size + 1
                    let prologue = "1 1 1 rg 0 0 \(number4(width)) \(number4(height)) re f\nq \(number4(scale)) 0 0 \(number4(scale)) \(number4(x)) \(number4(y)) cm\n"
                    objects[opening] = Array("<< /Length \(prologue.utf8.count) >>\nstream\n\(prologue)\nendstream\n".utf8)
                    text = replacing(text, key: "/Parent", with: "/Parent 2 0 R")
                    text = replacingMediaBox(text, with: "/MediaBox [ 0 0 \(number4(width)) \(number4(height)) ]")
                    guard let contents = value(text, key: "/Contents") else { throw Failure(page: index + 1, reason: "a page without contents") }
                    text = replacing(text, key: "/Contents", with: "/Contents [ \(opening) 0 R \(contents) 4 0 R ]")
                    newPage = base + number
                }
                dictionary = bytes(text)
                objects[base + number] = dictionary + stream
            }
            guard let newPage else { throw Failure(page: index + 1, reason: "no page") }
            pageIDs.append(newPage)
            next = base + source.size + 2
        }
        objects[1] = Array("<< /Type /Catalog\n   /Pages 2 0 R\n>>\n".utf8)
        objects[2] = Array("<< /Type /Pages\n   /Kids [ \(pageIDs.map { "\($0) 0 R" }.joined(separator: " ")) ]\n   /Count \(pageIDs.count)\n>>\n".utf8)
        objects[3] = Array("<< /Title \(pdfString(title))\n   /Producer (Trustflow)\n   /CreationDate (D:19700101000000Z)\n>>\n".utf8)
        objects[4] = Array("<< /Length 2 >>\nstream\nQ\n\nendstream\n".utf8)

        var out: [UInt8] = Array("%PDF-1.5\n%".utf8) + [0xB5, 0xED, 0xAE, 0xFB, 0x0A]
        let size = (objects.keys.max() ?? 0) + 1
        var offsets = [Int?](repeating: nil, count: size)
        for number in objects.keys.sorted() {
            offsets[number] = out.count
            out += Array("\(number) 0 obj\n".utf8) + objects[number]! + Array("endobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(size)\n0000000000 65535 f \n"
        for number in 1..<size {
            if let offset = offsets[number] {
                table += String(repeating: "0", count: max(0, 10 - String(offset).count)) + String(offset) + " 00000 n \n"
            } else {
                table += "0000000000 65535 f \n"
            }
        }
        table += "trailer\n<< /Size \(size)\n   /Root 1 0 R\n   /Info 3 0 R\n>>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Array(table.utf8)
    }

    /// One input PDF: its objects' bodies (after `n 0 obj`, up to `endobj`), by number.
    struct Source {
        var objects: [(Int, [UInt8])] = []
        /// The cross-reference table's size: object numbers are below it.
        var size = 0
        /// The catalog, page tree and information dictionary: the joined file has its own.
        var dropped: Set<Int> = []

        init(_ pdf: [UInt8], page: Int) throws(Failure) {
            func fail(_ reason: String) -> Failure { Failure(page: page, reason: reason) }
            guard let startxrefAt = lastIndex(of: Array("startxref".utf8), in: pdf) else { throw fail("no startxref") }
            let tail = latin1(Array(pdf[(startxrefAt + 9)...]))
            guard let xref = Int(tail.split(whereSeparator: \.isWhitespace).first ?? ""), xref < pdf.count else { throw fail("bad startxref") }
            let table = latin1(Array(pdf[xref...]))
            var lines = table.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
            guard lines.first == "xref", lines.count > 2 else { throw fail("no cross-reference table (compressed ones are not read)") }
            let header = lines[1].split(separator: " ")
            guard header.count == 2, header[0] == "0", let count = Int(header[1]), lines.count >= 2 + count else { throw fail("bad cross-reference table") }
            size = count
            var starts: [(number: Int, offset: Int)] = []
            for number in 1..<count {
                let fields = lines[2 + number].split(separator: " ")
                guard fields.count == 3, let offset = Int(fields[0]) else { throw fail("bad cross-reference entry \(number)") }
                if fields[2] == "n" { starts.append((number, offset)) }
            }
            let trailer = lines[(2 + count)...].joined(separator: "\n")
            lines = []
            starts.sort { $0.offset < $1.offset }
            for (position, start) in starts.enumerated() {
                let end = position + 1 < starts.count ? starts[position + 1].offset : xref
                guard start.offset < end, end <= pdf.count else { throw fail("object \(start.number) out of place") }
                var body = Array(pdf[start.offset..<end])
                let opening = Array("\(start.number) 0 obj".utf8)
                guard body.starts(with: opening) else { throw fail("object \(start.number) is not where the table says") }
                body.removeFirst(opening.count)
                while let first = body.first, first == 0x0A || first == 0x0D || first == 0x20 { body.removeFirst() }
                guard let endobj = lastIndex(of: Array("endobj".utf8), in: body) else { throw fail("object \(start.number) has no endobj") }
                body.removeSubrange(endobj...)
                objects.append((start.number, body))
            }
            objects.sort { $0.0 < $1.0 }
            for key in ["/Root", "/Info"] {
                if let reference = value(trailer, key: key), let number = Int(reference.split(separator: " ").first ?? "") { dropped.insert(number) }
            }
            for (number, body) in objects where latin1(split(body).dictionary).contains("/Type /Pages") { dropped.insert(number) }
        }
    }

    /// An object body cut before its stream data: the dictionary (renumbered) and the rest (copied as is).
    static func split(_ body: [UInt8]) -> (dictionary: [UInt8], stream: [UInt8]) {
        let keyword = Array("stream".utf8)
        var index = 0
        while index + keyword.count <= body.count {
            if body[index] == keyword[0], Array(body[index..<index + keyword.count]) == keyword,
               index == 0 || [0x0A, 0x0D, 0x20, 0x3E].contains(body[index - 1]),
               index + keyword.count < body.count, [0x0A, 0x0D].contains(body[index + keyword.count]) {
                return (Array(body[..<index]), Array(body[index...]))
            }
            index += 1
        }
        return (body, [])
    }

    /// Adds `base` to every object reference (`12 0 R`).
    static func renumber(_ text: String, by base: Int) -> String {
        var out = ""
        let tokens = text.split(separator: " ", omittingEmptySubsequences: false)
        var index = 0
        while index < tokens.count {
            if index + 2 < tokens.count, let number = Int(tokens[index].drop { $0 == "[" || $0 == "\n" }), tokens[index + 1] == "0",
               let after = tokens[index + 2].first, after == "R", tokens[index + 2].dropFirst().allSatisfy({ "]>/\n".contains($0) }) {
                let prefix = tokens[index].prefix { $0 == "[" || $0 == "\n" }
                out += (index > 0 ? " " : "") + prefix + String(number + base) + " 0 " + tokens[index + 2]
                index += 3
                continue
            }
            out += (index > 0 ? " " : "") + tokens[index]
            index += 1
        }
        return out
    }

    static func isPage(_ text: String) -> Bool {
        text.contains("/Type /Page\n") || text.contains("/Type /Page ") || text.hasSuffix("/Type /Page")
    }

    /// The value after `key` up to the end of its line (`/Contents 4 0 R` → `4 0 R`).
    static func value(_ text: String, key: String) -> String? {
        guard let range = text.range(of: key + " ") else { return nil }
        let rest = text[range.upperBound...]
        let line = rest.prefix { $0 != "\n" }
        return line.trimmingCharacters(in: .whitespaces)
    }

    static func replacing(_ text: String, key: String, with replacement: String) -> String {
        guard let range = text.range(of: key + " ") else { return text }
        let end = text[range.upperBound...].firstIndex(of: "\n") ?? text.endIndex
        return text.replacingCharacters(in: range.lowerBound..<end, with: replacement)
    }

    static func replacingMediaBox(_ text: String, with replacement: String) -> String {
        guard let range = text.range(of: "/MediaBox"), let close = text[range.upperBound...].firstIndex(of: "]") else { return text }
        return text.replacingCharacters(in: range.lowerBound...close, with: replacement)
    }

    static func mediaBox(_ text: String) -> (width: Double, height: Double)? {
        guard let range = text.range(of: "/MediaBox"), let open = text[range.upperBound...].firstIndex(of: "["),
              let close = text[open...].firstIndex(of: "]") else { return nil }
        let numbers = text[text.index(after: open)..<close].split(separator: " ").compactMap { Double($0) }
        guard numbers.count == 4, numbers[2] > numbers[0], numbers[3] > numbers[1] else { return nil }
        return (numbers[2] - numbers[0], numbers[3] - numbers[1])
    }

    /// A number as PDF writes it: up to four decimals, no exponent.
    static func number4(_ value: Double) -> String {
        let scaled = (value * 10000).rounded()
        let sign = scaled < 0 ? "-" : ""
        let magnitude = Int(abs(scaled))
        let fraction = magnitude % 10000
        var text = sign + String(magnitude / 10000)
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: 4 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }

    /// A PDF text string: UTF-16BE with a byte-order mark, as hex, so any title is safe.
    static func pdfString(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = "<FEFF"
        for unit in text.utf16 {
            for shift in [12, 8, 4, 0] { out.append(hex[Int((unit >> UInt16(shift)) & 0xF)]) }
        }
        return out + ">"
    }

    static func latin1(_ bytes: [UInt8]) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: bytes.map { Unicode.Scalar($0) })
        return text
    }

    static func bytes(_ text: String) -> [UInt8] { text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } }

    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.count - needle.count
        while index >= 0 {
            if haystack[index] == needle[0], Array(haystack[index..<index + needle.count]) == needle { return index }
            index -= 1
        }
        return nil
    }
}
