import Model
import Policy
import TestSupport
import Testing

/// The kinds as data agree with AWS's Service Authorization Reference: every kind's resource type exists in the action
/// catalog, and every ARN the model derives for a resource of that kind fits the catalog's ARN format.
@Suite struct ResourceKindTests {
    @Test(arguments: ResourceKind.all)
    func everyKindHasACatalogARNFormat(_ kind: ResourceKind) throws {
        let format = try #require(kind.arnFormat, "\(kind.id): no resource type \(kind.catalogType) of \(kind.service) in the catalog")
        #expect(format.hasPrefix("arn:${Partition}:\(kind.service):"))
    }

    @Test func derivedARNsFitTheirKindsFormat() throws {
        let content = try TemporaryContent(model: validModel)
        defer { content.remove() }
        let model = try content.load()
        var derived: [(ResourceKind, String)] = model.roles.map { (.iamRole, $0.arn) } + model.functions.map { (.lambdaFunction, $0.arn) }
        for table in model.tables {
            derived.append((.dynamoDBTable, table.arn))
            derived += table.indexes.map { (.dynamoDBIndex, table.indexARN($0)) }
        }
        #expect(derived.count >= 4)
        for (kind, arn) in derived {
            let type = try #require(ServiceCatalog.service(kind.service)?.resourceTypes[kind.catalogType])
            #expect(ServiceCatalog.resource(arn, canMatch: type), "\(arn) does not fit \(type.arnFormat)")
        }
    }

    @Test func anIndexIsCoveredByItsTablesPolicy() {
        #expect(ResourceKind.dynamoDBIndex.policyHolder == .dynamoDBTable)
        #expect(ResourceKind.dynamoDBTable.policyHolder == .dynamoDBTable)
        #expect(ResourceKind.iamRole.policyNoun == "trust policy")
        #expect(ResourceKind.lambdaFunction.policyNoun == "resource-based policy")
        #expect(ResourceKind.s3Object.policyHolder == .s3Bucket)
        #expect(ResourceKind.kmsKey.policyNoun == "key policy" && ResourceKind.kmsKey.policyMustAllow)
        #expect(ResourceKind.ecsTask.policyNoun == nil)
    }
}
