/// Text with policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`) resolved against a
/// request's context. `${*}`, `${?}` and `${$}` stand for the literal characters (IAM User Guide, "IAM policy
/// elements: Variables and tags"); they never act as wildcards.
struct Template: Sendable, Hashable {
    enum Part: Sendable, Hashable {
        /// Tokens as `Glob` stores them (wildcards already decided).
        case tokens([UInt16])
        /// A context key (lower-cased) and an optional default.
        case variable(key: String, written: String, defaultValue: String?)
    }

    var parts: [Part]
    var hasVariables: Bool { parts.contains { if case .variable = $0 { true } else { false } } }

    /// Parses `text`; `wildcards` says whether `*`/`?` outside variables are wildcards (Resource, StringLike);
    /// `variables` is false for a policy without `"Version": "2012-10-17"`, where `${…}` is literal text (IAM User
    /// Guide, "IAM JSON policy elements: Version").
    init(_ text: String, wildcards: Bool, variables: Bool = true) {
        var parts: [Part] = []
        var current: [UInt16] = []
        let bytes = Array(text.utf8)
        var index = 0
        func literal(_ byte: UInt8) -> UInt16 { UInt16(byte) }
        while index < bytes.count {
            let byte = bytes[index]
            if variables, byte == UInt8(ascii: "$"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{"),
                let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}"))
            {
                let inner = String(decoding: bytes[(index + 2)..<close], as: UTF8.self)
                switch inner {
                case "*", "?", "$":
                    current.append(literal(inner.utf8.first!))
                default:
                    if !current.isEmpty { parts.append(.tokens(current)); current = [] }
                    var key = inner.trimmingSpaces
                    var defaultValue: String?
                    if let comma = inner.firstIndex(of: ",") {
                        key = String(inner[..<comma]).trimmingSpaces
                        var rest = String(inner[inner.index(after: comma)...]).trimmingSpaces
                        if rest.count >= 2, rest.hasPrefix("'"), rest.hasSuffix("'") { rest = String(rest.dropFirst().dropLast()) }
                        defaultValue = rest
                    }
                    parts.append(.variable(key: key.lowercased(), written: key, defaultValue: defaultValue))
                }
                index = close + 1
                continue
            }
            if wildcards && byte == UInt8(ascii: "*") {
                current.append(Glob.star)
            } else if wildcards && byte == UInt8(ascii: "?") {
                current.append(Glob.question)
            } else {
                current.append(literal(byte))
            }
            index += 1
        }
        if !current.isEmpty || parts.isEmpty { parts.append(.tokens(current)) }
        self.parts = parts
    }

    /// The pattern for this request; `nil` when a variable has no value and no default (the element then
    /// cannot match). A multivalued key cannot fill a variable.
    func resolve(in context: RequestContext) -> Glob? {
        var tokens: [UInt16] = []
        for part in parts {
            switch part {
            case .tokens(let more): tokens += more
            case .variable(let key, _, let defaultValue):
                if let value = context.lookup(lowercased: key), value.values.count == 1 {
                    tokens += value.values[0].utf8.map { UInt16($0) }
                } else if let defaultValue {
                    tokens += defaultValue.utf8.map { UInt16($0) }
                } else {
                    return nil
                }
            }
        }
        return Glob(tokens: tokens)
    }

    /// The keys of the variables, as written.
    var variableKeys: [String] {
        parts.compactMap { if case .variable(_, let written, _) = $0 { written } else { nil } }
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
