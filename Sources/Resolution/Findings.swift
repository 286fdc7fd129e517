public import Model
public import Policy
public import Source

/// The validation findings of every policy of a model, in model order, with what the analyzer knows of the model.
public enum Findings {
    /// What the analyzer knows from the model: its accounts, roles, tables and indexes.
    public static func knowledge(_ model: Model) -> Knowledge {
        Knowledge(
            accountIDs: Set(model.accounts.map(\.id)),
            roleARNs: Set(model.roles.map(\.arn)),
            tableARNs: Set(model.tables.map(\.arn)),
            indexes: Dictionary(model.tables.map { ($0.arn, $0.indexes) }, uniquingKeysWith: { first, _ in first }))
    }

    public static func all(_ model: Model) -> [Diagnostic] {
        let knowledge = knowledge(model)
        var findings: [Diagnostic] = []
        for account in model.accounts {
            for policy in account.serviceControlPolicies {
                findings += Analyzer.analyze(NamedDocument(name: "SCP \(policy.name)", document: policy.document), knowledge: knowledge, limit: .serviceControlPolicy)
            }
        }
        for role in model.roles {
            findings += Analyzer.analyze(NamedDocument(name: "trust policy of \(role.name)", document: role.trust.document), knowledge: knowledge, limit: .trustPolicy)
            for policy in role.policies {
                // A role's policies are its inline policies; a boundary is always a managed policy (IAM User Guide, "IAM and AWS
                // STS quotas").
                findings += Analyzer.analyze(NamedDocument(name: policy.name, document: policy.document), knowledge: knowledge, limit: .inlineRolePolicy)
            }
            if let boundary = role.boundary {
                findings += Analyzer.analyze(NamedDocument(name: boundary.name, document: boundary.document), knowledge: knowledge, limit: .managedPolicy)
            }
        }
        for table in model.tables {
            if let policy = table.policy {
                findings += Analyzer.analyze(NamedDocument(name: "table policy of \(table.name)", document: policy.document), knowledge: knowledge, limit: .dynamoDBResourcePolicy)
            }
        }
        for user in model.users {
            for policy in user.policies {
                findings += Analyzer.analyze(NamedDocument(name: policy.name, document: policy.document), knowledge: knowledge, limit: .inlineUserPolicy)
            }
            if let boundary = user.boundary {
                findings += Analyzer.analyze(NamedDocument(name: boundary.name, document: boundary.document), knowledge: knowledge, limit: .managedPolicy)
            }
        }
        for resource in model.functions.compactMap({ $0.policy == nil ? nil : $0.asResource }) + model.resources {
            guard let policy = resource.policy else { continue }
            let limit: Analyzer.SizeLimit? =
                switch resource.kind {
                case .s3Bucket: .bucketPolicy
                case .kmsKey: .keyPolicy
                case .lambdaFunction: .functionPolicy
                default: nil  // SQS, SNS, Secrets Manager and EventBridge policies: their limits are not checked
                }
            findings += Analyzer.analyze(
                NamedDocument(name: "\(resource.resourceKind.policyNoun ?? "policy") of \(resource.alias ?? resource.name)", document: policy.document),
                knowledge: knowledge, limit: limit)
        }
        return findings
    }
}
