@testable import AWSClient
import Foundation
import Testing

@Suite struct S3ClientTests {
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    static func s3Answer(status: Int = 200, _ headers: [(String, String)], body: String = "") -> HTTPResponse {
        HTTPResponse(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: Array(body.utf8))
    }

    static func xmlError(status: Int, code: String, message: String, requestID: String = "4442587FB7D0A2F9") -> HTTPResponse {
        s3Answer(
            status: status, [("Content-Type", "application/xml"), ("x-amz-request-id", requestID)],
            body: """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>\(code)</Code><Message>\(message)</Message><Key>2026/11/report.csv</Key><RequestId>\(requestID)</RequestId><HostId>host-id</HostId></Error>
                """)
    }

    @Test func getObjectIsVirtualHostedWithTheKeyEncodedOnce() async throws {
        let transport = ScriptedTransport([
            Self.s3Answer(
                status: 206,
                [
                    ("Content-Length", "10"), ("Content-Type", "text/csv"), ("ETag", "\"9b2cf535f27731c974343645a3985328\""),
                    ("Last-Modified", "Wed, 18 Nov 2026 11:06:40 GMT"), ("Content-Range", "bytes 0-9/443"), ("x-amz-meta-Owner", "billing"),
                    ("x-amz-server-side-encryption", "aws:kms"),
                    ("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
                    ("x-amz-version-id", "3HL4kqtJlcpXroDTDmJ"), ("x-amz-request-id", "318BC8BC148832E5"),
                ], body: "id,total\n1"),
        ])
        let s3 = S3(configuration: testConfiguration(transport))
        let object = try await s3.getObject(bucket: "orders-archive", key: "2026/11/report #1+ü~.csv", range: "bytes=0-9")

        let request = try #require(transport.sent.first)
        #expect(request.method == "GET")
        #expect(request.wireURL == "https://orders-archive.s3.us-east-1.amazonaws.com/2026/11/report%20%231%2B%C3%BC~.csv")
        #expect(request.body.isEmpty)
        #expect(
            request.wireHeaders == [
                "Host: orders-archive.s3.us-east-1.amazonaws.com", "Range: bytes=0-9", "X-Amz-Date: \(TestSigning.timestamp)",
                "X-Amz-Security-Token: session", "X-Amz-Content-Sha256: \(Self.emptyHash)",
                TestSigning.authorization("s3", "host;range;x-amz-content-sha256;x-amz-date;x-amz-security-token"),
            ])

        #expect(object.body == Array("id,total\n1".utf8))
        #expect(object.info.contentLength == 10)
        #expect(object.info.contentType == "text/csv")
        #expect(object.info.eTag == "\"9b2cf535f27731c974343645a3985328\"")
        #expect(object.info.lastModified == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(object.info.contentRange == "bytes 0-9/443")
        #expect(object.info.metadata == ["owner": "billing"])
        #expect(object.info.versionID == "3HL4kqtJlcpXroDTDmJ")
        #expect(object.info.requestID == "318BC8BC148832E5")
        #expect(
            object.info.encryption
                == S3.Encryption(algorithm: "aws:kms", kmsKeyID: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"))
    }

    @Test func putObjectWithSSEKMSGoesPathStyleToAnOverriddenEndpoint() async throws {
        let transport = ScriptedTransport([
            Self.s3Answer([
                ("ETag", "\"6805f2cfc46c0f04559748bb039d69ae\""), ("x-amz-server-side-encryption", "aws:kms"),
                ("x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
                ("x-amz-server-side-encryption-bucket-key-enabled", "true"), ("x-amz-request-id", "R-PUT"),
            ])
        ])
        var configuration = testConfiguration(transport)
        configuration.defaultEndpoint = URL(string: "http://127.0.0.1:4566")!
        let body = Array(#"{"total":12.5}"#.utf8)
        let result = try await S3(configuration: configuration).putObject(
            bucket: "orders-archive", key: "receipts/r+1.json", body: body, contentType: "application/json", metadata: ["source": "orders-api"],
            encryption: .kms(keyID: "alias/orders", bucketKeyEnabled: true))

        let request = try #require(transport.sent.first)
        #expect(request.method == "PUT")
        #expect(request.wireURL == "http://127.0.0.1:4566/orders-archive/receipts/r%2B1.json")
        #expect(request.body == body)
        #expect(
            request.wireHeaders == [
                "Host: 127.0.0.1:4566", "Content-Type: application/json", "x-amz-meta-source: orders-api", "x-amz-server-side-encryption: aws:kms",
                "x-amz-server-side-encryption-aws-kms-key-id: alias/orders", "x-amz-server-side-encryption-bucket-key-enabled: true",
                "Content-Length: 14", "X-Amz-Date: \(TestSigning.timestamp)", "X-Amz-Security-Token: session",
                "X-Amz-Content-Sha256: \(SigV4Signer.hexSHA256(body))",
                TestSigning.authorization(
                    "s3",
                    "content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-source;x-amz-security-token;x-amz-server-side-encryption;x-amz-server-side-encryption-aws-kms-key-id;x-amz-server-side-encryption-bucket-key-enabled"
                ),
            ])
        #expect(result.eTag == "\"6805f2cfc46c0f04559748bb039d69ae\"")
        #expect(result.requestID == "R-PUT")
        #expect(
            result.encryption
                == S3.Encryption(
                    algorithm: "aws:kms", kmsKeyID: "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab", bucketKeyEnabled: true))
    }

    @Test func putObjectCanSignUNSIGNEDPAYLOAD() async throws {
        let transport = ScriptedTransport([Self.s3Answer([("ETag", "\"e\"")])])
        _ = try await S3(configuration: testConfiguration(transport)).putObject(
            bucket: "orders-archive", key: "big.bin", body: [1, 2, 3], encryption: .s3Managed, signsPayload: false)
        let request = try #require(transport.sent.first)
        #expect(request.header("x-amz-content-sha256") == "UNSIGNED-PAYLOAD")
        #expect(request.header("x-amz-server-side-encryption") == "AES256")
        #expect(request.header("content-type") == "application/octet-stream")
        // What was signed is the request as sent, with UNSIGNED-PAYLOAD in place of the body's hash.
        let signer = SigV4Signer.s3(
            credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "session"), region: "us-east-1",
            unsignedPayload: true)
        var unsigned = request
        unsigned.headers.removeAll { $0.name == "Authorization" }
        let parts = signer.signature(for: unsigned, at: Date(timeIntervalSince1970: 1_795_000_000))
        #expect(parts.canonicalRequest.hasSuffix("\nUNSIGNED-PAYLOAD"))
        #expect(request.header("authorization") == parts.authorization)
    }

