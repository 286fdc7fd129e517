import Source
/// A condition value compiled once for its operator: number, date, CIDR, ARN parts or glob parsed ahead.
struct ConditionValue: Sendable, Hashable {
    var text: String
    var template: Template?
    var glob: Glob
    var number: Double?
    var date: Double?
    var cidr: CIDR?
    /// For an IPv4 block: network and mask, so that IPv4 request values compare without parsing into arrays.
    var v4: (network: UInt32, mask: UInt32)?
    var arnParts: [Glob]?

    static func == (lhs: ConditionValue, rhs: ConditionValue) -> Bool { lhs.text == rhs.text && lhs.template == rhs.template }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    init(_ text: String, base: ConditionOperator.Base, variables: Bool = true) {
        let wildcards = base == .stringLike || base == .stringNotLike || base == .arnLike || base == .arnNotLike
            || base == .arnEquals || base == .arnNotEquals
        let template = Template(text, wildcards: wildcards, variables: variables)
        if template.hasVariables {
            self.init(resolvedText: text, glob: Glob(tokens: []), base: base)
            self.template = template
        } else {
            var tokens: [UInt16] = []
            for part in template.parts { if case .tokens(let more) = part { tokens += more } }
            self.init(resolvedText: ConditionValue.text(of: tokens), glob: Glob(tokens: tokens), base: base)
        }
    }

    init(resolvedText text: String, glob: Glob, base: ConditionOperator.Base) {
        self.text = text
        self.template = nil
        self.glob = glob
        switch base {
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            number = IAMNumber.parse(text)
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            date = IAMDate.parse(text)
        case .ipAddress, .notIpAddress:
            cidr = CIDR(text)
            if let cidr, cidr.isIPv4 {
                let address = cidr.bytes[12...].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                let mask: UInt32 = cidr.prefixLength == 0 ? 0 : ~UInt32(0) << UInt32(32 - cidr.prefixLength)
                v4 = (address & mask, mask)
            }
        case .arnEquals, .arnNotEquals, .arnLike, .arnNotLike:
            arnParts = ConditionValue.arnGlobs(glob.tokens)
        default:
            break
        }
    }

    /// The six colon-separated parts of an ARN pattern, each a glob; `nil` when there are fewer than six.
    static func arnGlobs(_ tokens: [UInt16]) -> [Glob]? {
        var parts: [Glob] = []
        var current: [UInt16] = []
        for token in tokens {
            if token == UInt16(UInt8(ascii: ":")) && parts.count < 5 {
                parts.append(Glob(tokens: current))
                current = []
            } else {
                current.append(token)
            }
        }
        parts.append(Glob(tokens: current))
        return parts.count == 6 ? parts : nil
    }

    /// Text of literal tokens (a variable's `${*}` gives a real `*`).
    static func text(of tokens: [UInt16]) -> String {
        String(decoding: tokens.map { $0 == Glob.star ? UInt8(ascii: "*") : $0 == Glob.question ? UInt8(ascii: "?") : UInt8($0) }, as: UTF8.self)
    }

    /// The value with its variables filled from the request; `nil` when a variable is missing.
    func resolved(in context: RequestContext, base: ConditionOperator.Base) -> ConditionValue? {
        guard let template else { return self }
        guard let glob = template.resolve(in: context) else { return nil }
        return ConditionValue(resolvedText: ConditionValue.text(of: glob.tokens), glob: glob, base: base)
    }
}

/// One `Operator: {key: values}` clause, compiled.
struct CompiledCondition: Sendable, Hashable {
    var op: ConditionOperator
    var positive: ConditionOperator.Base
    var key: String
    var writtenKey: String
    var values: [ConditionValue]
    var hasVariables: Bool
    var location: SourceLocation

    init(_ clause: ConditionClause, variables: Bool = true) {
        op = clause.operator
        positive = CompiledCondition.positiveForm(clause.operator.base)
        key = clause.key.value.lowercased()
        writtenKey = clause.key.value
        values = clause.values.map { ConditionValue($0.value, base: clause.operator.base, variables: variables) }
        hasVariables = values.contains { $0.template != nil }
        location = clause.location
    }

    static func positiveForm(_ base: ConditionOperator.Base) -> ConditionOperator.Base {
        switch base {
        case .stringNotEquals: .stringEquals
        case .stringNotEqualsIgnoreCase: .stringEqualsIgnoreCase
        case .stringNotLike: .stringLike
        case .numericNotEquals: .numericEquals
        case .dateNotEquals: .dateEquals
        case .notIpAddress: .ipAddress
        case .arnNotEquals: .arnEquals
        case .arnNotLike: .arnLike
        default: base
        }
    }

