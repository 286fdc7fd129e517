import Foundation
import Model
import Policy
import Resolution
import Testing

/// The new kinds through the one resolution: a call on an encrypted resource includes the KMS calls its service makes
/// with the caller's credentials, each decided by the engine; a refused one refuses the step with KMS's message; a
/// service principal's delivery carries its resource as `aws:SourceArn`; a key's policy must allow every use.
@Suite struct ImpliedKeyStepTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples").standardized.path

    func resolved(_ example: String) throws -> (Model, ModelResolution) {
        let model = try ModelLoader.load(contentDirectory: Self.examples + "/" + example)
        return (model, Resolver.resolve(model))
    }

    @Test func readingAnSSEKMSObjectImpliesDecryptAndWritingGenerateDataKey() throws {
        let (_, resolution) = try resolved("lambda-to-s3-kms")
        let get = try #require(resolution.step("bucket-and-key-policies", 1))
        #expect(get.decision == .allowed)
        #expect(get.resourceARN == "arn:aws:s3:::acme-data-reports/reports/2026/q1.csv")
        #expect(get.request.resourceAccount == "602222222222", "a bucket's owner comes from the model, not its ARN")
        #expect(get.implied.map(\.action) == ["kms:Decrypt"])
        let decrypt = try #require(get.implied.first)
        #expect(decrypt.isImplied && decrypt.number == 1)
        #expect(decrypt.resourceARN == "arn:aws:kms:eu-central-1:602222222222:key/0d5c8f3e-1a2b-4c3d-9e8f-7a6b5c4d3e2f")
        #expect(decrypt.request.context["kms:ViaService"]?.values == ["s3.eu-central-1.amazonaws.com"])
        #expect(decrypt.request.context["kms:CallerAccount"]?.values == ["601111111111"])
        #expect(decrypt.request.context["kms:EncryptionContext:aws:s3:arn"]?.values == [get.resourceARN])
        #expect(decrypt.policies.map(\.kind) == [.identity, .keyPolicy])
        let put = try #require(resolution.step("bucket-and-key-policies", 2))
        #expect(put.implied.map(\.action) == ["kms:GenerateDataKey"])
        // ListBucket reads no object: no key is used.
        #expect(try #require(resolution.step("bucket-and-key-policies", 3)).implied.isEmpty)
        // Without the key policy's grant the allowed read would fail: the key policy is one of its requirements.
        #expect(get.requirements.contains { $0.policy.kind == .keyPolicy })
    }

    @Test func aRefusedKeyCallRefusesTheStepWithKMSsMessage() throws {
        let (model, resolution) = try resolved("lambda-to-s3-kms")
        let step = try #require(resolution.step("key-policy-left-out", 1))
        #expect(step.decision == .implicitDeny && step.ok)
        // The bucket's own policies allow the read: the step's own statements matched as Allows.
        #expect(step.matched.filter { $0.effect == .allow }.count == 2)
        let decrypt = try #require(step.deniedImplied)
        #expect(decrypt.policies.first { $0.kind == .keyPolicy }?.name == "default key policy")
        #expect(step.message == decrypt.message)
        #expect(step.message?.contains("kms:Decrypt on resource: arn:aws:kms:eu-central-1:602222222222:key/") == true)
        let wording = CauseWording(step, model: model)
        #expect(wording.sentence?.contains("S3 calls kms:Decrypt on key alias/data-archive with the caller's credentials") == true)
        #expect(wording.label?.hasPrefix("kms:Decrypt on key alias/data-archive refused") == true)
        #expect(wording.remedy?.contains("in the key policy of key alias/data-archive") == true)
    }

    @Test func theKeysPolicyMustAllowEvenWithinItsAccount() throws {
        // An identity policy of the key's own account allows Decrypt, but the key policy names nobody: denied.
        let (model, _) = try resolved("lambda-to-s3-kms")
        var changed = model
        let index = try #require(changed.resources.firstIndex { $0.key == "reportsKey" })
        changed.resources[index].policy?.document.statements = []
        let resolution = Resolver.resolve(changed)
        let get = try #require(resolution.step("bucket-and-key-policies", 1))
        #expect(get.decision == .implicitDeny)
        #expect(get.deniedImplied?.cause?.slot == .resource)
    }

    @Test func aSecretOnTheAWSManagedKeyCannotBeReadFromAnotherAccount() throws {
        let (_, resolution) = try resolved("lambda-to-secret")
        let crossAccount = try #require(resolution.step("aws-managed-key", 1))
        #expect(crossAccount.decision == .implicitDeny)
        let decrypt = try #require(crossAccount.deniedImplied)
        #expect(AWSManagedKey.isManaged(decrypt.target.key))
        #expect(decrypt.target.displayName == "alias/aws/secretsmanager")
        #expect(decrypt.cause?.conditions.first?.key == "kms:CallerAccount")
        // The same key serves a caller of its own account.
        let sameAccount = try #require(resolution.step("same-account-user", 1))
        #expect(sameAccount.decision == .allowed)
        #expect(sameAccount.request.principalType == .user)
        #expect(sameAccount.callerARN == "arn:aws:iam::622222222222:user/ci/secret-rotation-check")
        #expect(sameAccount.implied.first?.decision == .allowed)
    }

    @Test func aServiceDeliversWithItsResourceAsSourceArn() throws {
        let (_, resolution) = try resolved("sns-to-sqs")
        let delivery = try #require(resolution.step("topic-to-queue", 2))
        #expect(delivery.decision == .allowed)
        #expect(delivery.callerARN == "sns.amazonaws.com")
        #expect(delivery.request.principalType == .service)
        #expect(delivery.request.context["aws:SourceArn"]?.values == ["arn:aws:sns:us-west-2:611111111111:order-events"])
        #expect(delivery.request.context["aws:SourceAccount"]?.values == ["611111111111"])
        // A service principal has no identity policies and no SCPs: only the queue's policy decides.
        #expect(delivery.policies.map(\.kind) == [.resourcePolicy])
        #expect(delivery.implied.map(\.action) == ["kms:GenerateDataKey", "kms:Decrypt"])
        let wrong = try #require(resolution.step("wrong-source-arn", 1))
        #expect(wrong.decision == .implicitDeny)
        #expect(wrong.cause?.conditions.first?.key == "aws:SourceArn")
    }

    @Test func acrossAccountsAnInvocationNeedsBothSides() throws {
        let (_, resolution) = try resolved("cross-account-invoke")
        #expect(try #require(resolution.step("function-policy-and-identity", 1)).decision == .allowed)
        let denied = try #require(resolution.step("account-grant-only", 1))
        #expect(denied.decision == .implicitDeny && denied.cause?.slot == .identity && denied.crossAccount)
    }

    @Test func everyExampleChecks() throws {
        for example in ["lambda-to-s3-kms", "sns-to-sqs", "lambda-to-secret", "cross-account-invoke"] {
            let (_, resolution) = try resolved(example)
            #expect(resolution.ok, "\(example)")
        }
    }
}
