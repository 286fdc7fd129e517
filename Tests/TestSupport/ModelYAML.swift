public import Model
import Source
import Policy

extension ModelGenerator {
    /// `model` as `model.yml`, policies inline as JSON (YAML's flow style reads JSON as written), every scalar quoted.
    /// Loading it back gives the same entities and decisions: the test that the generator keeps to the loader's rules.
    public static func yaml(_ model: Model) -> String {
        let q: (String) -> String = JSONWriter.quote
        func json(_ policy: NamedPolicy) -> String { JSONWriter.write(policy.document.source, pretty: false) }
        var out = "title: \(q(model.title))\nregion: \(q(model.region))\naccounts:\n"
        for account in model.accounts {
            var fields = ["id: \(q(account.id))", "name: \(q(account.name))"]
            if let organization = account.organization { fields.append("organization: \(q(organization))") }
            if !account.serviceControlPolicies.isEmpty {
                fields.append("scps: {" + account.serviceControlPolicies.map { "\(q($0.name)): \(json($0))" }.joined(separator: ", ") + "}")
            }
            out += "  \(q(account.key)): {\(fields.joined(separator: ", "))}\n"
        }
        out += "roles:\n"
        for role in model.roles {
            var fields = ["account: \(q(role.accountKey))", "name: \(q(role.name))", "path: \(q(role.path))", "trust: \(json(role.trust))"]
            if !role.policies.isEmpty { fields.append("policies: {" + role.policies.map { "\(q($0.name)): \(json($0))" }.joined(separator: ", ") + "}") }
            if let boundary = role.boundary { fields.append("boundary: \(json(boundary))") }
            out += "  \(q(role.key)): {\(fields.joined(separator: ", "))}\n"
        }
        for kind in CallerKind.compute {
            let callers = model.functions.filter { $0.kind == kind.id }
            guard kind.id == .lambdaFunction || !callers.isEmpty else { continue }
            out += "\(kind.collection ?? ""):\n"
            for function in callers {
                var fields = ["account: \(q(function.accountKey))", "name: \(q(function.name))", "role: \(q(function.roleKey))"]
                switch function.kind {
                case .ecsTask:
                    // The cluster is the ARN's segment between task/ and the id.
                    let cluster = function.arnResource.split(separator: "/").dropFirst().first.map(String.init) ?? "default"
                    fields += ["cluster: \(q(cluster))", "taskId: \(q(function.sessionName))"]
                case .ec2Instance:
                    fields.append("instanceId: \(q(function.sessionName))")
                case .lambdaFunction, .roleSession, .servicePrincipal, .iamUser:
                    break
                }
                out += "  \(q(function.key)): {\(fields.joined(separator: ", "))}\n"
            }
        }
        out += "tables:\n"
        for table in model.tables {
            var fields = ["account: \(q(table.accountKey))", "name: \(q(table.name))", "partitionKey: \(q(table.partitionKey))"]
            if let sortKey = table.sortKey { fields.append("sortKey: \(q(sortKey))") }
            if !table.indexes.isEmpty { fields.append("indexes: [" + table.indexes.map(q).joined(separator: ", ") + "]") }
            if let policy = table.policy { fields.append("policy: \(json(policy))") }
            out += "  \(q(table.key)): {\(fields.joined(separator: ", "))}\n"
        }
        if !model.resources.isEmpty {
            out += "resources:\n"
            for resource in model.resources {
                var fields = ["kind: \(q(resource.resourceKind.modelName ?? ""))", "account: \(q(resource.accountKey))", "name: \(q(resource.name))"]
                if resource.kind == .secret, let suffix = resource.arn.split(separator: "-").last { fields.append("suffix: \(q(String(suffix)))") }
                if let key = resource.encryptionKey { fields.append("key: \(q(key))") }
                if let policy = resource.policy { fields.append("policy: \(json(policy))") }
                out += "  \(q(resource.key)): {\(fields.joined(separator: ", "))}\n"
            }
        }
        out += "options:\n"
        for option in model.options {
            out += "  - id: \(q(option.id))\n    title: \(q(option.title))\n    policyLives: \(q(option.policyLives))\n    bestFor: \(q(option.bestFor))\n"
            if let summary = option.summary { out += "    summary: \(q(summary))\n" }
            out += "    steps:\n"
            for step in option.steps {
                var fields = ["caller: \(q(step.caller.key))", "action: \(q(step.action))", "target: \(q(step.target.key))"]
                if let index = step.index { fields.append("index: \(q(index))") }
                if let object = step.object { fields.append("object: \(q(object))") }
                if let session = step.session { fields.append("session: \(q(session))") }
                if let externalId = step.externalId { fields.append("externalId: \(q(externalId))") }
                fields.append("expect: \(step.expect.rawValue)")
                if !step.context.isEmpty {
                    let entries = step.context.sorted { $0.key < $1.key }.map { "\(q($0.key)): [" + $0.value.map(q).joined(separator: ", ") + "]" }
                    fields.append("context: {\(entries.joined(separator: ", "))}")
                }
                out += "      - {\(fields.joined(separator: ", "))}\n"
            }
        }
        return out
    }
}
