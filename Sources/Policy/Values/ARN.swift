/// An Amazon Resource Name split into its six parts: `arn:partition:service:region:account:resource`.
public struct ARN: Sendable, Hashable, CustomStringConvertible {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    public var resource: String

    public init(partition: String = "aws", service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// Parses `text`; `nil` unless it has the six colon-separated parts and starts with `arn`.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        partition = String(parts[1])
        service = String(parts[2])
        region = String(parts[3])
        account = String(parts[4])
        resource = String(parts[5])
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }
}

/// The one builder of every ARN Trustflow derives (IAM User Guide, "IAM identifiers"; the service guides for
/// Lambda and DynamoDB). Nothing else spells an ARN out.
extension ARN {
    /// `arn:aws:iam::<account>:root`, an account as a principal.
    public static func accountRoot(_ account: String) -> ARN {
        ARN(service: "iam", region: "", account: account, resource: "root")
    }

    /// `arn:aws:iam::<account>:role<path><name>`; `path` starts and ends with `/`.
    public static func role(account: String, path: String = "/", name: String) -> ARN {
        ARN(service: "iam", region: "", account: account, resource: "role\(path)\(name)")
    }

    /// `arn:aws:sts::<account>:assumed-role/<role name>/<session>`: a role session (the role's bare name, no path).
    public static func assumedRole(account: String, roleName: String, session: String) -> ARN {
        ARN(service: "sts", region: "", account: account, resource: "assumed-role/\(roleName)/\(session)")
    }

    /// `arn:aws:lambda:<region>:<account>:function:<name>`.
    public static func lambdaFunction(region: String, account: String, name: String) -> ARN {
        ARN(service: "lambda", region: region, account: account, resource: "function:\(name)")
    }

    /// `arn:aws:ecs:<region>:<account>:task/<cluster>/<task id>` (Amazon ECS Developer Guide, "Amazon Resource Names").
    public static func ecsTask(region: String, account: String, cluster: String, id: String) -> ARN {
        ARN(service: "ecs", region: region, account: account, resource: "task/\(cluster)/\(id)")
    }

    /// `arn:aws:ec2:<region>:<account>:instance/<instance id>`.
    public static func ec2Instance(region: String, account: String, id: String) -> ARN {
        ARN(service: "ec2", region: region, account: account, resource: "instance/\(id)")
    }

    /// `arn:aws:dynamodb:<region>:<account>:table/<name>`.
    public static func dynamoDBTable(region: String, account: String, name: String) -> ARN {
        ARN(service: "dynamodb", region: region, account: account, resource: "table/\(name)")
    }

    /// `arn:aws:dynamodb:<region>:<account>:table/*`: every table of an account, the resource of `ListTables`, which
    /// has no resource-level permission and lists the caller's own account.
    public static func dynamoDBTables(region: String, account: String) -> ARN {
        ARN(service: "dynamodb", region: region, account: account, resource: "table/*")
    }

    /// `…:table/<table>/index/<index>` of a table ARN.
    public func index(_ name: String) -> ARN {
        var arn = self
        arn.resource += "/index/\(name)"
        return arn
    }
}
