public import Policy
public import Source

/// The whole content: accounts, roles, functions, tables and the options the guide compares.
///
/// Every collection keeps the order of `model.yml`, so every output that walks it is deterministic.
/// ARNs are derived here, once, from keys, names and account ids: never typed twice.
public struct Model: Sendable, Hashable {
    public var title: String
    public var region: String
    /// Diagram theme chosen in the content (`theme:`); `nil` means the default.
    public var theme: String?
    /// Lets author prose carry raw HTML into the site (`unsafeHTML: true`). Off by default.
    public var unsafeHTML: Bool
    public var accounts: [Account]
    public var roles: [Role]
    /// IAM users: callers with long-term access keys (`users:`).
    public var users: [User]
    public var functions: [Function]
    public var tables: [Table]
    /// S3 buckets, KMS keys, SQS queues, SNS topics, secrets, event buses and target-only Lambda functions
    /// (`resources:`, each with its `kind:`).
    public var resources: [Resource]
    public var options: [AccessOption]
    /// The folder `model.yml` was read from (policy paths are relative to it).
    public var contentDirectory: String
    /// The path of `model.yml` as the user named it.
    public var file: String

    public init(
        title: String, region: String, theme: String? = nil, unsafeHTML: Bool = false, accounts: [Account], roles: [Role],
        functions: [Function], tables: [Table], resources: [Resource] = [], users: [User] = [], options: [AccessOption], contentDirectory: String,
        file: String
    ) {
        self.resources = resources
        self.users = users
        self.title = title
        self.region = region
        self.theme = theme
        self.unsafeHTML = unsafeHTML
        self.accounts = accounts
        self.roles = roles
        self.functions = functions
        self.tables = tables
        self.options = options
        self.contentDirectory = contentDirectory
        self.file = file
    }

    /// The diagram themes `theme:` accepts (Render's `Theme.Name` has one case for each; a test keeps them equal).
    public static let diagramThemes = ["light", "dark", "slide"]

    public func account(_ key: String) -> Account? { accounts.first { $0.key == key } }
    public func role(_ key: String) -> Role? { roles.first { $0.key == key } }
    public func function(_ key: String) -> Function? { functions.first { $0.key == key } }
    public func user(_ key: String) -> User? { users.first { $0.key == key } }
    public func table(_ key: String) -> Table? { tables.first { $0.key == key } }
    /// A resource of `resources:`, or a Lambda function of `functions:` as the target of an invocation.
    public func resource(_ key: String) -> Resource? {
        resources.first { $0.key == key } ?? function(key).flatMap { $0.kind == .lambdaFunction ? $0.asResource : nil }
    }
    public func option(_ id: String) -> AccessOption? { options.first { $0.id == id } }

    /// The account that owns an ARN of this model, by its 12-digit id.
    public func account(id: String) -> Account? { accounts.first { $0.id == id } }
}

public struct Account: Sendable, Hashable {
    public var key: String
    /// The 12-digit account id.
    public var id: String
    public var name: String
    /// The AWS Organizations id (`o-…`), if the account belongs to one; gives `aws:PrincipalOrgID`.
    public var organization: String?
    /// Service control policies that apply to the account, by name (optional; they only limit).
    public var serviceControlPolicies: [NamedPolicy]
    public var location: SourceLocation

    public init(key: String, id: String, name: String, organization: String?, serviceControlPolicies: [NamedPolicy] = [], location: SourceLocation) {
        self.key = key
        self.id = id
        self.name = name
        self.organization = organization
        self.serviceControlPolicies = serviceControlPolicies
        self.location = location
    }

    /// `arn:aws:iam::<id>:root`, the account as a principal.
    public var rootARN: String { ARN.accountRoot(id).description }
}

/// A policy document together with its name and where it came from.
public struct NamedPolicy: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// Written inline in `model.yml`.
        case inline
        /// Read from a `.json` file; the path is relative to the content folder, as written.
        case file(String)
    }

    public var name: String
    public var document: PolicyDocument
    public var origin: Origin
    public var location: SourceLocation

    public init(name: String, document: PolicyDocument, origin: Origin, location: SourceLocation) {
        self.name = name
        self.document = document
        self.origin = origin
        self.location = location
    }
}

public struct Role: Sendable, Hashable {
    public var key: String
    public var accountKey: String
    public var name: String
    public var path: String
    public var trust: NamedPolicy
    public var policies: [NamedPolicy]
    public var boundary: NamedPolicy?
    /// `MaxSessionDuration` of the role in seconds (3600–43200, default 3600).
    public var maxSessionDuration: Int
    /// `arn:aws:iam::<id>:role<path><name>`.
    public var arn: String
    public var location: SourceLocation

