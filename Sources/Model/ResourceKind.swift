public import Policy
internal import Foundation

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
        case iamUser
        case dynamoDBTable
        case dynamoDBIndex
        case s3Bucket
        /// Objects of a bucket (`arn:aws:s3:::bucket/key`), covered by the bucket's policy.
        case s3Object
        case kmsKey
        case sqsQueue
        case snsTopic
        case secret
        case eventBus
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
        /// A KMS key's key policy: always present (AWS gives a key without one its default key policy), and no
        /// principal, the account's root included, may use the key unless it allows that directly or delegates to the
        /// account (AWS KMS Developer Guide, "Key policies in AWS KMS").
        case key
    }

    /// The colour slot of the diagram theme a kind is drawn in (the theme owns the colours).
    public enum Palette: Sendable, Hashable {
        /// AWS's compute orange (Lambda, ECS, EC2).
        case compute
        case iam, dynamoDB, dynamoDBIndex
        /// AWS's storage green (S3).
        case storage
        /// AWS's security red (KMS, Secrets Manager).
        case security
        /// AWS's application-integration pink (SQS, SNS, EventBridge).
        case integration
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
    /// The value of `kind:` that declares a resource of this kind under `resources:` (nil: written elsewhere).
    public var modelName: String? = nil
    /// The service principal that acts for a resource of this kind when it delivers to another (SNS to a queue,
    /// S3 notifying a function, an EventBridge rule to a target): a step may name the resource as its caller.
    public var servicePrincipal: String? = nil
    /// What a name of this kind may be, in AWS's words, and the check; nil: any 1–255 characters.
    public var nameRule: NameRule? = nil
    /// The KMS operations a call on a resource of this kind makes with the caller's credentials when the resource is
    /// encrypted with a KMS key, by action name (lower-cased): the implied key steps.
    public var keyUse: [String: [String]] = [:]
    /// The encryption context key the service passes to KMS, whose value is the resource's ARN.
    public var encryptionContextKey: String? = nil
    /// The AWS managed key the service encrypts with when no key is named (`aws/secretsmanager`); nil when the
    /// default encryption involves no key the caller must be allowed to use.
    public var awsManagedKeyAlias: String? = nil

    /// What a resource's name may be.
    public struct NameRule: Sendable, Hashable {
        /// "3–63 lower-case letters, digits, '.' and '-'".
        public var description: String
        public var isValid: @Sendable (String) -> Bool

        public static func == (lhs: NameRule, rhs: NameRule) -> Bool { lhs.description == rhs.description }
        public func hash(into hasher: inout Hasher) { hasher.combine(description) }
    }

    /// The ARN format AWS documents for the kind (`arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}`),
    /// from the action catalog; nil when the catalog is not available.
    public var arnFormat: String? { ServiceCatalog.service(service)?.resourceTypes[catalogType]?.arnFormat }

    /// What the guide calls the kind's resource-based policy (`table policy`, `trust policy`); nil for none.
    public var policyNoun: String? {
        switch resourcePolicy {
        case .none: nil
        case .optional(let noun): noun
        case .trust: "trust policy"
        case .key: "key policy"
        }
    }

    /// Whether the resource's own policy must allow every caller, even one in its account (a trust or key policy).
    public var policyMustAllow: Bool { resourcePolicy == .trust || resourcePolicy == .key }

    /// The kind that carries the policy covering a resource of this kind: itself, or e.g. an index's table.
    public var policyHolder: ResourceKind { policyCoveredBy.map(Self.of) ?? self }

    /// The ARN of a resource of this kind, from the catalog's ARN format: `${Partition}`, `${Region}` and
    /// `${Account}` filled in, the one remaining variable (the name) replaced by `name`. S3's formats have no region
    /// or account: a bucket's owner comes from the model, never from its ARN.
    public func arn(region: String, account: String, name: String) -> String {
        var text = arnFormat ?? fallbackFormat
        text = text.replacingOccurrences(of: "${Partition}", with: "aws")
        text = text.replacingOccurrences(of: "${Region}", with: region)
        text = text.replacingOccurrences(of: "${Account}", with: account)
        guard let start = text.range(of: "${"), let end = text.range(of: "}", range: start.upperBound..<text.endIndex) else { return text }
        return text.replacingCharacters(in: start.lowerBound..<end.upperBound, with: name)
    }

    /// The format when the catalog is not available (it is compiled in; this keeps ARNs derivable without it).
    var fallbackFormat: String {
        switch id {
        case .s3Bucket: "arn:${Partition}:s3:::${BucketName}"
        case .s3Object: "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
        case .sqsQueue, .snsTopic: "arn:${Partition}:\(service):${Region}:${Account}:${Name}"
        case .secret: "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}"
        case .lambdaFunction: "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"
        default: "arn:${Partition}:\(service):${Region}:${Account}:\(catalogType)/${Name}"
        }
    }

    /// The service's short name, as AWS's architecture icons label it ("S3", "KMS", "Secrets Manager").
    public var serviceName: String { Self.serviceName(service) }

    /// The short name of a service by its prefix (`secretsmanager` → "Secrets Manager").
    public static func serviceName(_ service: String) -> String {
        switch service {
        case "s3": "S3"
        case "kms": "KMS"
        case "sqs": "SQS"
        case "sns": "SNS"
        case "secretsmanager": "Secrets Manager"
        case "events": "EventBridge"
        case "lambda": "Lambda"
        case "dynamodb": "DynamoDB"
        case "iam": "IAM"
        case "ecs": "ECS"
        case "ec2": "EC2"
        default: service
        }
    }

    /// "a" or "an" before a noun ("an event bus", "a queue").
    public static func article(_ noun: String) -> String { "aeiouAEIOU".contains(noun.first ?? "x") ? "an" : "a" }

    /// The kind declared by `kind: <name>` under `resources:`.
    public static func declared(_ name: String) -> ResourceKind? { all.first { $0.modelName == name } }
    /// Every `kind:` value `resources:` accepts.
    public static var declarable: [String] { all.compactMap(\.modelName) }

    /// The entry of a kind.
    public static func of(_ id: ID) -> ResourceKind {
        switch id {
        case .lambdaFunction: lambdaFunction
        case .ecsTask: ecsTask
        case .ec2Instance: ec2Instance
        case .iamRole: iamRole
        case .iamUser: iamUser
        case .dynamoDBTable: dynamoDBTable
        case .dynamoDBIndex: dynamoDBIndex
        case .s3Bucket: s3Bucket
        case .s3Object: s3Object
        case .kmsKey: kmsKey
        case .sqsQueue: sqsQueue
        case .snsTopic: snsTopic
        case .secret: secret
        case .eventBus: eventBus
        }
    }

    public static let all: [ResourceKind] = ID.allCases.map(of)

    // MARK: - The entries

    /// As a target, `lambda:InvokeFunction` is granted across accounts by the function's resource-based policy (AWS
    /// Lambda Developer Guide, "Using resource-based policies for Lambda").
    public static let lambdaFunction = ResourceKind(
        id: .lambdaFunction, service: "lambda", catalogType: "function", noun: "function", resourcePolicy: .optional(noun: "resource-based policy"),
        look: Look(caption: "λ  LAMBDA FUNCTION", shape: "box", style: "rounded,filled", palette: .compute), modelName: "lambda-function",
        nameRule: NameRule(description: "1–64 letters, digits, '-' and '_'") { name in
            (1...64).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        })

    public static let ecsTask = ResourceKind(
        id: .ecsTask, service: "ecs", catalogType: "task", noun: "task", resourcePolicy: .none,
        look: Look(caption: "ECS TASK", shape: "box", style: "rounded,filled", palette: .compute))

    public static let ec2Instance = ResourceKind(
        id: .ec2Instance, service: "ec2", catalogType: "instance", noun: "instance", resourcePolicy: .none,
        look: Look(caption: "EC2 INSTANCE", shape: "box", style: "rounded,filled", palette: .compute))

    public static let iamRole = ResourceKind(
        id: .iamRole, service: "iam", catalogType: "role", noun: "role", resourcePolicy: .trust,
        look: Look(caption: "IAM ROLE", shape: "box", style: "rounded,filled,bold", palette: .iam))

    public static let iamUser = ResourceKind(
        id: .iamUser, service: "iam", catalogType: "user", noun: "user", resourcePolicy: .none,
        look: Look(caption: "IAM USER", shape: "box", style: "rounded,filled", palette: .iam))

    public static let dynamoDBTable = ResourceKind(
        id: .dynamoDBTable, service: "dynamodb", catalogType: "table", noun: "table", resourcePolicy: .optional(noun: "table policy"),
        look: Look(caption: "DYNAMODB TABLE", shape: "cylinder", style: "filled", palette: .dynamoDB))

    /// An index is covered by its table's policy (DynamoDB Developer Guide, "Using resource-based policies").
    public static let dynamoDBIndex = ResourceKind(
        id: .dynamoDBIndex, service: "dynamodb", catalogType: "index", noun: "index", resourcePolicy: .optional(noun: "table policy"),
        policyCoveredBy: .dynamoDBTable, look: Look(caption: "INDEX", shape: "cylinder", style: "filled", palette: .dynamoDBIndex))

    /// A bucket: `s3:ListBucket` acts on the bucket's ARN, object operations on `bucket/key` (Amazon S3 User Guide,
    /// "Policy resources for Amazon S3"). With SSE-KMS, S3 calls KMS with the caller's credentials: reading needs
    /// `kms:Decrypt`, writing `kms:GenerateDataKey` ("Using server-side encryption with AWS KMS keys"), with the
    /// object's ARN as encryption context.
    public static let s3Bucket = ResourceKind(
        id: .s3Bucket, service: "s3", catalogType: "bucket", noun: "bucket", resourcePolicy: .optional(noun: "bucket policy"),
        look: Look(caption: "S3 BUCKET", shape: "folder", style: "filled", palette: .storage), modelName: "s3-bucket",
        servicePrincipal: "s3.amazonaws.com",
        nameRule: NameRule(description: "3–63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit") { name in
            (3...63).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
                && name.first.map { $0.isLetter || $0.isNumber } == true && name.last.map { $0.isLetter || $0.isNumber } == true
                && !name.contains("..")
        },
        keyUse: ["getobject": ["kms:Decrypt"], "putobject": ["kms:GenerateDataKey"], "headobject": ["kms:Decrypt"],
                 "getobjectversion": ["kms:Decrypt"], "copyobject": ["kms:Decrypt", "kms:GenerateDataKey"]],
        encryptionContextKey: "aws:s3:arn")

    /// Objects are covered by their bucket's policy.
    public static let s3Object = ResourceKind(
        id: .s3Object, service: "s3", catalogType: "object", noun: "object", resourcePolicy: .optional(noun: "bucket policy"),
        policyCoveredBy: .s3Bucket, look: Look(caption: "S3 OBJECTS", shape: "folder", style: "filled", palette: .storage))

    /// A key's policy must allow every use; across accounts the caller's identity policy must allow it too (AWS KMS
    /// Developer Guide, "Allowing users in other accounts to use a KMS key").
    public static let kmsKey = ResourceKind(
        id: .kmsKey, service: "kms", catalogType: "key", noun: "key", resourcePolicy: .key,
        look: Look(caption: "KMS KEY", shape: "box", style: "filled,diagonals", palette: .security), modelName: "kms-key",
        nameRule: NameRule(description: "a key id: a UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab, or a multi-Region key id mrk-…") { name in
            let uuid = name.split(separator: "-", omittingEmptySubsequences: false).map(\.count) == [8, 4, 4, 4, 12]
                && name.allSatisfy { $0 == "-" || ($0.isHexDigit && !$0.isUppercase) }
            let multiRegion = name.hasPrefix("mrk-") && name.count == 36 && name.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase }
            return uuid || multiRegion
        })

    /// A queue's policy grants other accounts and services; an SSE-KMS queue needs `kms:GenerateDataKey` and
    /// `kms:Decrypt` to send and `kms:Decrypt` to receive (Amazon SQS Developer Guide, "Key management").
    public static let sqsQueue = ResourceKind(
        id: .sqsQueue, service: "sqs", catalogType: "queue", noun: "queue", resourcePolicy: .optional(noun: "queue policy"),
        look: Look(caption: "SQS QUEUE", shape: "box", style: "filled", palette: .integration), modelName: "sqs-queue",
        nameRule: NameRule(description: "1–80 letters, digits, '-' and '_' (a FIFO queue's ends in .fifo)") { name in
            let stem = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
            return (1...80).contains(name.count) && !stem.isEmpty && stem.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        },
        keyUse: ["sendmessage": ["kms:GenerateDataKey", "kms:Decrypt"], "receivemessage": ["kms:Decrypt"]],
        encryptionContextKey: "aws:sqs:arn")

    /// SNS delivers to subscribers as `sns.amazonaws.com`; an encrypted topic needs `kms:GenerateDataKey` and
    /// `kms:Decrypt` from its publishers (Amazon SNS Developer Guide, "Data encryption").
    public static let snsTopic = ResourceKind(
        id: .snsTopic, service: "sns", catalogType: "topic", noun: "topic", resourcePolicy: .optional(noun: "topic policy"),
        look: Look(caption: "SNS TOPIC", shape: "box", style: "rounded,filled", palette: .integration), modelName: "sns-topic",
        servicePrincipal: "sns.amazonaws.com",
        nameRule: NameRule(description: "1–256 letters, digits, '-' and '_' (a FIFO topic's ends in .fifo)") { name in
            let stem = name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
            return (1...256).contains(name.count) && !stem.isEmpty && stem.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        },
        keyUse: ["publish": ["kms:GenerateDataKey", "kms:Decrypt"]], encryptionContextKey: "aws:sns:topicArn")

    /// A secret is always encrypted: with its customer managed key, or the AWS managed key `aws/secretsmanager`,
    /// whose key policy only serves its own account — so a secret read from another account needs a customer managed
    /// key (AWS Secrets Manager User Guide, "Access AWS Secrets Manager secrets from a different account").
    public static let secret = ResourceKind(
        id: .secret, service: "secretsmanager", catalogType: "Secret", noun: "secret", resourcePolicy: .optional(noun: "resource policy"),
        look: Look(caption: "SECRETS MANAGER SECRET", shape: "box", style: "rounded,filled", palette: .security), modelName: "secret",
        nameRule: NameRule(description: "1–512 letters, digits and /_+=.@-") { name in
            (1...512).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_+=.@-".contains($0)) }
        },
        keyUse: ["getsecretvalue": ["kms:Decrypt"]], encryptionContextKey: "SecretARN", awsManagedKeyAlias: "aws/secretsmanager")

    /// An event bus's policy lets other accounts put events (`events:PutEvents`); rules deliver as
    /// `events.amazonaws.com` (Amazon EventBridge User Guide, "Permissions for event buses").
    public static let eventBus = ResourceKind(
        id: .eventBus, service: "events", catalogType: "event-bus", noun: "event bus", resourcePolicy: .optional(noun: "event bus policy"),
        look: Look(caption: "EVENTBRIDGE EVENT BUS", shape: "box", style: "rounded,filled", palette: .integration), modelName: "event-bus",
        servicePrincipal: "events.amazonaws.com",
        nameRule: NameRule(description: "1–256 letters, digits and ._-/") { name in
            (1...256).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "._-/".contains($0)) }
        })
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
        /// A service principal acting for a resource (an SNS topic delivering to a queue).
        case servicePrincipal
        /// An IAM user, with long-term access keys.
        case iamUser
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
        case .servicePrincipal: service(for: .snsTopic)
        case .iamUser: iamUser
        }
    }

    /// The service principal of `kind` acting for one of its resources: `sns.amazonaws.com` for a topic. AWS types
    /// its requests as a service's: no identity policy, boundary or SCP applies, only the target's policy.
    public static func service(for kind: ResourceKind) -> CallerKind {
        CallerKind(
            id: .servicePrincipal, resource: kind, principalType: .service, collection: "resources", noun: kind.noun,
            roleNoun: "service principal", servicePrincipal: kind.servicePrincipal,
            credentialSource: "the service itself (\(kind.servicePrincipal ?? "a service principal"))", runsIn: "AWS")
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
    /// AWS: "IAM users" (IAM User Guide); its access keys never expire, so the snippets' advice is to prefer roles.
    public static let iamUser = CallerKind(
        id: .iamUser, resource: .iamUser, principalType: .user, collection: "users", noun: "IAM user", roleNoun: "user",
        servicePrincipal: nil, credentialSource: "the user's long-term access keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)", runsIn: "anywhere")
    public static let roleSession = CallerKind(
        id: .roleSession, resource: .iamRole, principalType: .assumedRole, collection: nil, noun: "role session",
        roleNoun: "role", servicePrincipal: nil, credentialSource: "an earlier AssumeRole call", runsIn: "the caller's code")
}
