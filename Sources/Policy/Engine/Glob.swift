/// A wildcard pattern compiled to tokens: bytes `0...255` are literal, `star` is `*`, `question` is `?`.
///
/// Policy variables such as `${*}` produce a literal `*`, so patterns are token lists rather than text.
/// Matching works on UTF-8 bytes without allocating; `?` matches one byte, which is exact for the ASCII
/// names IAM uses.
struct Glob: Sendable, Hashable {
    static let star: UInt16 = 256
    static let question: UInt16 = 257

    var tokens: [UInt16]
    /// True when the pattern is `*` alone: matches everything, checked before any work.
    var matchesAll: Bool
    /// True when the pattern has no wildcard: compared byte for byte.
    var isLiteral: Bool

    init(tokens: [UInt16]) {
        self.tokens = tokens
        matchesAll = tokens == [Glob.star]
        isLiteral = !tokens.contains { $0 >= 256 }
    }

    /// Compiles text in which `*` and `?` are wildcards; `lowercased` folds ASCII letters (for actions).
    init(_ text: String, lowercased: Bool = false) {
        var tokens: [UInt16] = []
        tokens.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "*"): tokens.append(Glob.star)
            case UInt8(ascii: "?"): tokens.append(Glob.question)
            default: tokens.append(UInt16(lowercased ? Glob.lower(byte) : byte))
            }
        }
        self.init(tokens: tokens)
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }

    /// Whether `text` matches; `foldCase` lower-cases the text's ASCII letters as it goes (the pattern must
    /// then have been compiled lower-cased).
    func matches(_ text: String, foldCase: Bool = false) -> Bool {
        if matchesAll { return true }
        var copy = text
        return copy.withUTF8 { matches($0, foldCase: foldCase) }
    }

    func matches(_ text: UnsafeBufferPointer<UInt8>, foldCase: Bool) -> Bool {
        if matchesAll { return true }
        return tokens.withUnsafeBufferPointer { pattern in
            var p = 0, t = 0
            var starP = -1, starT = 0
            let pc = pattern.count, tc = text.count
            while t < tc {
                let byte = foldCase ? Glob.lower(text[t]) : text[t]
                if p < pc {
                    let token = pattern[p]
                    if token == Glob.star {
                        starP = p
                        starT = t
                        p += 1
                        continue
                    }
                    if token == Glob.question || token == UInt16(byte) {
                        p += 1
                        t += 1
                        continue
                    }
                }
                if starP >= 0 {
                    p = starP + 1
                    starT += 1
                    t = starT
                    continue
                }
                return false
            }
            while p < pc && pattern[p] == Glob.star { p += 1 }
            return p == pc
        }
    }

    /// The pattern as text (wildcards as `*`/`?`), for messages.
    var text: String {
        String(decoding: tokens.map { $0 == Glob.star ? UInt8(ascii: "*") : $0 == Glob.question ? UInt8(ascii: "?") : UInt8($0) }, as: UTF8.self)
    }
}