    @Test(arguments: [
        // Configured path style, AWS's endpoint.
        (true, "orders-archive", "https://s3.us-east-1.amazonaws.com/orders-archive/a/b.txt"),
        // A dotted bucket cannot be a host label under the TLS wildcard: path style.
        (false, "orders.archive", "https://s3.us-east-1.amazonaws.com/orders.archive/a/b.txt"),
        (false, "orders-archive", "https://orders-archive.s3.us-east-1.amazonaws.com/a/b.txt"),
    ])
    func addressing(_ pathStyle: Bool, _ bucket: String, _ url: String) async throws {
        let transport = ScriptedTransport([Self.s3Answer([("Content-Length", "0")])])
        var configuration = testConfiguration(transport)
        configuration.s3PathStyle = pathStyle
        _ = try await S3(configuration: configuration).headObject(bucket: bucket, key: "a/b.txt")
        #expect(transport.sent.first?.wireURL == url)
        #expect(transport.sent.first?.method == "HEAD")
    }

    @Test func listObjectsV2SendsItsQueryAndReadsThePage() async throws {
        let transport = ScriptedTransport([
            Self.s3Answer(
                [("Content-Type", "application/xml"), ("x-amz-request-id", "R-LIST")],
                body: """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
                      <Name>orders-archive</Name>
                      <Prefix>2026/</Prefix>
                      <KeyCount>2</KeyCount>
                      <MaxKeys>2</MaxKeys>
                      <Delimiter>/</Delimiter>
                      <IsTruncated>true</IsTruncated>
                      <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
                      <Contents>
                        <Key>2026/summary &amp; totals.csv</Key>
                        <LastModified>2026-11-18T11:06:40.000Z</LastModified>
                        <ETag>"599bab3ed2c697f1d26842727561fd94"</ETag>
                        <Size>857</Size>
                        <StorageClass>STANDARD</StorageClass>
                      </Contents>
                      <CommonPrefixes><Prefix>2026/11/</Prefix></CommonPrefixes>
                    </ListBucketResult>
                    """)
        ])
        let page = try await S3(configuration: testConfiguration(transport)).listObjectsV2(
            bucket: "orders-archive", prefix: "2026/", delimiter: "/", maxKeys: 2, continuationToken: "abc=")
        let request = try #require(transport.sent.first)
        #expect(request.method == "GET")
        #expect(request.wireURL == "https://orders-archive.s3.us-east-1.amazonaws.com/?list-type=2&continuation-token=abc%3D&delimiter=%2F&max-keys=2&prefix=2026%2F")
        #expect(request.header("content-length") == nil)
        #expect(page.bucket == "orders-archive")
        #expect(page.prefix == "2026/")
        #expect(page.keyCount == 2)
        #expect(page.isTruncated)
        #expect(page.nextContinuationToken == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=")
        #expect(
            page.objects == [
                S3.ListedObject(
                    key: "2026/summary & totals.csv", lastModified: Date(timeIntervalSince1970: 1_795_000_000), eTag: "\"599bab3ed2c697f1d26842727561fd94\"",
                    size: 857, storageClass: "STANDARD")
            ])
        #expect(page.commonPrefixes == ["2026/11/"])
    }

    @Test func noSuchKeyIsReadFromS3sErrorDocument() async throws {
        let transport = ScriptedTransport([Self.xmlError(status: 404, code: "NoSuchKey", message: "The specified key does not exist.")])
        let s3 = S3(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: { _ in })))
        let error = try #require(await awsError { _ = try await s3.getObject(bucket: "orders-archive", key: "2026/11/report.csv") })
        #expect(error.kind == .service)
        #expect(error.code == "NoSuchKey")
        #expect(error.message == "The specified key does not exist.")
        #expect(error.status == 404)
        #expect(error.requestID == "4442587FB7D0A2F9")
        #expect(error.service == "s3")
        #expect(error.operation == "GetObject")
        #expect(transport.sent.count == 1)
    }

    @Test func accessDeniedIsAnAccessErrorAndNotRetried() async throws {
        let transport = ScriptedTransport([Self.xmlError(status: 403, code: "AccessDenied", message: "Access Denied")])
        let s3 = S3(configuration: testConfiguration(transport, retry: RetryPolicy(sleep: { _ in })))
        let error = try #require(await awsError { _ = try await s3.putObject(bucket: "orders-archive", key: "k", body: [1]) })
        #expect(error.code == "AccessDenied")
        #expect(error.message == "Access Denied")
        #expect(error.isAccessError)
        #expect(error.operation == "PutObject")
        #expect(transport.sent.count == 1)
    }

    @Test(arguments: [(404, "NotFound"), (403, "Forbidden"), (412, "PreconditionFailed")])
    func headErrorsWithoutABodyAreNamedByTheirStatus(_ status: Int, _ code: String) async throws {
        let transport = ScriptedTransport([Self.s3Answer(status: status, [("x-amz-request-id", "R-HEAD")])])
        let s3 = S3(configuration: testConfiguration(transport))
        let error = try #require(await awsError { _ = try await s3.headObject(bucket: "orders-archive", key: "missing.csv") })
        #expect(error.kind == .service)
        #expect(error.code == code)
        #expect(error.status == status)
        #expect(error.requestID == "R-HEAD")
        #expect(error.operation == "HeadObject")
    }

    @Test func emptyKeysAndBucketsAreRefusedBeforeSending() async throws {
        let transport = ScriptedTransport([])
        let s3 = S3(configuration: testConfiguration(transport))
        #expect(await awsError { _ = try await s3.getObject(bucket: "orders-archive", key: "") }?.kind == .invalidParameter)
        #expect(await awsError { _ = try await s3.listObjectsV2(bucket: "") }?.kind == .invalidParameter)
        #expect(transport.sent.isEmpty)
    }
}
