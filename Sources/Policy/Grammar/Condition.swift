public import Source
/// One `Operator: { key: values }` pair of a `Condition` element: all clauses of a statement must hold (AND),
/// any of a clause's values may match (OR).
public struct ConditionClause: Sendable, Hashable {
    public var `operator`: ConditionOperator
    /// The context key as written (`aws:PrincipalOrgID`); keys compare case-insensitively.
    public var key: Located<String>
    public var values: [Located<String>]
    public var location: SourceLocation

    public init(operator: ConditionOperator, key: Located<String>, values: [Located<String>], location: SourceLocation) {
        self.operator = `operator`
        self.key = key
        self.values = values
        self.location = location
    }
}

/// A condition operator, e.g. `ForAnyValue:StringLikeIfExists`: a set qualifier, a base operator and `IfExists`.
public struct ConditionOperator: Sendable, Hashable, CustomStringConvertible {
    public enum SetQualifier: String, Sendable, Hashable {
        case forAllValues = "ForAllValues"
        case forAnyValue = "ForAnyValue"
    }

    public enum Base: String, Sendable, Hashable, CaseIterable {
        case stringEquals = "StringEquals"
        case stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
        case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike"
        case stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals"
        case numericNotEquals = "NumericNotEquals"
        case numericLessThan = "NumericLessThan"
        case numericLessThanEquals = "NumericLessThanEquals"
        case numericGreaterThan = "NumericGreaterThan"
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals"
        case dateNotEquals = "DateNotEquals"
        case dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals"
        case dateGreaterThan = "DateGreaterThan"
        case dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool"
        case binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress"
        case notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals"
        case arnLike = "ArnLike"
        case arnNotEquals = "ArnNotEquals"
        case arnNotLike = "ArnNotLike"
        case null = "Null"

        /// Negated operators are true when the key is missing (IAM User Guide, "Condition operators").
        public var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
                .notIpAddress, .arnNotEquals, .arnNotLike:
                true
            default:
                false
            }
        }
    }

    public var qualifier: SetQualifier?
    public var base: Base
    public var ifExists: Bool

    public init(qualifier: SetQualifier? = nil, base: Base, ifExists: Bool = false) {
        self.qualifier = qualifier
        self.base = base
        self.ifExists = ifExists
    }

    /// Parses the spelling used in policies; `nil` for an unknown operator. Operator names are case-sensitive in IAM.
    public init?(parsing text: String) {
        var rest = Substring(text)
        var qualifier: SetQualifier?
        if let colon = rest.firstIndex(of: ":") {
            guard let parsed = SetQualifier(rawValue: String(rest[..<colon])) else { return nil }
            qualifier = parsed
            rest = rest[rest.index(after: colon)...]
        }
        var ifExists = false
        if rest.hasSuffix("IfExists") {
            ifExists = true
            rest = rest.dropLast("IfExists".count)
        }
        guard let base = Base(rawValue: String(rest)) else { return nil }
        if base == .null && ifExists { return nil }  // NullIfExists does not exist
        self.init(qualifier: qualifier, base: base, ifExists: ifExists)
    }

    public var description: String {
        (qualifier.map { $0.rawValue + ":" } ?? "") + base.rawValue + (ifExists ? "IfExists" : "")
    }

    /// Every spelling IAM accepts, for did-you-mean suggestions.
    public static var knownSpellings: [String] {
        Base.allCases.flatMap { base -> [String] in
            base == .null ? [base.rawValue] : [base.rawValue, base.rawValue + "IfExists"]
        }
    }
}
