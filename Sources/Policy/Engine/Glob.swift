/// A wildcard pattern compiled to tokens: bytes `0...255` are literal, `star` is `*`, `question` is `?`, and
/// `starWithinSegment` is a `*` of a resource ARN that may not cross a `:`.
///
/// Policy variables such as `${*}` produce a literal `*`, so patterns are token lists rather than text. Matching
/// works on UTF-8 bytes without allocating; `?` matches one character (one Unicode scalar, however many bytes), as
/// IAM's wildcards are per character (IAM User Guide, "IAM JSON policy elements: Condition operators", string
/// operators).
struct Glob: Sendable, Hashable {
    static let star: UInt16 = 256
    static let question: UInt16 = 257
    /// A `*` inside a segment of a resource ARN: it matches within the segment only. A `*` that ends a segment (is
    /// followed by `:` or ends the pattern) may expand past the colons (IAM User Guide, "IAM JSON policy elements:
    /// Resource").
    static let starWithinSegment: UInt16 = 258

    var tokens: [UInt16]
    /// True when the pattern is `*` alone: matches everything, checked before any work.
    var matchesAll: Bool
    /// True when the pattern has no wildcard: compared byte for byte.
    var isLiteral: Bool
    /// True when a `*` may not cross `:`: matched by the general walk instead of the greedy one.
    var hasSegmentStar: Bool

    init(tokens: [UInt16]) {
        self.tokens = tokens
        matchesAll = tokens == [Glob.star]
        isLiteral = !tokens.contains { $0 >= 256 }
        hasSegmentStar = tokens.contains(Glob.starWithinSegment)
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

    /// The resource-ARN form of `tokens`: a `*` that is not the last character of its segment stays within it.
    static func resource(_ tokens: [UInt16]) -> Glob {
        var tokens = tokens
        for index in tokens.indices where tokens[index] == star {
            var next = index + 1
            while next < tokens.count && tokens[next] == star { next += 1 }
            if next < tokens.count && tokens[next] != UInt16(UInt8(ascii: ":")) { tokens[index] = starWithinSegment }
        }
        return Glob(tokens: tokens)
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }

    /// The number of bytes of the UTF-8 sequence that starts with `byte` (1 for ASCII and for a stray byte).
    @inline(__always) static func scalarLength(_ byte: UInt8) -> Int {
        byte < 0xC0 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
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
        if hasSegmentStar { return walk(text, foldCase: foldCase) }
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
                    if token == Glob.question {
                        p += 1
                        t = min(tc, t + Glob.scalarLength(byte))
                        continue
                    }
                    if token == UInt16(byte) {
                        p += 1
                        t += 1
                        continue
                    }
                }
                if starP >= 0 {
                    // The star takes one more character and the rest is tried again after it.
                    p = starP + 1
                    starT = min(tc, starT + Glob.scalarLength(text[starT]))
                    t = starT
                    continue
                }
                return false
            }
            while p < pc && pattern[p] == Glob.star { p += 1 }
            return p == pc
        }
    }

    /// The general match: the set of text positions each pattern prefix can reach, token by token. Used when a `*`
    /// may not cross `:`, where the greedy walk's single backtrack point is not enough.
    private func walk(_ text: UnsafeBufferPointer<UInt8>, foldCase: Bool) -> Bool {
        let tc = text.count
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: 2 * (tc + 1)) { buffer in
            var current = UnsafeMutableBufferPointer(rebasing: buffer[0...tc])
            var next = UnsafeMutableBufferPointer(rebasing: buffer[(tc + 1)...])
            current.initialize(repeating: false)
            next.initialize(repeating: false)
            current[0] = true
            for token in tokens {
                for index in 0...tc { next[index] = false }
                switch token {
                case Glob.star, Glob.starWithinSegment:
                    // A star takes whole characters: it stops only where a character starts (or at the end).
                    var reached = false
                    for index in 0...tc {
                        if token == Glob.starWithinSegment && index > 0 && text[index - 1] == UInt8(ascii: ":") { reached = false }
                        reached = reached || current[index]
                        next[index] = reached && (index == tc || text[index] & 0xC0 != 0x80)
                    }
                case Glob.question:
                    var index = 0
                    while index < tc {
                        let length = Glob.scalarLength(text[index])
                        if current[index] && index + length <= tc { next[index + length] = true }
                        index += 1
                    }
                default:
                    for index in 0..<tc where current[index] {
                        let byte = foldCase ? Glob.lower(text[index]) : text[index]
                        if UInt16(byte) == token { next[index + 1] = true }
                    }
                }
                swap(&current, &next)
            }
            return current[tc]
        }
    }

    /// The pattern as text (wildcards as `*`/`?`), for messages.
    var text: String {
        String(decoding: tokens.map { $0 == Glob.star || $0 == Glob.starWithinSegment ? UInt8(ascii: "*") : $0 == Glob.question ? UInt8(ascii: "?") : UInt8($0) }, as: UTF8.self)
    }
}
