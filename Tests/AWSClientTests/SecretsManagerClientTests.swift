import AWSClient
import Foundation
import Testing

@Suite struct SecretsManagerClientTests {
    static func answer(_ json: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", "R-SM")], body: Array(json.utf8))
    }

    @Test func getSecretValueSendsJSON11AndReadsTheSecret() async throws {
        let transport = ScriptedTransport([
            Self.answer(
                #"{"ARN":"arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/orders/db-a1b2c3","CreatedDate":1.523477145713E9,"Name":"prod/orders/db","SecretString":"{\n  \"username\":\"orders\",\n  \"password\":\"EXAMPLE-PASSWORD\"\n}\n","VersionId":"EXAMPLE1-90ab-cdef-fedc-ba987SECRET1","VersionStages":["AWSCURRENT"]}"#
            )
        ])
        let secret = try await SecretsManager(configuration: testConfiguration(transport)).getSecretValue(secretID: "prod/orders/db")
        let request = try #require(transport.sent.first)
        let body = #"{"SecretId":"prod/orders/db"}"#
        #expect(request.method == "POST")
        #expect(request.wireURL == "https://secretsmanager.us-east-1.amazonaws.com")
        #expect(request.bodyText == body)
        #expect(
            request.wireHeaders == [
                "Host: secretsmanager.us-east-1.amazonaws.com", "Content-Type: application/x-amz-json-1.1",
                "X-Amz-Target: secretsmanager.GetSecretValue", "Content-Length: \(body.utf8.count)", "X-Amz-Date: \(TestSigning.timestamp)",
                "X-Amz-Security-Token: session",
                TestSigning.authorization("secretsmanager", "content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target"),
            ])
        #expect(secret.arn == "arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/orders/db-a1b2c3")
        #expect(secret.name == "prod/orders/db")
        #expect(secret.secretString == "{\n  \"username\":\"orders\",\n  \"password\":\"EXAMPLE-PASSWORD\"\n}\n")
        #expect(secret.secretBinary == nil)
        #expect(secret.versionID == "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1")
        #expect(secret.versionStages == ["AWSCURRENT"])
        #expect(abs((secret.createdDate?.timeIntervalSince1970 ?? 0) - 1_523_477_145.713) < 0.001)
    }

    @Test func binarySecretsAndVersionStages() async throws {
        let transport = ScriptedTransport([Self.answer(#"{"ARN":"a","Name":"n","SecretBinary":"AAEC","VersionStages":["AWSPREVIOUS"]}"#)])
        let secret = try await SecretsManager(configuration: testConfiguration(transport)).getSecretValue(secretID: "n", versionStage: "AWSPREVIOUS")
        #expect(transport.sent.first?.bodyText == #"{"SecretId":"n","VersionStage":"AWSPREVIOUS"}"#)
        #expect(secret.secretBinary == [0, 1, 2])
        #expect(secret.secretString == nil)
    }

    @Test func describeSecretReadsTheDocumentedShape() async throws {
        let transport = ScriptedTransport([
            Self.answer(
                #"{"ARN":"arn:aws:secretsmanager:us-east-1:111111111111:secret:prod/orders/db-a1b2c3","Description":"orders database","KmsKeyId":"arn:aws:kms:us-east-1:111111111111:key/EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE","LastAccessedDate":1.523923200E9,"LastChangedDate":1.523477145729E9,"Name":"prod/orders/db","RotationEnabled":true,"RotationLambdaARN":"arn:aws:lambda:us-east-1:111111111111:function:rotate","RotationRules":{"AutomaticallyAfterDays":30},"Tags":[{"Key":"team","Value":"orders"}],"VersionIdsToStages":{"EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE":["AWSPREVIOUS"],"EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE":["AWSCURRENT"]}}"#
            )
        ])
        let description = try await SecretsManager(configuration: testConfiguration(transport)).describeSecret(secretID: "prod/orders/db")
        #expect(transport.sent.first?.header("x-amz-target") == "secretsmanager.DescribeSecret")
        #expect(transport.sent.first?.bodyText == #"{"SecretId":"prod/orders/db"}"#)
        #expect(description.name == "prod/orders/db")
        #expect(description.description == "orders database")
        #expect(description.kmsKeyID == "arn:aws:kms:us-east-1:111111111111:key/EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE")
        #expect(description.rotationEnabled)
        #expect(description.rotationLambdaARN == "arn:aws:lambda:us-east-1:111111111111:function:rotate")
        #expect(description.tags == ["team": "orders"])
        #expect(
            description.versionIDsToStages
                == ["EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE": ["AWSPREVIOUS"], "EXAMPLE2-90ab-cdef-fedc-ba987EXAMPLE": ["AWSCURRENT"]])
        #expect(description.lastAccessedDate == Date(timeIntervalSince1970: 1_523_923_200))
        #expect(description.deletedDate == nil)
    }

    @Test func resourceNotFoundExceptionWithACapitalMessage() async throws {
        let transport = ScriptedTransport([
            Self.answer(#"{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}"#, status: 400)
        ])
        let manager = SecretsManager(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: { _ in })))
        let error = try #require(await awsError { _ = try await manager.getSecretValue(secretID: "prod/missing") })
        #expect(error.kind == .service)
        #expect(error.code == "ResourceNotFoundException")
        #expect(error.message == "Secrets Manager can't find the specified secret.")
        #expect(error.status == 400)
        #expect(error.requestID == "R-SM")
        #expect(error.operation == "GetSecretValue")
        #expect(transport.sent.count == 1)
    }
}
