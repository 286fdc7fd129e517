/// A policy together with the name it is known by (shown in matched statements and traces).
public struct NamedDocument: Sendable, Hashable {
    public var name: String
    public var document: PolicyDocument

    public init(name: String, document: PolicyDocument) {
        self.name = name
        self.document = document
    }
}

/// Every policy that takes part in one request's evaluation, by the role it plays.
public struct PolicySet: Sendable, Hashable {
    /// The caller's identity-based policies.
    public var identity: [NamedDocument]
    /// The resource's policy: a table policy, or a role's trust policy for `sts:AssumeRole`.
    public var resource: NamedDocument?
    /// The caller's permissions boundary.
    public var boundary: NamedDocument?
    /// Session policies passed when the session was made.
    public var sessions: [NamedDocument]
    /// SCPs of the caller's account (read as one level: any of them may allow).
    public var serviceControlPolicies: [NamedDocument]

    public init(
        identity: [NamedDocument] = [], resource: NamedDocument? = nil, boundary: NamedDocument? = nil,
        sessions: [NamedDocument] = [], serviceControlPolicies: [NamedDocument] = []
    ) {
        self.identity = identity
        self.resource = resource
        self.boundary = boundary
        self.sessions = sessions
        self.serviceControlPolicies = serviceControlPolicies
    }
}

/// The slot a policy fills in evaluation (which may differ from how it was parsed, e.g. a trust policy).
public enum PolicySlot: Int, Sendable, Hashable, CaseIterable {
    case identity, resource, boundary, session, serviceControl

    public var wording: String {
        switch self {
        case .identity: "identity-based policy"
        case .resource: "resource-based policy"
        case .boundary: "permissions boundary"
        case .session: "session policy"
        case .serviceControl: "service control policy"
        }
    }

    /// "an identity-based policy", "a permissions boundary", … as AWS's messages say.
    public var withArticle: String { (self == .identity ? "an " : "a ") + wording }
}
