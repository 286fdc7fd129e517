import Source
/// The context keys AWS sets on every request by itself (IAM User Guide, "AWS global condition context keys"),
/// so that conditions on them evaluate as they would in AWS. Keys the caller passes win over derived ones.
public struct ContextDerivation: Sendable, Hashable {
    /// `aws:PrincipalOrgID` of the caller, when its account is in an organization.
    public var principalOrgID: String?
    /// Region for `aws:RequestedRegion` when the resource ARN has none (IAM, STS).
    public var region: String
    /// The request time, seconds since 1970 (`aws:CurrentTime`, `aws:EpochTime`); injectable for tests.
    public var now: Double
    /// `sts:RoleSessionName` for `sts:AssumeRole`.
    public var roleSessionName: String?
    /// `sts:ExternalId` for `sts:AssumeRole`.
    public var externalID: String?
    public var secureTransport: Bool

    public init(principalOrgID: String? = nil, region: String = "us-east-1", now: Double = 1_767_225_600, roleSessionName: String? = nil, externalID: String? = nil, secureTransport: Bool = true) {
        self.principalOrgID = principalOrgID
        self.region = region
        self.now = now
        self.roleSessionName = roleSessionName
        self.externalID = externalID
        self.secureTransport = secureTransport
    }

    /// Adds the derived keys to `request.context`, keeping any key the request already has.
    public func apply(to request: inout Request) {
        complete(principalAndResourceContext(for: request), for: &request)
    }

    /// The derived keys that depend only on the principal, the resource, the region and the time — not on the
    /// action or the request's own context — so that a caller evaluating many requests of one principal on one
    /// resource derives them once. `complete(_:for:)` adds the rest.
    public func principalAndResourceContext(for request: Request) -> RequestContext {
        // Room for the derived keys, the action's and the caller's own (a dozen or so), so `complete` need not grow it.
        var derived = RequestContext(minimumCapacity: 32)
        let isAWSPrincipal = request.principalType != .service && request.principalType != .anonymous
        if isAWSPrincipal {
            derived["aws:PrincipalArn"] = ContextValue(request.roleARN ?? request.principalARN, type: .string)
            derived["aws:PrincipalAccount"] = ContextValue(request.principalAccount)
            if let principalOrgID { derived["aws:PrincipalOrgID"] = ContextValue(principalOrgID) }
            derived["aws:PrincipalType"] = ContextValue(request.principalType.rawValue)
            derived["aws:userid"] = ContextValue(userID(request))
            if request.principalType == .user, let name = request.principalName { derived["aws:username"] = ContextValue(name) }
            derived["aws:PrincipalIsAWSService"] = ContextValue("false", type: .boolean)
            // Temporary credentials carry the time they were issued: role sessions and federated-user sessions have
            // aws:TokenIssueTime, IAM users and the root user (long-term keys) do not (IAM User Guide, "AWS global
            // condition context keys"). The session is taken as issued at the request time.
            if request.principalType == .assumedRole || request.principalType == .federatedUser {
                derived["aws:TokenIssueTime"] = ContextValue(IAMDate.format(now), type: .date)
            }
        } else if request.principalType == .service {
            derived["aws:PrincipalServiceName"] = ContextValue(request.principalARN)
            derived["aws:PrincipalIsAWSService"] = ContextValue("true", type: .boolean)
        } else {
            derived["aws:PrincipalType"] = ContextValue(PrincipalType.anonymous.rawValue)
            derived["aws:userid"] = ContextValue("anonymous")
        }
        if let arn = ARN(request.resourceARN) {
            derived["aws:RequestedRegion"] = ContextValue(arn.region.isEmpty ? region : arn.region)
        } else {
            derived["aws:RequestedRegion"] = ContextValue(region)
        }
        if !request.resourceAccount.isEmpty { derived["aws:ResourceAccount"] = ContextValue(request.resourceAccount) }
        derived["aws:CurrentTime"] = ContextValue(IAMDate.format(now), type: .date)
        derived["aws:EpochTime"] = ContextValue(String(Int(now)), type: .numeric)
        derived["aws:SecureTransport"] = ContextValue(secureTransport ? "true" : "false", type: .boolean)
        derived["aws:ViaAWSService"] = ContextValue("false", type: .boolean)
        return derived
    }

    /// Makes `derived` (from `principalAndResourceContext(for:)` of this request's principal and resource) the
    /// request's context: adds the action's keys, then the request's own keys, which win.
    public func complete(_ derived: RequestContext, for request: inout Request) {
        var derived = derived
        if Self.isAssumeRole(request.action) {
            if let roleSessionName { derived["sts:RoleSessionName"] = ContextValue(roleSessionName) }
            if let externalID { derived["sts:ExternalId"] = ContextValue(externalID) }
        }
        for (key, value) in request.context.entries {
            derived.set(value, forKey: request.context.spellings[key] ?? key, lowercased: key)
        }
        request.context = derived
    }

    /// Whether `action` starts with `sts:AssumeRole` in any case (`AssumeRole`, `…WithSAML`, `…WithWebIdentity`): the
    /// same test as lower-casing the action, without making a lower-cased copy per request.
    package static func isAssumeRole(_ action: String) -> Bool {
        let prefix = "sts:assumerole".utf8
        let utf8 = action.utf8
        guard utf8.count >= prefix.count else { return false }
        for (byte, expected) in zip(utf8, prefix) {
            let lowered = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
            guard lowered == expected else { return false }
        }
        return true
    }

    /// A stable stand-in for `aws:userid`: `ROLEID:session` for sessions (AWS uses the role's unique id).
    func userID(_ request: Request) -> String {
        switch request.principalType {
        case .assumedRole:
            let id = Self.roleUniqueID(request.roleARN ?? request.principalARN)
            return request.sessionName.map { id + ":" + $0 } ?? id
        case .user: return "AIDA" + ContextDerivation.stableID(request.principalARN)
        case .account: return request.principalAccount
        // A federated user (GetFederationToken) is `account:name` (IAM User Guide, "IAM policy elements: Variables and
        // tags", principal key values).
        case .federatedUser: return request.principalAccount + ":" + (request.principalName ?? "")
        default: return request.principalARN
        }
    }

    /// A role's stand-in unique id (`AROA…`), the first half of a session's `aws:userid` and of STS's
    /// `AssumedRoleId`: one derivation for the engine and the mock.
    public static func roleUniqueID(_ roleARN: String) -> String { "AROA" + stableID(roleARN) }

    /// An IAM user's stand-in unique id (`AIDA…`), as `aws:userid` and STS's `GetCallerIdentity` give it.
    public static func userUniqueID(_ userARN: String) -> String { "AIDA" + stableID(userARN) }

    /// 17 upper-case base-32 characters from an FNV-1a hash: deterministic, like AWS's unique ids in shape.
    static func stableID(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var out: [UInt8] = []
        for _ in 0..<17 {
            out.append(alphabet[Int(hash & 31)])
            hash = (hash >> 5) | (hash << 59)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension IAMDate {
    /// `YYYY-MM-DDTHH:MM:SSZ` for seconds since 1970.
    public static func format(_ seconds: Double) -> String { CivilTime.iso8601(Int(seconds.rounded(.down))) }
}
