import Model
import Policy
import TestSupport
import Testing

/// `resources:` (S3 buckets, KMS keys, queues, topics, secrets, event buses), `users:` and the step fields they bring
/// (`object:`, a resource as a delivering caller) load with ARNs from the catalog's formats, and every mistake is a
/// located error.
@Suite struct ResourceTests {
    func load(_ model: String) throws -> (Model?, [String]) {
        let content = try TemporaryContent(model: model)
        defer { content.remove() }
        let errors = content.errors()
        return (errors.isEmpty ? try content.load() : nil, errors)
    }

    /// The fixture model with `yaml` (written indented by four spaces) inserted before its tables, and `steps` (each a
    /// flow mapping) appended as one more option.
    func with(_ yaml: String, steps: [String] = []) -> String {
        let block = yaml.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix("    ") ? String($0.dropFirst(4)) : String($0) }
        precondition(validModel.contains("\ntables:\n"))
        var text = validModel.replacingOccurrences(of: "\ntables:\n", with: "\n" + block.joined(separator: "\n") + "tables:\n")
        if !steps.isEmpty {
            text += "\n  - id: extra\n    title: Extra\n    policyLives: x\n    bestFor: y\n    steps:\n"
            for step in steps { text += "      - \(step)\n" }
        }
        return text
    }

    static let resources = """
        resources:
          reports: { kind: s3-bucket, account: B, name: acme-reports, key: reportsKey }
          reportsKey: { kind: kms-key, account: B, name: 0d5c8f3e-1a2b-4c3d-9e8f-7a6b5c4d3e2f, alias: alias/reports }
          inbox: { kind: sqs-queue, account: B, name: inbox.fifo }
          events: { kind: sns-topic, account: A, name: order-events }
          password: { kind: secret, account: B, name: prod/db, suffix: Ab12Cd }
          bus: { kind: event-bus, account: B, name: central }
        users:
          ci: { account: A, name: ci-deployer, path: /ci/ }

    """

    @Test func resourcesDeriveTheirARNsFromTheCatalogFormats() throws {
        let (loaded, errors) = try load(with(Self.resources))
        #expect(errors == [])
        let model = try #require(loaded)
        let arns = Dictionary(uniqueKeysWithValues: model.resources.map { ($0.key, $0.arn) })
        #expect(arns["reports"] == "arn:aws:s3:::acme-reports")
        #expect(arns["reportsKey"] == "arn:aws:kms:us-east-1:222222222222:key/0d5c8f3e-1a2b-4c3d-9e8f-7a6b5c4d3e2f")
        #expect(arns["inbox"] == "arn:aws:sqs:us-east-1:222222222222:inbox.fifo")
        #expect(arns["events"] == "arn:aws:sns:us-east-1:111111111111:order-events")
        #expect(arns["password"] == "arn:aws:secretsmanager:us-east-1:222222222222:secret:prod/db-Ab12Cd")
        #expect(arns["bus"] == "arn:aws:events:us-east-1:222222222222:event-bus/central")
        #expect(model.resource("reports")?.encryptionKey == "reportsKey")
        #expect(model.user("ci")?.arn == "arn:aws:iam::111111111111:user/ci/ci-deployer")
        for resource in model.resources {
            let kind = resource.resourceKind
            let type = try #require(ServiceCatalog.service(kind.service)?.resourceTypes[kind.catalogType])
            #expect(ServiceCatalog.resource(resource.arn, canMatch: type), "\(resource.arn) does not fit \(type.arnFormat)")
        }
    }

    @Test func stepsOnResourcesAndFromServicesLoad() throws {
        let (model, errors) = try load(with(Self.resources, steps: [
            "{ caller: fn, action: s3:GetObject, target: reports, object: daily/2026-01-01.csv }",
            "{ caller: fn, action: s3:ListBucket, target: reports }",
            "{ caller: events, action: sqs:SendMessage, target: inbox }",
            "{ caller: ci, action: secretsmanager:GetSecretValue, target: password }",
            "{ caller: fn, action: lambda:InvokeFunction, target: fn }",
        ]))
        #expect(errors == [])
        let steps = try #require(model?.option("extra")?.steps)
        #expect(steps[0].target == .resource("reports") && steps[0].object == "daily/2026-01-01.csv")
        #expect(steps[2].caller == .service("events"))
        #expect(steps[3].caller == .user("ci"))
        #expect(steps[4].target == .resource("fn"))
    }

    @Test func mistakesAreLocatedErrors() throws {
        let (_, errors) = try load(with("""
            resources:
              a: { kind: s3-bukket, account: B }
              b: { kind: s3-bucket, account: B, name: Not_A_Bucket }
              c: { kind: kms-key, account: B, name: not-a-uuid }
              d: { kind: sqs-queue, account: B, key: nowhere }
              e: { kind: sqs-queue, account: B, key: f }
              f: { kind: sns-topic, account: A }
              g: { kind: event-bus, account: B, key: f }
              h: { kind: s3-bucket, account: B, name: same-bucket }
              i: { kind: s3-bucket, account: A, name: same-bucket }
              fn: { kind: sns-topic, account: A }
              j: { kind: kms-key, account: B, name: 0d5c8f3e-1a2b-4c3d-9e8f-7a6b5c4d3e2f, alias: alias/aws/mine }

            """, steps: [
                "{ caller: fn, action: s3:GetObject, target: h }",
                "{ caller: fn, action: s3:ListBucket, target: h, object: x }",
                "{ caller: fn, action: kms:Decrypt, target: h }",
                "{ caller: h, action: sqs:SendMessage, target: e }",
                "{ caller: fn, action: ec2:RunInstances, target: h }",
            ]))
        func has(_ text: String) -> Bool { errors.contains { $0.contains(text) } }
        #expect(has("error: resource 'a': unknown kind 's3-bukket'; did you mean 's3-bucket'?"), "\(errors)")
        #expect(has("error: bucket name \"Not_A_Bucket\" is not valid: S3 allows 3–63 lower-case letters"), "\(errors)")
        #expect(has("error: key name \"not-a-uuid\" is not valid: KMS allows a key id"), "\(errors)")
        #expect(has("queue 'd': unknown KMS key 'nowhere'"), "\(errors)")
        #expect(has("queue 'e': 'key' must name a kms-key resource; 'f' is a topic"), "\(errors)")
        #expect(has("event bus 'g': 'key' names the KMS key that encrypts a resource; an event bus takes none"), "\(errors)")
        #expect(has("two buckets named 'same-bucket'") && has("bucket names are global"), "\(errors)")
        #expect(has("'fn' is both a resource and a function, role, user or table key"), "\(errors)")
        #expect(has("alias \"alias/aws/mine\" must be 'alias/'"), "\(errors)")
        #expect(has("s3:GetObject acts on an object: name it"), "\(errors)")
        #expect(has("s3:ListBucket acts on the bucket, not an object: remove 'object'"), "\(errors)")
        #expect(has("the target of kms:Decrypt must be a key of the model, found 'h'"), "\(errors)")
        #expect(has("caller 'h' is a bucket") == false)  // a bucket delivers as s3.amazonaws.com: a valid caller
        #expect(has("service 'ec2' is not modelled"), "\(errors)")
        #expect(errors.allSatisfy { $0.range(of: #"^model\.yml:\d+:\d+: error: "#, options: .regularExpression) != nil }, "\(errors)")
    }

    @Test func aResourceWithoutADeliveringServiceCannotCall() throws {
        let (_, errors) = try load(with("""
            resources:
              k: { kind: kms-key, account: B, name: 0d5c8f3e-1a2b-4c3d-9e8f-7a6b5c4d3e2f }
              q: { kind: sqs-queue, account: B }

            """, steps: ["{ caller: k, action: sqs:SendMessage, target: q }"]))
        #expect(errors.contains { $0.contains("caller 'k' is a key, which makes no calls of its own") }, "\(errors)")
    }
}
