import Policy

/// One call the simulator asks to authorize, as IAM sees it.
public struct AuthorizationRequest: Sendable, Hashable {
    /// The caller: `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
    public var principalARN: String
    /// `sts:AssumeRole`, `dynamodb:GetItem`, ….
    public var action: String
    /// The role ARN for AssumeRole; the table (or `…/index/<name>`) ARN for DynamoDB; `*` for ListTables.
    public var resourceARN: String
    /// Request context keys (`aws:PrincipalArn`, `aws:PrincipalAccount`, `sts:ExternalId`, `aws:SourceIdentity`, …):
    /// the session's keys with this request's own keys over them.
    public var context: [String: [String]] {
        get {
            guard let session else { return requestContext }
            return session.entries.merging(requestContext) { $1 }
        }
        set {
            ownKeys = .made(newValue)
            session = nil
        }
    }

    /// The keys of this request alone (all of them when there is no `session`).
    var requestContext: [String: [String]] {
        switch ownKeys {
        case let .made(keys): keys
        case let .deferred(make): make()
        }
    }

    private var ownKeys: OwnKeys
    /// The keys every request of one simulated session shares, also in the engine's form (built once per session).
    private(set) var session: SessionContext?

    /// A request's own keys, made or to be made when read. The simulator knows every call's keys, but most
    /// decisions read none of them (no statement of the policies has a condition or a policy variable), and
    /// building the tables for each call cost more than deciding it.
    private enum OwnKeys: Sendable {
        case made([String: [String]])
        /// Makes the same keys on every read.
        case deferred(@Sendable () -> [String: [String]])
    }

    public init(principalARN: String, action: String, resourceARN: String, context: [String: [String]] = [:]) {
        self.principalARN = principalARN
        self.action = action
        self.resourceARN = resourceARN
        ownKeys = .made(context)
        session = nil
    }

    /// A request of `session`: its context is the session's keys with `context` over them.
    init(principalARN: String, action: String, resourceARN: String, session: SessionContext, context: [String: [String]]) {
        self.principalARN = principalARN
        self.action = action
        self.resourceARN = resourceARN
        ownKeys = .made(context)
        self.session = session
    }

    /// A request of `session` whose own keys `context` makes when they are read, the same keys on every read.
    init(
        principalARN: String, action: String, resourceARN: String, session: SessionContext,
        deferredContext context: @escaping @Sendable () -> [String: [String]]
    ) {
        self.principalARN = principalARN
        self.action = action
        self.resourceARN = resourceARN
        ownKeys = .deferred(context)
        self.session = session
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.principalARN == rhs.principalARN && lhs.action == rhs.action && lhs.resourceARN == rhs.resourceARN
            && lhs.context == rhs.context
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(principalARN)
        hasher.combine(action)
        hasher.combine(resourceARN)
        hasher.combine(context)
    }
}

/// The request context keys that stay the same for every call of one simulated session, as the simulator writes them
/// and as the policy engine reads them, so that each call converts only its own keys (the request time).
final class SessionContext: Sendable {
    let entries: [String: [String]]
    let engineContext: RequestContext
    /// The session's own policies (AssumeRole's `Policy` and `PolicyArns`), which limit every call it makes.
    let policies: [PolicyDocument]

    init(_ entries: [String: [String]], policies: [PolicyDocument] = []) {
        self.entries = entries
        self.policies = policies
        engineContext = ModelAuthorizer.context(entries)
    }
}

/// The verdict: allowed or not, and for a denial the message AWS would send.
public struct AuthorizationDecision: Sendable, Hashable {
    public var allowed: Bool
    /// AWS's denial text (`User: … is not authorized to perform: … because no identity-based policy allows …`).
    public var message: String

    public init(allowed: Bool, message: String = "") {
        self.allowed = allowed
        self.message = message
    }

    public static let allow = AuthorizationDecision(allowed: true)
}

/// Decides every simulated call. `ModelAuthorizer` runs the policy engine over the model exactly as `trustflow check`
/// does; `AllowAllAuthorizer` is for benchmarks of the wire path alone.
public protocol Authorizer: Sendable {
    /// A short name printed by the bench and in test failures ("policy engine", "allow-all").
    var name: String { get }
    func authorize(_ request: AuthorizationRequest) -> AuthorizationDecision
}

/// Allows everything. Only for measuring the simulator's own cost; never for checking a model.
public struct AllowAllAuthorizer: Authorizer {
    public init() {}
    public var name: String { "allow-all (no policy evaluation)" }
    public func authorize(_ request: AuthorizationRequest) -> AuthorizationDecision { .allow }
}

/// Adapts a closure, e.g. a test's table of verdicts.
public struct ClosureAuthorizer: Authorizer {
    public let name: String
    private let decide: @Sendable (AuthorizationRequest) -> AuthorizationDecision

    public init(name: String, _ decide: @escaping @Sendable (AuthorizationRequest) -> AuthorizationDecision) {
        self.name = name
        self.decide = decide
    }

    public func authorize(_ request: AuthorizationRequest) -> AuthorizationDecision { decide(request) }
}
