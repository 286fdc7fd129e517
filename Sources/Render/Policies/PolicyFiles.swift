public import Model
internal import Policy
import Source

/// The exact policy documents of the model, one JSON file each, as they would be pasted into the console or
/// an infrastructure template, plus a summary of the model with every derived ARN.
public enum PolicyFiles {
    /// `policies/<account key>/<kind>-<owner>[-<name>].json`, in model order.
    public static func render(_ model: Model) -> [OutputFile] {
        var files: [OutputFile] = []
        for role in model.roles {
            files.append(file(model, account: role.accountKey, name: "role-\(role.name)-trust", policy: role.trust))
            for policy in role.policies {
                files.append(file(model, account: role.accountKey, name: "role-\(role.name)-policy-\(policy.name)", policy: policy))
            }
            if let boundary = role.boundary {
                files.append(file(model, account: role.accountKey, name: "role-\(role.name)-boundary", policy: boundary))
            }
        }
        for table in model.tables {
            if let policy = table.policy {
                files.append(file(model, account: table.accountKey, name: "table-\(table.name)-policy", policy: policy))
            }
        }
        for user in model.users {
            for policy in user.policies { files.append(OutputFile(path: path(forUser: user, policy: policy), text: policy.document.jsonText)) }
            if let boundary = user.boundary { files.append(OutputFile(path: path(forUser: user, policy: boundary), text: boundary.document.jsonText)) }
        }
        for function in model.functions {
            if let policy = function.policy {
                files.append(OutputFile(path: path(forResource: function.asResource), text: policy.document.jsonText))
            }
        }
        for resource in model.resources {
            if let policy = resource.policy {
                files.append(OutputFile(path: path(forResource: resource), text: policy.document.jsonText))
            }
        }
        for account in model.accounts {
            for scp in account.serviceControlPolicies {
                files.append(OutputFile(path: path(forServiceControlPolicy: scp, account: account), text: scp.document.jsonText))
            }
        }
        return files
    }

    /// The relative path under `output/` of a policy file, so that other renderers can link to it.
    public static func path(account: String, name: String) -> String {
        "policies/\(safeFileName(account))/\(safeFileName(name)).json"
    }

    public static func path(forRole role: Role, policy: NamedPolicy) -> String {
        if policy == role.trust { return path(account: role.accountKey, name: "role-\(role.name)-trust") }
        if policy == role.boundary { return path(account: role.accountKey, name: "role-\(role.name)-boundary") }
        return path(account: role.accountKey, name: "role-\(role.name)-policy-\(policy.name)")
    }

    public static func path(forServiceControlPolicy scp: NamedPolicy, account: Account) -> String {
        path(account: account.key, name: "scp-\(scp.name)")
    }

    public static func path(forUser user: User, policy: NamedPolicy) -> String {
        if policy == user.boundary { return path(account: user.accountKey, name: "user-\(user.name)-boundary") }
        return path(account: user.accountKey, name: "user-\(user.name)-policy-\(policy.name)")
    }

    /// `policies/<account>/<kind>-<name>-policy.json` (`s3-bucket-reports-policy.json`, `kms-key-<id>-policy.json`).
    public static func path(forResource resource: Resource) -> String {
        path(account: resource.accountKey, name: "\(resource.resourceKind.modelName ?? resource.kind.rawValue)-\(resource.name)-policy")
    }

    public static func path(forTable table: Table) -> String {
        path(account: table.accountKey, name: "table-\(table.name)-policy")
    }

    private static func file(_ model: Model, account: String, name: String, policy: NamedPolicy) -> OutputFile {
        OutputFile(path: path(account: account, name: name), text: policy.document.jsonText)
    }

    /// Keeps a file name to letters, digits, `.`, `_` and `-`; anything else becomes `_`.
    public static func safeFileName(_ text: String) -> String {
        let mapped = String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        return mapped.hasPrefix(".") ? "_" + mapped.dropFirst() : mapped
    }
}