    public init(
        key: String, accountKey: String, name: String, path: String, trust: NamedPolicy, policies: [NamedPolicy],
        boundary: NamedPolicy?, maxSessionDuration: Int = 3600, arn: String, location: SourceLocation
    ) {
        self.key = key
        self.accountKey = accountKey
        self.name = name
        self.path = path
        self.trust = trust
        self.policies = policies
        self.boundary = boundary
        self.maxSessionDuration = maxSessionDuration
        self.arn = arn
        self.location = location
    }

    /// The ARN of a session of this role: `arn:aws:sts::<id>:assumed-role/<name>/<session>` (no path).
    public func sessionARN(accountID: String, session: String) -> String {
        ARN.assumedRole(account: accountID, roleName: name, session: session).description
    }
}

/// An IAM user: code that calls with the user's long-term access keys, so with no session (no session policy, no
/// `aws:TokenIssueTime`), as `arn:aws:iam::<id>:user<path><name>`.
public struct User: Sendable, Hashable {
    public var key: String
    public var accountKey: String
    public var name: String
    public var path: String
    public var policies: [NamedPolicy]
    public var boundary: NamedPolicy?
    /// `arn:aws:iam::<id>:user<path><name>`.
    public var arn: String
    public var location: SourceLocation

    public init(key: String, accountKey: String, name: String, path: String = "/", policies: [NamedPolicy], boundary: NamedPolicy? = nil, arn: String, location: SourceLocation) {
        self.key = key
        self.accountKey = accountKey
        self.name = name
        self.path = path
        self.policies = policies
        self.boundary = boundary
        self.arn = arn
        self.location = location
    }
}

/// A compute caller: code that runs with a role's session handed to it by the service that runs it. A Lambda function
/// (`functions:`), an ECS task (`tasks:`) or an EC2 instance (`instances:`); `kind` says which, and its entry says how
/// it is named, drawn and worded (`CallerKind`).
public struct Function: Sendable, Hashable {
    public var key: String
    public var kind: CallerKind.ID
    public var accountKey: String
    /// The function's name, the task's family, the instance's name.
    public var name: String
    /// The role whose session the code calls with: execution role, task role, instance profile role.
    public var roleKey: String
    /// `arn:aws:lambda:<region>:<id>:function:<name>`, `arn:aws:ecs:<region>:<id>:task/<cluster>/<task id>`,
    /// `arn:aws:ec2:<region>:<id>:instance/<instance id>`.
    public var arn: String
    /// The session name the service gives the role's session: the function name, the task id, the instance id.
    public var sessionName: String
    /// The principal the calls come from: `arn:aws:sts::<id>:assumed-role/<role name>/<session name>`.
    public var sessionARN: String
    /// A Lambda function's resource-based policy (who may invoke it), if any.
    public var policy: NamedPolicy?
    public var location: SourceLocation

    public init(
        key: String, kind: CallerKind.ID = .lambdaFunction, accountKey: String, name: String, roleKey: String, arn: String,
        sessionName: String? = nil, sessionARN: String, policy: NamedPolicy? = nil, location: SourceLocation
    ) {
        self.policy = policy
        self.key = key
        self.kind = kind
        self.accountKey = accountKey
        self.name = name
        self.roleKey = roleKey
        self.arn = arn
        self.sessionName = sessionName ?? name
        self.sessionARN = sessionARN
        self.location = location
    }

    /// The caller kind's entry.
    public var callerKind: CallerKind { CallerKind.of(kind) }
    /// How diagrams draw it and what the guide calls it.
    public var resourceKind: ResourceKind { callerKind.resource }
    /// The part of its ARN after the account (`function:orders-api`, `task/default/<id>`, `instance/i-…`).
    public var arnResource: String { ARN(arn)?.resource ?? name }

    /// The function as the target of `lambda:InvokeFunction`: a resource with its resource-based policy.
    public var asResource: Resource {
        Resource(key: key, kind: .lambdaFunction, accountKey: accountKey, name: name, policy: policy, arn: arn, location: location)
    }
}

/// Which attributes a global secondary index copies from the table, besides the keys (DynamoDB's `Projection`).
public enum IndexProjection: Sendable, Hashable {
    /// Every attribute (`ALL`), the default.
    case all
    /// The table's and the index's key attributes only (`KEYS_ONLY`).
    case keysOnly
    /// The keys and these attributes (`INCLUDE` with `NonKeyAttributes`).
    case include([String])