    /// Evaluates the clause; `missing` is set when the key is absent from the context.
    func evaluate(_ context: RequestContext, missing: inout Bool) -> Bool {
        let found = context.lookup(lowercased: key)
        guard let found, !found.values.isEmpty else {
            missing = true
            if op.base == .null { return values.contains { $0.text.lowercased() == "true" } }
            if op.ifExists { return true }
            switch op.qualifier {
            case .forAllValues: return true
            case .forAnyValue: return false
            case nil: return op.base.isNegated
            }
        }
        if op.base == .null { return values.contains { $0.text.lowercased() == "false" } }
        let policyValues: [ConditionValue]
        if hasVariables {
            // A variable the request cannot fill makes the condition false, negated operators included: the statement
            // does not match (IAM User Guide, "IAM policy elements: Variables and tags").
            var resolved: [ConditionValue] = []
            for value in values {
                guard let filled = value.resolved(in: context, base: op.base) else { return false }
                resolved.append(filled)
            }
            policyValues = resolved
        } else {
            policyValues = values
        }
        let negated = op.base.isNegated
        switch op.qualifier {
        case nil:
            var any = false
            for value in found.values where matchesAny(value, policyValues) {
                any = true
                break
            }
            return negated ? !any : any
        case .forAnyValue:
            for value in found.values where matchesAny(value, policyValues) != negated { return true }
            return false
        case .forAllValues:
            for value in found.values where matchesAny(value, policyValues) == negated { return false }
            return true
        }
    }

    @inline(__always) func matchesAny(_ requestValue: String, _ policyValues: [ConditionValue]) -> Bool {
        for value in policyValues where matches(requestValue, value) { return true }
        return false
    }

    func matches(_ requestValue: String, _ value: ConditionValue) -> Bool {
        switch positive {
        case .stringEquals, .binaryEquals: return requestValue == value.text
        case .stringEqualsIgnoreCase: return CompiledCondition.equalsIgnoringCase(requestValue, value.text)
        case .stringLike: return value.glob.matches(requestValue)
        case .numericEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            guard let left = IAMNumber.parse(requestValue), let right = value.number else { return false }
            return compare(left, right)
        case .dateEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let left = IAMDate.parse(requestValue), let right = value.date else { return false }
            return compare(left, right)
        case .bool: return CompiledCondition.equalsIgnoringCase(requestValue, value.text)
        case .ipAddress:
            if let address = CompiledCondition.ipv4(requestValue) {
                guard let v4 = value.v4 else { return false }
                return address & v4.mask == v4.network
            }
            guard let block = value.cidr, let address = CIDR(requestValue) else { return false }
            return block.contains(address)
        case .arnEquals, .arnLike:
            guard let parts = value.arnParts else { return false }
            return CompiledCondition.arnMatches(requestValue, parts)
        default:
            return false
        }
    }

    @inline(__always) func compare(_ left: Double, _ right: Double) -> Bool {
        switch positive {
        case .numericEquals, .dateEquals: left == right
        case .numericLessThan, .dateLessThan: left < right
        case .numericLessThanEquals, .dateLessThanEquals: left <= right
        case .numericGreaterThan, .dateGreaterThan: left > right
        case .numericGreaterThanEquals, .dateGreaterThanEquals: left >= right
        default: false
        }
    }

    /// A dotted-quad IPv4 address without allocating; `nil` for anything else (IPv6, a block, junk).
    static func ipv4(_ text: String) -> UInt32? {
        var result: UInt32 = 0, part: UInt32 = 0, digits = 0, dots = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                result = result << 8 | part
                part = 0
                digits = 0
                dots += 1
            } else if byte >= 48 && byte <= 57 {
                part = part * 10 + UInt32(byte - 48)
                digits += 1
                guard digits <= 3, part <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard dots == 3, digits > 0 else { return nil }
        return result << 8 | part
    }

    /// Case-insensitive equality that folds every letter, not only ASCII (`É` equals `é`); ASCII text takes the
    /// byte-wise path.
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let left = a.utf8, right = b.utf8
        var ascii = true
        if left.count == right.count {
            for (x, y) in zip(left, right) {
                if x >= 0x80 || y >= 0x80 { ascii = false; break }
                if Glob.lower(x) != Glob.lower(y) { return false }
            }
            if ascii { return true }
        } else if left.allSatisfy({ $0 < 0x80 }) && right.allSatisfy({ $0 < 0x80 }) {
            return false
        }
        return a.lowercased() == b.lowercased()
    }

    /// ARN matching compares each of the six parts on its own, so `*` never crosses a `:` of the ARN.
    static func arnMatches(_ text: String, _ parts: [Glob]) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            var start = 0
            var partIndex = 0
            for index in 0...buffer.count {
                let atEnd = index == buffer.count
                if atEnd || (buffer[index] == UInt8(ascii: ":") && partIndex < 5) {
                    if atEnd && partIndex != 5 { return false }
                    let slice = UnsafeBufferPointer(rebasing: buffer[start..<index])
                    if !parts[partIndex].matches(slice, foldCase: false) { return false }
                    partIndex += 1
                    start = index + 1
                }
            }
            return partIndex == 6
        }
    }
}
