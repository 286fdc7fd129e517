public import Policy

/// A kind of AWS resource the model knows, as data: its ARN format (from AWS's Service Authorization Reference, the
/// action catalog), whether and how it carries a resource-based policy, how diagrams draw it and how the guide names
/// it. Outputs read these entries instead of branching on the kind, so a new kind is one entry plus what is truly
/// specific to it (issue #11).
public struct ResourceKind: Sendable, Hashable {
    /// The kinds, by a stable name.
    public enum ID: String, Sendable, Hashable, CaseIterable {
        case lambdaFunction
        case ecsTask
        case ec2Instance
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
        /// AWS's compute orange (Lambda, ECS, EC2).
        case compute
        case iam, dynamoDB, dynamoDBIndex
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
        case .ecsTask: ecsTask
        case .ec2Instance: ec2Instance
        case .iamRole: iamRole
        case .dynamoDBTable: dynamoDBTable
        case .dynamoDBIndex: dynamoDBIndex
        }
    }

    public static let all: [ResourceKind] = ID.allCases.map(of)

    // MARK: - The entries

    public static let lambdaFunction = ResourceKind(
        id: .lambdaFunction, service: "lambda", catalogType: "function", noun: "function", resourcePolicy: .none,
        look: Look(caption: "λ  LAMBDA FUNCTION", shape: "box", style: "rounded,filled", palette: .compute))

    public static let ecsTask = ResourceKind(
        id: .ecsTask, service: "ecs", catalogType: "task", noun: "task", resourcePolicy: .none,
        look: Look(caption: "ECS TASK", shape: "box", style: "rounded,filled", palette: .compute))

    public static let ec2Instance = ResourceKind(
        id: .ec2Instance, service: "ec2", catalogType: "instance", noun: "instance", resourcePolicy: .none,
        look: Look(caption: "EC2 INSTANCE", shape: "box", style: "rounded,filled", palette: .compute))

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

/// A kind of caller, as data: which resource kind it is drawn and named as, how AWS sees its requests (the principal
/// type, hence which policies limit it: a session policy limits sessions only), the collection it is written in, and
/// the words the guide, the snippets and the deploy notes use for it and for the role it calls with.
public struct CallerKind: Sendable, Hashable {
    public enum ID: String, Sendable, Hashable, CaseIterable {
        /// A Lambda function, calling with its execution role's session named after the function.
        case lambdaFunction
        /// An ECS task, calling with its task role's session named after the task id (not the task execution role,
        /// which only pulls images and writes logs).
        case ecsTask
        /// An EC2 instance, calling with its instance profile role's session named after the instance id.
        case ec2Instance
        /// The session an earlier `sts:AssumeRole` step made.
        case roleSession
    }

    public var id: ID
    public var resource: ResourceKind
    /// How the request's principal is typed.
    public var principalType: PrincipalType
    /// The `model.yml` collection a caller of this kind is written in (nil: made by a step).
    public var collection: String?
    /// "Lambda function", "ECS task", "EC2 instance".
    public var noun: String
    /// "execution role", "task role", "instance profile role".
    public var roleNoun: String
    /// The service principal the role must trust to hand its session to the caller (AWS documents one per service).
    public var servicePrincipal: String?
    /// Where the code finds the role's credentials, for the snippets' comments.
    public var credentialSource: String
    /// Where the code runs, for the snippets' comments ("Lambda", "ECS", "EC2").
    public var runsIn: String
    /// Whose session it is, for the snippets' comments ("a Lambda's", "an ECS task's"); its code lives as long as
    /// `lifetime` ("the function", "the task").
    public var possessive: String { resource.id == .lambdaFunction ? "a Lambda's" : (noun.first.map { "AEIOU".contains($0) } == true ? "an " : "a ") + noun + "'s" }
    public var lifetime: String { "the " + resource.noun }

    /// "the Lambda functions a (…), b (…)": several callers, in the plural of their kind when they share one.
    public static func plural(_ kinds: [CallerKind]) -> String {
        guard let first = kinds.first, kinds.allSatisfy({ $0.id == first.id }) else { return "callers" }
        return first.noun + "s"
    }

    public static func of(_ id: ID) -> CallerKind {
        switch id {
        case .lambdaFunction: lambdaFunction
        case .ecsTask: ecsTask
        case .ec2Instance: ec2Instance
        case .roleSession: roleSession
        }
    }

    /// The kinds written in a collection of `model.yml`, in the order the loader reads them.
    public static let compute: [CallerKind] = [lambdaFunction, ecsTask, ec2Instance]

    public static let lambdaFunction = CallerKind(
        id: .lambdaFunction, resource: .lambdaFunction, principalType: .assumedRole, collection: "functions", noun: "Lambda function",
        roleNoun: "execution role", servicePrincipal: "lambda.amazonaws.com",
        credentialSource: "the AWS_* environment variables Lambda sets", runsIn: "Lambda")
    /// AWS: "Amazon ECS task IAM role" (Amazon ECS Developer Guide).
    public static let ecsTask = CallerKind(
        id: .ecsTask, resource: .ecsTask, principalType: .assumedRole, collection: "tasks", noun: "ECS task",
        roleNoun: "task role", servicePrincipal: "ecs-tasks.amazonaws.com",
        credentialSource: "the container credentials endpoint ECS sets (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)", runsIn: "ECS")
    /// AWS: "IAM roles for Amazon EC2" (Amazon EC2 User Guide).
    public static let ec2Instance = CallerKind(
        id: .ec2Instance, resource: .ec2Instance, principalType: .assumedRole, collection: "instances", noun: "EC2 instance",
        roleNoun: "instance profile role", servicePrincipal: "ec2.amazonaws.com",
        credentialSource: "the instance metadata service (IMDSv2) of the instance profile", runsIn: "EC2")
    public static let roleSession = CallerKind(
        id: .roleSession, resource: .iamRole, principalType: .assumedRole, collection: nil, noun: "role session",
        roleNoun: "role", servicePrincipal: nil, credentialSource: "an earlier AssumeRole call", runsIn: "the caller's code")
}
