public import Model
public import Policy
public import Source

/// What one step of an option means, worked out once: who calls with which credentials, on what, with which request
/// context, under which policies, what the engine decides, and why. Every output — `check`, `explain`, the diagrams,
/// the guide, the snippets and their tests, the mock's authorizer — reads this value and derives nothing of its own.
public struct StepResolution: Sendable, Hashable {
    public var optionID: String
    /// 1-based position of the step in its option.
    public var number: Int
    public var step: Step
    public var caller: ResolvedCaller
    public var target: ResolvedTarget
    /// The request the engine evaluated, with every derived context key.
    public var request: Request
    /// Every policy that applies, in evaluation order (identity, boundary, SCPs, then the resource side).
    public var policies: [AppliedPolicy]
    public var decision: Decision
    public var expected: Expectation
    /// Every statement that matched, allow and deny, in evaluation order.
    public var matched: [MatchedStatement]
    /// What each statement said about the request, policy by policy (`explain`'s trace).
    public var trace: [TraceEntry]
    /// Why the request is denied, as data; `nil` when allowed.
    public var cause: Cause?
    /// AWS's denial message as the service returns it; `nil` when allowed.
    public var message: String?
    /// Facts about the call flow itself (a session that no allowed step made).
    public var notes: [Note]
    /// When the caller's session cannot be made (the AssumeRole that makes it is refused), that AssumeRole: the call
    /// is never made, and its decision, cause and message are this step's.
    public var refusedSession: RefusedSession?
    /// For an allowed step: each policy whose Allow it needs, and what AWS answers without it. Computed by evaluating
    /// the step again with that one policy taken away, so that "if this policy did not allow it" is the engine's word.
    public var requirements: [Requirement]
    /// The calls the service makes with the caller's credentials to serve this one: `kms:Decrypt` on the key that
    /// encrypts an S3 object, a secret or a queue's messages. Each is decided like a step; when one is denied, so is
    /// this step, with its cause and message (the service answers with KMS's refusal).
    public var implied: [StepResolution] = []
    /// Whether this is such an implied call (its number is its step's).
    public var isImplied = false

    /// The implied call whose refusal refuses this step (its own policies allowing it); nil otherwise — when the
    /// step's own policies refuse it, the service answers that refusal and makes no KMS call.
    public var deniedImplied: StepResolution? { deniedImpliedIndex.map { implied[$0] } }
    /// Its position in `implied`.
    public var deniedImpliedIndex: Int? = nil

    /// Whether the decision is the one the step expects.
    public var ok: Bool { decision.rawValue == expected.rawValue }
    public var crossAccount: Bool { request.isCrossAccount }
    /// The caller's ARN as the request names it.
    public var callerARN: String { caller.principalARN }
    /// The ARN the request acts on (a role, a table, an index, or an account's `table/*` for ListTables).
    public var resourceARN: String { target.arn }
    public var action: String { step.action }

    /// The policies whose statements decide the step: for an allowed step the ones with a matching Allow (and the
    /// limits that let it through); for a denied one the ones its cause names.
    public var decidingPolicies: [AppliedPolicy] {
        if let cause { return cause.policies }
        var found: [AppliedPolicy] = []
        for statement in matched where statement.effect == .allow {
            if let policy = policy(for: statement), !found.contains(policy) { found.append(policy) }
        }
        return found
    }

    /// The applied policy a matched statement belongs to.
    public func policy(for statement: MatchedStatement) -> AppliedPolicy? {
        policies.first { $0.engineName == statement.policy && $0.slot.matches(statement.kind) }
    }
}

/// The refused AssumeRole behind a step whose session cannot be made.
public indirect enum RefusedSession: Sendable, Hashable {
    case assumeRole(StepResolution)

    public var resolution: StepResolution {
        switch self {
        case .assumeRole(let resolution): resolution
        }
    }
}

/// One policy that a requirement or a cause names, and what happens without it.
public struct Requirement: Sendable, Hashable {
    public var policy: AppliedPolicy
    /// The decision without this policy (always a denial: only necessary policies are listed).
    public var decision: Decision
    public var cause: Cause?
    /// AWS's message without this policy.
    public var message: String
}

