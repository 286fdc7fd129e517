public import Policy

/// A kind of AWS resource the model knows, as data: its ARN format (from AWS's Service Authorization Reference, the
/// action catalog), whether and how it carries a resource-based policy, how diagrams draw it and how the guide names
/// it. Outputs read these entries instead of branching on the kind, so a new kind is one entry plus what is truly
/// specific to it (issue #11).
public struct ResourceKind: Sendable, Hashable {
    /// The kinds, by a stable name.
    public enum ID: String, Sendable, Hashable, CaseIterable {
        case lambdaFunction
        case iamRole
        case dynamoDBTable
        case dynamoDBIndex
    }

    /// Whether a kind carries a resource-based policy, and what it means for a caller in the resource's own account.
    public enum ResourcePolicyRule: Sendable, Hashable {
        /// No resource-based policy in the model (identity policies decide).
        case none
        /// An optional resource-based policy: within one account either side may grant; across accounts both must
        /// (IAM User Guide, "Cross-account policy evaluation logic").
        case optional(noun: String)
        /// A role's trust policy: always present, and it must allow the caller even within one account (IAM User
        /// Guide, "Policy evaluation for requests within a single account").
        case trust
    }

    /// The colour slot of the diagram theme a kind is drawn in (the theme owns the colours).
    public enum Palette: Sendable, Hashable {
        case lambda, iam, dynamoDB, dynamoDBIndex
    }

    /// How diagrams draw a kind: the caption above the name, the Graphviz shape and style, the theme's colours.
    public struct Look: Sendable, Hashable {
        public var caption: String
        public var shape: String
        public var style: String
        public var palette: Palette
    }

    public var id: ID
    /// The service prefix in ARNs and actions (`dynamodb`).
    public var service: String
    /// The resource type's name in AWS's Service Authorization Reference (`table`), which gives the ARN format.
    public var catalogType: String
    /// What the guide calls one (`table`, `function`, `role`).
    public var noun: String
    public var resourcePolicy: ResourcePolicyRule
    /// The kind whose resource-based policy covers this one (an index: its table); nil for the kind itself.
    public var policyCoveredBy: ID? = nil
    public var look: Look

    /// The ARN format AWS documents for the kind (`arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}`),
    /// from the action catalog; nil when the catalog is not available.
    public var arnFormat: String? { ServiceCatalog.service(service)?.resourceTypes[catalogType]?.arnFormat }

    /// What the guide calls the kind's resource-based policy (`table policy`, `trust policy`); nil for none.
    public var policyNoun: String? {
        switch resourcePolicy {
        case .none: nil
        case .optional(let noun): noun
        case .trust: "trust policy"
        }
    }

    /// The kind that carries the policy covering a resource of this kind: itself, or e.g. an index's table.
    public var policyHolder: ResourceKind { policyCoveredBy.map(Self.of) ?? self }

    /// The entry of a kind.
    public static func of(_ id: ID) -> ResourceKind {
        switch id {
        case .lambdaFunction: lambdaFunction
        case .iamRole: iamRole
        case .dynamoDBTable: dynamoDBTable
        case .dynamoDBIndex: dynamoDBIndex
        }
    }

    public static let all: [ResourceKind] = ID.allCases.map(of)

    // MARK: - The entries

    public static let lambdaFunction = ResourceKind(
        id: .lambdaFunction, service: "lambda", catalogType: "function", noun: "function", resourcePolicy: .none,
        look: Look(caption: "λ  LAMBDA FUNCTION", shape: "box", style: "rounded,filled", palette: .lambda))

    public static let iamRole = ResourceKind(
        id: .iamRole, service: "iam", catalogType: "role", noun: "role", resourcePolicy: .trust,
        look: Look(caption: "IAM ROLE", shape: "box", style: "rounded,filled,bold", palette: .iam))

    public static let dynamoDBTable = ResourceKind(
        id: .dynamoDBTable, service: "dynamodb", catalogType: "table", noun: "table", resourcePolicy: .optional(noun: "table policy"),
        look: Look(caption: "DYNAMODB TABLE", shape: "cylinder", style: "filled", palette: .dynamoDB))

    /// An index is covered by its table's policy (DynamoDB Developer Guide, "Using resource-based policies").
    public static let dynamoDBIndex = ResourceKind(
        id: .dynamoDBIndex, service: "dynamodb", catalogType: "index", noun: "index", resourcePolicy: .optional(noun: "table policy"),
        policyCoveredBy: .dynamoDBTable, look: Look(caption: "INDEX", shape: "cylinder", style: "filled", palette: .dynamoDBIndex))
}

extension Step.Caller {
    /// The kind of resource a caller of this form is: a function, or the role whose session calls.
    public var resourceKind: ResourceKind { callerKind.resource }
}

extension Step.Target {
    /// The kind of resource a target of this form is (a step naming an index acts on `dynamoDBIndex`; see the
    /// resolution's target).
    public var resourceKind: ResourceKind {
        switch self {
        case .role: .iamRole
        case .table: .dynamoDBTable
        }
    }
}

/// A kind of caller, as data: which resource kind it is drawn and named as, and how AWS sees its requests (the
/// principal type, hence which policies limit it: a session policy limits sessions only).
public struct CallerKind: Sendable, Hashable {
    public enum ID: String, Sendable, Hashable, CaseIterable {
        /// A Lambda function, calling with its execution role's session named after the function.
        case lambdaFunction
        /// The session an earlier `sts:AssumeRole` step made.
        case roleSession
    }

    public var id: ID
    public var resource: ResourceKind
    /// How the request's principal is typed: a role session is an assumed role; an IAM user (planned) is a user.
    public var principalType: PrincipalType

    public static let lambdaFunction = CallerKind(id: .lambdaFunction, resource: .lambdaFunction, principalType: .assumedRole)
    public static let roleSession = CallerKind(id: .roleSession, resource: .iamRole, principalType: .assumedRole)
}

extension Step.Caller {
    /// The caller's kind.
    public var callerKind: CallerKind {
        switch self {
        case .function: .lambdaFunction
        case .role: .roleSession
        }
    }
}