    /// `ALL`, `KEYS_ONLY`, `INCLUDE`.
    public var type: String {
        switch self {
        case .all: "ALL"
        case .keysOnly: "KEYS_ONLY"
        case .include: "INCLUDE"
        }
    }
}

/// A global secondary index's key attributes, as the model declares them (`{ name: ByStatus, partitionKey: status }`).
public struct TableIndex: Sendable, Hashable {
    public var name: String
    public var partitionKey: String
    public var sortKey: String?
    public var projection: IndexProjection

    public init(name: String, partitionKey: String, sortKey: String? = nil, projection: IndexProjection = .all) {
        self.name = name
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.projection = projection
    }

    /// The attribute an index written as a plain name is keyed by, from its name: `ByStatus` → `status`,
    /// `status-index` → `status`, anything else → the index name itself. Declare the key in the model to be sure.
    public static func conventionalPartitionKey(_ index: String) -> String {
        var stem = index
        if stem.hasPrefix("By"), stem.count > 2, stem.dropFirst(2).first!.isUppercase { stem = String(stem.dropFirst(2)) }
        for suffix in ["-index", "_index", "Index", "-idx", "_idx"] where stem.hasSuffix(suffix) && stem.count > suffix.count {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        let characters = Array(stem)
        guard let first = characters.first else { return index }
        let name = String(first).lowercased() + String(characters.dropFirst())
        return name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) ? name : index
    }
}

public struct Table: Sendable, Hashable {
    public var key: String
    public var accountKey: String
    public var name: String
    public var partitionKey: String
    public var sortKey: String?
    /// The index names, in model order.
    public var indexes: [String]
    /// The key attributes of the indexes that declare them (an index written as a plain name declares none).
    public var indexKeys: [TableIndex]
    /// The DynamoDB type (`S`, `N` or `B`) of key attributes that are not strings (`attributeTypes: { orderId: N }`);
    /// every other key attribute is `S`.
    public var attributeTypes: [String: String]
    public var policy: NamedPolicy?
    /// `arn:aws:dynamodb:<region>:<id>:table/<name>`.
    public var arn: String
    public var location: SourceLocation

    public init(
        key: String, accountKey: String, name: String, partitionKey: String, sortKey: String?, indexes: [String],
        indexKeys: [TableIndex] = [], attributeTypes: [String: String] = [:], policy: NamedPolicy?, arn: String, location: SourceLocation
    ) {
        self.indexKeys = indexKeys
        self.attributeTypes = attributeTypes
        self.key = key
        self.accountKey = accountKey
        self.name = name
        self.partitionKey = partitionKey
        self.sortKey = sortKey
        self.indexes = indexes
        self.policy = policy
        self.arn = arn
        self.location = location
    }

    /// The declared key attributes of an index, if the model declares them.
    public func indexKey(_ index: String) -> TableIndex? { indexKeys.first { $0.name == index } }

    /// The key schema and projection of one of the table's indexes: as declared, else keyed by the attribute its name
    /// suggests (`TableIndex.conventionalPartitionKey`) and projecting every attribute. nil for an index the table
    /// does not have.
    public func indexSchema(_ index: String) -> TableIndex? {
        guard indexes.contains(index) else { return nil }
        return indexKey(index) ?? TableIndex(name: index, partitionKey: TableIndex.conventionalPartitionKey(index))
    }

    /// The DynamoDB type of a key attribute: `S` unless `attributeTypes` says `N` or `B`.
    public func attributeType(_ attribute: String) -> String { attributeTypes[attribute] ?? "S" }

    /// `…:table/<name>/index/<index>`.
    public func indexARN(_ index: String) -> String { ARN(arn).map { $0.index(index).description } ?? "\(arn)/index/\(index)" }
}

/// A resource of one of the kinds `resources:` declares (`kind: s3-bucket`, `kms-key`, `sqs-queue`, `sns-topic`,
/// `secret`, `event-bus`, `lambda-function`): its account, name, resource-based policy and the KMS key that encrypts it.
public struct Resource: Sendable, Hashable {
    public var key: String
    public var kind: ResourceKind.ID
    public var accountKey: String
    /// The bucket's, queue's, topic's, secret's, bus's or function's name; a key's id.
    public var name: String
    /// Its resource-based policy: bucket, queue, topic, secret, event bus or function policy, or a key's key policy
    /// (nil: none; a key without one has AWS's default key policy, which delegates to its account).
    public var policy: NamedPolicy?
    /// The model key of the customer managed KMS key that encrypts it (SSE-KMS), if any.
    public var encryptionKey: String?
    /// A key's alias (`alias/orders`), if any.
    public var alias: String?
    /// The ARN, from the kind's catalog format.
    public var arn: String
    public var location: SourceLocation