/// A fact about the flow, not the policies: the step still gets the engine's verdict on its policies.
public enum Note: Sendable, Hashable {
    /// The caller is the session of `role`, but the `sts:AssumeRole` step `step` that makes it is denied.
    case sessionFromDeniedStep(role: String, step: Int)
    /// The caller is the session of `role`, but no earlier `sts:AssumeRole` step of the option makes it; it is
    /// evaluated as session `session`.
    case sessionNotMade(role: String, session: String)
}

/// Where a caller's credentials come from: a function's own execution-role session, or a role session that an
/// `sts:AssumeRole` call made with other credentials (its lineage).
public indirect enum CredentialSource: Sendable, Hashable {
    /// The function's execution-role session, as Lambda hands it to the code.
    case function(key: String)
    /// The service principal that acts for a resource (an SNS topic's deliveries come from `sns.amazonaws.com`).
    case service(resource: String)
    /// An IAM user's long-term access keys.
    case user(key: String)
    /// A session of `role` named `session`, made by step `step` (nil when no step of the option made it) with the
    /// credentials `by`.
    case session(role: String, session: String, externalID: String?, step: Int?, by: CredentialSource)

    /// The function at the root of the lineage, if any.
    public var rootFunction: String? {
        switch self {
        case .function(let key): key
        case .service, .user: nil
        case .session(_, _, _, _, let by): by.rootFunction
        }
    }

    /// The hops from the root credentials to these, oldest first (empty for a function).
    public var hops: [CredentialSource] {
        switch self {
        case .function, .service, .user: []
        case .session(_, _, _, _, let by): by.hops + [self]
        }
    }
}

/// The caller of a step, resolved.
public struct ResolvedCaller: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case function(key: String)
        case roleSession(key: String)
        /// A resource's service principal (`sns.amazonaws.com` for topic `key`).
        case service(key: String)
        /// An IAM user.
        case user(key: String)
    }

    public var kind: Kind
    /// "orders-api", "DynamoDBAccessRole session".
    public var displayName: String
    /// `arn:aws:sts::<id>:assumed-role/<role name>/<session>`.
    public var principalARN: String
    /// The account the calls come from.
    public var accountKey: String
    public var accountID: String
    /// The role whose session makes the call (a function's execution role, or the assumed role).
    public var role: Role?
    public var sessionName: String
    public var credentials: CredentialSource
    /// The caller's kind: how AWS types its requests, how it is drawn and named (a session as its role).
    public var callerKind: CallerKind = .roleSession
    /// The IAM user that calls, for a user's long-term keys.
    public var user: User? = nil

    /// "role LambdaExecutionRole", "user ci-deployer": whose identity policies and boundary apply.
    public var identity: String {
        if let user { return "user \(user.name)" }
        return "role \(role?.name ?? displayName)"
    }
}

/// The target of a step, resolved to the resource the request acts on.
public struct ResolvedTarget: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A role, for `sts:AssumeRole`: its trust policy is the resource policy.
        case role(key: String)
        /// A table.
        case table(key: String)
        /// An index of a table (Query/Scan with `index:`); the table's policy covers it.
        case index(table: String, index: String)
        /// Every table of an account: actions without resource-level permissions (ListTables) act on the caller's own
        /// account, whatever table the step names.
        case accountTables(table: String)
        /// A resource of `resources:` (or a function invoked), as `kind`: an S3 object operation acts on `.s3Object`.
        case resource(key: String, kind: ResourceKind.ID)

        /// The kind's entry: what the outputs call it, draw it as and which policy it carries.
        public var resourceKind: ResourceKind {
            switch self {
            case .role: .iamRole
            case .table, .accountTables: .dynamoDBTable
            case .index: .dynamoDBIndex
            case .resource(_, let kind): .of(kind)
            }
        }
    }

    public var kind: Kind
    /// The model key of the role or table the step names.
    public var key: String
    /// "DynamoDBAccessRole", "Orders", "Orders (index ByStatus)".
    public var displayName: String
    /// The ARN the request acts on.
    public var arn: String
    /// The account that owns the resource.
    public var accountKey: String
    public var accountID: String
    /// What the guide calls the resource whose policy decides for this target ("table" for a table and its indexes).
    public var policyOwnerNoun: String { kind.resourceKind.policyHolder.noun }

    /// What a request names the table by (`TableName`): its name in its own account, its full ARN across accounts.
    public var tableReference: String?
}

