public import Source
/// Which role a policy document plays; the grammar differs slightly between them
/// (identity policies have no `Principal`, trust policies have no `Resource`, …).
public enum PolicyKind: String, Sendable, Hashable, Codable, CaseIterable {
    case identity
    case resource
    case trust
    case boundary
    case session
    case serviceControl = "scp"

    /// Where AWS expects a `Principal`/`NotPrincipal` element.
    public var takesPrincipal: Bool { self == .resource || self == .trust }

    /// Human wording used in messages ("identity-based policy", …), as AWS's error texts spell them.
    public var awsWording: String {
        switch self {
        case .identity: "identity-based policy"
        case .resource, .trust: "resource-based policy"
        case .boundary: "permissions boundary"
        case .session: "session policy"
        case .serviceControl: "service control policy"
        }
    }
}

/// An IAM policy document, parsed into typed values. `source` keeps the tree as written, so that the exact
/// document can be published again.
public struct PolicyDocument: Sendable, Hashable {
    public enum Version: String, Sendable, Hashable, Codable {
        case v2012 = "2012-10-17"
        case v2008 = "2008-10-17"
    }

    public var version: Version?
    public var id: String?
    public var statements: [Statement]
    public var kind: PolicyKind
    public var source: LocatedValue
    /// The length in characters of the JSON text the document was read from, white space included; `nil` when it was
    /// not read from JSON text of its own (a policy written inside `model.yml`).
    public var writtenLength: Int?

    public init(version: Version?, id: String?, statements: [Statement], kind: PolicyKind, source: LocatedValue) {
        self.version = version
        self.id = id
        self.statements = statements
        self.kind = kind
        self.source = source
    }

    public var location: SourceLocation { source.location }

    /// The document as pretty JSON, members in the order written.
    public var jsonText: String { JSONWriter.write(source, pretty: true) }
}

/// A value together with where it was written.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

public enum Effect: String, Sendable, Hashable, Codable {
    case allow = "Allow"
    case deny = "Deny"
}

public struct Statement: Sendable, Hashable {
    public var sid: String?
    public var effect: Effect
    /// `Principal` (`negated == false`) or `NotPrincipal` (`negated == true`); `nil` when absent.
    public var principal: PrincipalBlock?
    public var action: Block<ActionPattern>
    /// `Resource` or `NotResource`; `nil` when absent (trust policies).
    public var resource: Block<ResourcePattern>?
    public var conditions: [ConditionClause]
    public var location: SourceLocation

    public init(
        sid: String?, effect: Effect, principal: PrincipalBlock?, action: Block<ActionPattern>,
        resource: Block<ResourcePattern>?, conditions: [ConditionClause], location: SourceLocation
    ) {
        self.sid = sid
        self.effect = effect
        self.principal = principal
        self.action = action
        self.resource = resource
        self.conditions = conditions
        self.location = location
    }
}

/// `Action`/`NotAction` or `Resource`/`NotResource`: a list of patterns, possibly negated.
public struct Block<Pattern: Sendable & Hashable>: Sendable, Hashable {
    public var negated: Bool
    public var patterns: [Located<Pattern>]
    public var location: SourceLocation

    public init(negated: Bool, patterns: [Located<Pattern>], location: SourceLocation) {
        self.negated = negated
        self.patterns = patterns
        self.location = location
    }
}

/// An action pattern such as `dynamodb:GetItem`, `dynamodb:Get*` or `*`. Matching is case-insensitive.
public struct ActionPattern: Sendable, Hashable, CustomStringConvertible {
    public var text: String
    /// The service prefix (`dynamodb`), lower-cased; `nil` for `*`.
    public var service: String? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        return text[..<colon].lowercased()
    }

    public init(_ text: String) { self.text = text }
    public var description: String { text }
}

/// A resource pattern: an ARN, possibly with `*` and `?` wildcards and `${…}` policy variables, or `*`.
public struct ResourcePattern: Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
}

/// `Principal`/`NotPrincipal`.
public struct PrincipalBlock: Sendable, Hashable {
    public var negated: Bool
    public var principals: [Located<Principal>]
    public var location: SourceLocation

    public init(negated: Bool, principals: [Located<Principal>], location: SourceLocation) {
        self.negated = negated
        self.principals = principals
        self.location = location
    }
}

/// One principal named in a `Principal` element.
public enum Principal: Sendable, Hashable, CustomStringConvertible {
    /// `"Principal": "*"` or `{"AWS": "*"}`: everyone (anonymous included, for the former).
    case everyone
    /// An AWS account, a role, a user, an assumed-role session… as written under `AWS` (an account id is kept as written).
    case aws(String)
    case service(String)
    case federated(String)
    case canonicalUser(String)

    public var description: String {
        switch self {
        case .everyone: "*"
        case .aws(let text): "AWS:\(text)"
        case .service(let text): "Service:\(text)"
        case .federated(let text): "Federated:\(text)"
        case .canonicalUser(let text): "CanonicalUser:\(text)"
        }
    }
}