/// `model.json`: the model as Trustflow understood it, with every derived ARN, for review and other tools.
public enum ModelSummary {
    public static func render(_ model: Model) -> OutputFile {
        let accounts = model.accounts.map { account in
            JSON.object(["key": JSON.string(account.key), "id": JSON.string(account.id), "name": JSON.string(account.name),
                         "organization": JSON.optional(account.organization), "root": JSON.string(account.rootARN)])
        }
        let roles = model.roles.map { role in
            JSON.object([
                "key": JSON.string(role.key), "account": JSON.string(role.accountKey), "name": JSON.string(role.name),
                "arn": JSON.string(role.arn), "maxSessionDuration": JSON.number(role.maxSessionDuration),
                "trust": JSON.string(PolicyFiles.path(forRole: role, policy: role.trust)),
                "policies": JSON.array(role.policies.map { JSON.string(PolicyFiles.path(forRole: role, policy: $0)) }),
                "boundary": role.boundary.map { JSON.string(PolicyFiles.path(forRole: role, policy: $0)) },
            ])
        }
        let functions = model.functions.map { function in
            // `kind` only for callers that are not Lambda functions (tasks:, instances:), so older readers see no change.
            JSON.object(["key": JSON.string(function.key), "kind": function.kind == .lambdaFunction ? nil : JSON.string(function.kind.rawValue),
                         "account": JSON.string(function.accountKey), "name": JSON.string(function.name),
                         "arn": JSON.string(function.arn), "role": JSON.string(function.roleKey), "callsAs": JSON.string(function.sessionARN)])
        }
        let tables = model.tables.map { table in
            JSON.object([
                "key": JSON.string(table.key), "account": JSON.string(table.accountKey), "name": JSON.string(table.name),
                "arn": JSON.string(table.arn), "partitionKey": JSON.string(table.partitionKey), "sortKey": JSON.optional(table.sortKey),
                "indexes": JSON.array(table.indexes.map { JSON.object(["name": JSON.string($0), "arn": JSON.string(table.indexARN($0))]) }),
                "policy": table.policy.map { _ in JSON.string(PolicyFiles.path(forTable: table)) },
            ])
        }
        let users = model.users.map { user in
            JSON.object([
                "key": JSON.string(user.key), "account": JSON.string(user.accountKey), "name": JSON.string(user.name), "arn": JSON.string(user.arn),
                "policies": JSON.array(user.policies.map { JSON.string(PolicyFiles.path(forUser: user, policy: $0)) }),
                "boundary": user.boundary.map { JSON.string(PolicyFiles.path(forUser: user, policy: $0)) },
            ])
        }
        // `resources` and `users` only when the model has some, so that older readers see no change.
        let resources = model.resources.map { resource in
            JSON.object([
                "key": JSON.string(resource.key), "kind": JSON.string(resource.resourceKind.modelName ?? resource.kind.rawValue),
                "account": JSON.string(resource.accountKey), "name": JSON.string(resource.name), "arn": JSON.string(resource.arn),
                "alias": JSON.optional(resource.alias), "encryptionKey": JSON.optional(resource.encryptionKey),
                "policy": resource.policy.map { _ in JSON.string(PolicyFiles.path(forResource: resource)) },
            ])
        }
        let options = model.options.map { option in
            JSON.object([
                "id": JSON.string(option.id), "title": JSON.string(option.title),
                "policyLives": JSON.string(option.policyLives), "bestFor": JSON.string(option.bestFor),
                "steps": JSON.array(option.steps.map { step in
                    JSON.object(["caller": JSON.string(step.caller.key), "action": JSON.string(step.action), "target": JSON.string(step.target.key),
                                 "index": JSON.optional(step.index), "object": JSON.optional(step.object), "session": JSON.optional(step.session),
                                 "expect": JSON.string(step.expect.rawValue)])
                }),
            ])
        }
        let root = JSON.object([
            "title": JSON.string(model.title), "region": JSON.string(model.region),
            "accounts": JSON.array(accounts), "roles": JSON.array(roles), "functions": JSON.array(functions),
            "tables": JSON.array(tables), "resources": resources.isEmpty ? nil : JSON.array(resources), "users": users.isEmpty ? nil : JSON.array(users), "options": JSON.array(options),
        ])
        return OutputFile(path: "model.json", text: JSONWriter.write(root))
    }
}