/// A policy that applies to a request, with where it lives.
public struct AppliedPolicy: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case identity
        case boundary
        case serviceControl = "scp"
        case trust
        case tablePolicy = "table policy"
        /// A bucket, queue, topic, secret, event bus or function policy.
        case resourcePolicy = "resource policy"
        /// A KMS key's key policy (AWS's default one when the model gives none).
        case keyPolicy = "key policy"
    }

    /// What carries the policy.
    public enum Owner: Sendable, Hashable {
        case role(key: String)
        case table(key: String)
        case account(key: String)
        case resource(key: String, kind: ResourceKind.ID)
        case user(key: String)
    }

    public var kind: Kind
    public var owner: Owner
    /// The policy's own name (an identity policy's or SCP's key, "trust policy", the table policy's name).
    public var name: String
    /// The name the engine knows it by (`MatchedStatement.policy`).
    public var engineName: String
    /// The role's, table's or account's name.
    public var ownerName: String
    public var accountKey: String
    public var location: SourceLocation

    /// The kind of resource that carries the policy; nil for an account (its SCPs).
    public var ownerKind: ResourceKind? {
        switch owner {
        case .role: .iamRole
        case .table: .dynamoDBTable
        case .resource(_, let kind): .of(kind)
        case .user: .iamUser
        case .account: nil
        }
    }

    public var slot: PolicySlot {
        switch kind {
        case .identity: .identity
        case .boundary: .boundary
        case .serviceControl: .serviceControl
        case .trust, .tablePolicy, .resourcePolicy, .keyPolicy: .resource
        }
    }

    /// "identity policy AssumeDataRole of role LambdaExecutionRole", "trust policy of role DynamoDBAccessRole",
    /// "SCP DenyDeletes of account B", "resource-based policy of table Orders".
    public var label: String {
        switch kind {
        case .identity: "identity policy \(name) of \(ownerKind?.noun ?? "role") \(ownerName)"
        case .boundary: "permissions boundary of \(ownerKind?.noun ?? "role") \(ownerName)"
        case .serviceControl: "SCP \(name) of account \(accountKey)"
        case .trust: "trust policy of role \(ownerName)"
        case .tablePolicy, .resourcePolicy: "resource-based policy of \(ownerKind?.noun ?? "resource") \(ownerName)"
        case .keyPolicy: "key policy of key \(ownerName)"
        }
    }

    /// The label in few words, for diagram edges ("policy AssumeDataRole", "trust policy", "SCP DenyDeletes").
    public var shortLabel: String {
        switch kind {
        case .identity: "policy \(name)"
        case .boundary: "boundary of \(ownerName)"
        case .serviceControl: "SCP \(name)"
        case .trust: "trust policy of \(ownerName)"
        case .tablePolicy, .resourcePolicy, .keyPolicy: "\(ownerKind?.policyNoun ?? "resource-based policy") of \(ownerName)"
        }
    }
}

extension PolicySlot {
    /// Whether a statement of a policy parsed as `kind` fills this slot (trust and table policies are resource-side).
    func matches(_ kind: PolicyKind) -> Bool {
        switch (self, kind) {
        case (.identity, .identity), (.boundary, .boundary), (.session, .session), (.serviceControl, .serviceControl): true
        case (.resource, .resource), (.resource, .trust): true
        default: false
        }
    }
}

/// The resolution of one option: its steps in order.
public struct OptionResolution: Sendable, Hashable {
    public var id: String
    public var steps: [StepResolution]

    public var ok: Bool { steps.allSatisfy(\.ok) }
    public func step(_ number: Int) -> StepResolution? { steps.first { $0.number == number } }
}

/// The resolution of a whole model: every step of every option, and the validation findings of every policy.
public struct ModelResolution: Sendable, Hashable {
    public var options: [OptionResolution]
    public var findings: [Diagnostic]

    public var ok: Bool { options.allSatisfy(\.ok) && !findings.contains { $0.severity == .error } }
    public func option(_ id: String) -> OptionResolution? { options.first { $0.id == id } }
    public func step(_ optionID: String, _ number: Int) -> StepResolution? { option(optionID)?.step(number) }
}