    public init(
        key: String, kind: ResourceKind.ID, accountKey: String, name: String, policy: NamedPolicy? = nil, encryptionKey: String? = nil,
        alias: String? = nil, arn: String, location: SourceLocation
    ) {
        self.key = key
        self.kind = kind
        self.accountKey = accountKey
        self.name = name
        self.policy = policy
        self.encryptionKey = encryptionKey
        self.alias = alias
        self.arn = arn
        self.location = location
    }

    public var resourceKind: ResourceKind { ResourceKind.of(kind) }

    /// `arn:aws:s3:::bucket/key` of an object of a bucket.
    public func objectARN(_ object: String) -> String { arn + "/" + object }
}

/// One access pattern the guide compares, with its call flow.
public struct AccessOption: Sendable, Hashable {
    public var id: String
    public var title: String
    public var policyLives: String
    public var bestFor: String
    /// Optional one-paragraph summary used by the default guide and the diagrams' captions.
    public var summary: String?
    public var steps: [Step]
    public var location: SourceLocation

    public init(id: String, title: String, policyLives: String, bestFor: String, summary: String? = nil, steps: [Step], location: SourceLocation) {
        self.id = id
        self.title = title
        self.policyLives = policyLives
        self.bestFor = bestFor
        self.summary = summary
        self.steps = steps
        self.location = location
    }
}

/// Whether a step is expected to be allowed, and if not, how it is denied.
public enum Expectation: String, Sendable, Hashable, Codable, CaseIterable {
    case allowed
    case implicitDeny
    case explicitDeny
}

public struct Step: Sendable, Hashable {
    public enum Caller: Sendable, Hashable {
        /// A Lambda function: its execution-role session.
        case function(String)
        /// The session an earlier `sts:AssumeRole` step of the same option made.
        case role(String)
        /// An IAM user, with its long-term access keys.
        case user(String)
        /// A resource whose service acts for it as a service principal (an SNS topic delivering to a queue, a bucket
        /// notifying a function, an EventBridge bus's rule): the call comes from `sns.amazonaws.com` with the
        /// resource as `aws:SourceArn`.
        case service(String)

        public var key: String {
            switch self {
            case .function(let key), .role(let key), .user(let key), .service(let key): key
            }
        }
    }

    public enum Target: Sendable, Hashable {
        case role(String)
        case table(String)
        /// A resource of `resources:`, or a function of `functions:` invoked.
        case resource(String)

        public var key: String {
            switch self {
            case .role(let key), .table(let key), .resource(let key): key
            }
        }
    }

    public var caller: Caller
    /// `service:Action`, as written (e.g. `sts:AssumeRole`, `dynamodb:GetItem`).
    public var action: String
    public var target: Target
    public var index: String?
    /// The object key (or key pattern) an S3 object operation acts on (`object: reports/2026.csv`).
    public var object: String?
    public var session: String?
    public var externalId: String?
    public var expect: Expectation
    /// Extra request context keys for the engine (`context: { aws:SourceIp: 10.0.0.1 }`), optional.
    public var context: [String: [String]]
    public var location: SourceLocation

    public init(
        caller: Caller, action: String, target: Target, index: String? = nil, object: String? = nil, session: String? = nil,
        externalId: String? = nil, expect: Expectation = .allowed, context: [String: [String]] = [:], location: SourceLocation
    ) {
        self.object = object
        self.caller = caller
        self.action = action
        self.target = target
        self.index = index
        self.session = session
        self.externalId = externalId
        self.expect = expect
        self.context = context
        self.location = location
    }

    /// The `RoleSessionName` an `sts:AssumeRole` step uses when the content names none: the one default every output
    /// and the mock share.
    public static let defaultSession = "LambdaSession"

    public var service: String { action.split(separator: ":").first.map { $0.lowercased() } ?? "" }

    /// The object key a call makes for `object:` — the key itself, or for a pattern (`reports/*`) one key it covers
    /// (`*` → `example`, `?` → `x`): what the snippets read and write and the simulator seeds, one choice for both.
    public var concreteObject: String? {
        object.map { pattern in
            String(pattern.flatMap { character -> [Character] in
                switch character {
                case "*": Array("example")
                case "?": ["x"]
                default: [character]
                }
            })
        }
    }
    public var actionName: String { action.split(separator: ":", maxSplits: 1).dropFirst().first.map(String.init) ?? action }
    public var isAssumeRole: Bool { action.lowercased() == "sts:assumerole" }
}
