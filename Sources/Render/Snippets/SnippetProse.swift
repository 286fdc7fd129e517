import Model
import Policy
import Resolution

/// The words both snippet languages put in their comments, from the step's resolution: written once, so the Swift
/// snippet and its Python twin say the same thing.
enum SnippetProse {
    /// "Account B (Data account, 222222222222)".
    static func account(_ key: String, in model: Model) -> String {
        guard let account = model.account(key) else { return "Account \(key)" }
        return "Account \(account.key) (\(account.name), \(account.id))"
    }

    static func role(_ role: Role, in model: Model) -> String { "The role \(role.name) in \(account(role.accountKey, in: model))." }

    /// Why the table is named as it is: by name in its own account, by its full ARN across accounts.
    static func table(_ table: Table, byName: Bool, in model: Model) -> String {
        byName
            ? "The table \(table.name) in \(account(table.accountKey, in: model)), by name: the caller is in the table's own account."
            : "The table \(table.name) in \(account(table.accountKey, in: model)), by its full ARN: across accounts a bare name would mean a table in the caller's own account."
    }

    static func key(_ table: Table) -> String {
        "The key of one item of \(table.name): partition key \(table.partitionKey)" + (table.sortKey.map { ", sort key \($0)" } ?? "") + "."
    }

    /// "Allowed by the identity policy X of role R [Sid] and the trust policy of role T [Sid]." — the grants only.
    static func allowedBy(_ step: StepResolution) -> String? {
        guard step.decision == .allowed else { return nil }
        var statements: [String] = []
        for statement in step.matched where statement.effect == .allow {
            guard let policy = step.policy(for: statement), policy.slot == .identity || policy.slot == .resource else { continue }
            let text = policy.label + (statement.sid.map { " [\($0)]" } ?? "")
            if !statements.contains(text) { statements.append(text) }
        }
        guard !statements.isEmpty else { return nil }
        return "Allowed by the " + statements.joined(separator: " and the ") + "."
    }

    /// "Expected to fail with AccessDeniedException: <the cause in words>".
    static func denial(_ step: StepResolution, in model: Model) -> String {
        let code = ServiceRules.denialCode(service: step.step.service)
        return "Expected to fail with \(code): " + (CauseWording(step, model: model).sentence ?? "no policy grants it.")
    }

    /// What a snippet names a resource of `resources:` (or a function invoked) by, and why.
    static func resource(_ resource: Resource, callerAccount: String, in model: Model) -> String {
        let place = account(resource.accountKey, in: model)
        let across = resource.accountKey != callerAccount
        switch resource.kind {
        case .s3Bucket:
            return "The bucket \(resource.name) in \(place), by name: bucket names are global, so "
                + (across ? "another account's bucket is named the same way as one's own." : "the name is all S3 needs.")
        case .kmsKey:
            return "The KMS key \(resource.name)\(resource.alias.map { " (\($0))" } ?? "") in \(place), by its key ARN"
                + (across ? ": across accounts an alias or a bare key id would mean a key of the caller's own account." : ".")
        case .snsTopic:
            return "The topic \(resource.name) in \(place), by its ARN, as Publish takes it."
        case .secret:
            return "The secret \(resource.name) in \(place), by its full ARN"
                + (across ? ": across accounts Secrets Manager needs the ARN, not the name (AWS Secrets Manager User Guide, "
                    + "\"Access AWS Secrets Manager secrets from a different account\")." : ", which names exactly this secret.")
        case .lambdaFunction:
            return "The function \(resource.name) in \(place), by its ARN"
                + (across ? ": another account's function needs an ARN, a bare name would mean one of the caller's own account." : ".")
        default:
            return "The \(resource.resourceKind.noun) \(resource.name) in \(place)."
        }
    }

    /// "The queue orders in Account B (…): GetQueueUrl finds its URL by name and owner account."
    static func queueName(_ resource: Resource, in model: Model) -> String {
        "The queue \(resource.name) in \(account(resource.accountKey, in: model)), by name: GetQueueUrl returns the URL every other call takes."
    }

    /// Why the snippet looks the queue's URL up first, and what that lookup needs.
    static func queueLookup(_ resource: Resource) -> String {
        "The queue's URL comes from GetQueueUrl, which AWS authorizes as sqs:GetQueueUrl on \(resource.name): the policies "
            + "that allow this step must allow that too (or keep the URL in the function's configuration instead)."
    }

    /// The queue's owner account id, for GetQueueUrl across accounts.
    static func queueOwner(_ resource: Resource, in model: Model) -> String {
        "The account that owns \(resource.name): GetQueueUrl looks a name up in the caller's own account unless it is given "
            + "(QueueOwnerAWSAccountId)."
    }

    /// The object key a step reads or writes: the one its `object:` names, or one its pattern covers.
    static func object(_ step: Step, bucket: Resource) -> String {
        guard let pattern = step.object, let concrete = step.concreteObject else { return "An object of \(bucket.name)." }
        return pattern == concrete
            ? "The object \(concrete) of \(bucket.name), as the step names it."
            : "An object of \(bucket.name) matching the step's pattern \(pattern): the key the call makes."
    }

    /// "S3 calls kms:Decrypt on key … with these credentials; the key policy must allow it." — one sentence per implied call.
    static func implied(_ step: StepResolution) -> [String] {
        step.implied.map { implied in
            let service = ResourceKind.serviceName(step.step.service)
            let both = implied.crossAccount ? ", and so must the caller's identity policy (the key is in another account)" : ""
            return "\(service) calls \(implied.step.action) on the key \(implied.target.displayName) with these credentials; "
                + "the key policy must allow it\(both)."
        }
    }

    /// The comment on a delivery step: the service's own call, which no code of the option makes.
    static func delivery(_ step: StepResolution) -> String {
        let service = ResourceKind.serviceName(step.caller.callerKind.resource.service)
        return "Step \(step.number): \(step.step.action) on \(step.target.displayName) is \(service)'s own delivery, made as "
            + "\(step.caller.displayName): no code of yours makes it, so neither does this snippet. The policies of "
            + "\(step.target.displayName) decide it, and the guide proves this step with the policy engine."
    }

    /// The comment on calls made with an IAM user's long-term keys.
    static func user(_ user: User, in model: Model) -> String {
        "Runs with the long-term access keys of the IAM user \(user.name) in \(account(user.accountKey, in: model)), as the "
            + "default credential chain finds them (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile of the shared "
            + "credentials file). Prefer a role where you can: its credentials are temporary, with nothing to rotate or to leak."
    }
}
