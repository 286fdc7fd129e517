public import Policy

/// One session tag as STS carries it: keys compare without case, and keep the case they were written in.
public struct SessionTag: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// What an STS session carries besides its principal (IAM User Guide, "Passing session tags in AWS STS", "Chaining
/// roles with session tags", "Monitor and control actions taken with assumed roles", "Session policies"): its tags,
/// which of them pass down a role chain, its source identity and its session policies.
public struct SessionAttributes: Sendable, Hashable {
    public var tags: [SessionTag]
    /// Lower-cased keys of the tags that pass to sessions this one assumes.
    public var transitiveTagKeys: [String]
    public var sourceIdentity: String?
    /// The inline and managed session policies the session was made with; its permissions are the intersection of
    /// these and the role's identity policies.
    public var policies: [PolicyDocument]

    public init(tags: [SessionTag] = [], transitiveTagKeys: [String] = [], sourceIdentity: String? = nil, policies: [PolicyDocument] = []) {
        self.tags = tags
        self.transitiveTagKeys = transitiveTagKeys.map { $0.lowercased() }
        self.sourceIdentity = sourceIdentity
        self.policies = policies
    }

    /// The context keys of every request the session makes: `aws:PrincipalTag/<key>` per tag and
    /// `aws:SourceIdentity`.
    public var requestContext: [String: [String]] {
        var context: [String: [String]] = [:]
        for tag in tags { context["aws:PrincipalTag/\(tag.key)"] = [tag.value] }
        if let sourceIdentity { context["aws:SourceIdentity"] = [sourceIdentity] }
        return context
    }

    /// What a session assumed with this one's credentials inherits: the transitive tags (still transitive) and the
    /// source identity. Session policies never pass down.
    public var inherited: SessionAttributes {
        let passed = tags.filter { transitiveTagKeys.contains($0.key.lowercased()) }
        return SessionAttributes(tags: passed, transitiveTagKeys: passed.map(\.key), sourceIdentity: sourceIdentity)
    }
}

/// The rules of one `AssumeRole` call, in one place: which actions it must be allowed and the request context the
/// trust and identity policies see (IAM User Guide, "Permissions required to add session tags", "sts:SourceIdentity",
/// "AWS STS condition context keys").
public enum AssumeRoleRules {
    /// `sts:AssumeRole`; `sts:TagSession` as well when the new session carries tags (passed, or transitive ones inherited
    /// from the calling session); `sts:SetSourceIdentity` when it carries a source identity (passed or inherited).
    public static func actions(carriesTags: Bool, carriesSourceIdentity: Bool) -> [String] {
        var actions = ["sts:AssumeRole"]
        if carriesTags { actions.append("sts:TagSession") }
        if carriesSourceIdentity { actions.append("sts:SetSourceIdentity") }
        return actions
    }

    /// The keys of the call itself: `sts:RoleSessionName`, `sts:ExternalId`, `sts:SourceIdentity` (the one the new
    /// session will carry), `aws:RequestTag/<key>` and `aws:TagKeys` for the tags passed, `sts:TransitiveTagKeys`.
    public static func context(
        sessionName: String, externalID: String?, sourceIdentity: String?, tags: [SessionTag], transitiveTagKeys: [String]
    ) -> [String: [String]] {
        var context: [String: [String]] = ["sts:RoleSessionName": [sessionName]]
        if let externalID { context["sts:ExternalId"] = [externalID] }
        if let sourceIdentity { context["sts:SourceIdentity"] = [sourceIdentity] }
        if !tags.isEmpty {
            for tag in tags { context["aws:RequestTag/\(tag.key)"] = [tag.value] }
            context["aws:TagKeys"] = tags.map(\.key)
        }
        if !transitiveTagKeys.isEmpty { context["sts:TransitiveTagKeys"] = transitiveTagKeys }
        return context
    }

    /// The tags of the new session: the inherited transitive ones and the passed ones. A passed key equal (without
    /// case) to an inherited one, or to another passed one, is refused: nil.
    public static func tags(passed: [SessionTag], inherited: [SessionTag]) -> [SessionTag]? {
        var seen = Set(inherited.map { $0.key.lowercased() })
        for tag in passed {
            guard seen.insert(tag.key.lowercased()).inserted else { return nil }
        }
        return inherited + passed
    }
}
