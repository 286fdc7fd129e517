import AWSClient
import Foundation
import Testing

@Suite struct SigV4SignerTests {
    let signer = SigV4Signer(
        credentials: AWSCredentials(accessKeyID: SigV4Vectors.accessKeyID, secretAccessKey: SigV4Vectors.secret),
        region: SigV4Vectors.region, service: SigV4Vectors.service
    )

    @Test(arguments: SigV4Vectors.headerSigned)
    func signsLikeTheConformanceSuite(_ vector: SigV4Vectors.Vector) {
        let request = SigV4Vectors.parse(vector.signedRequest)
        let parts = signer.signature(
            method: request.method, path: request.path, query: request.query, headers: request.signingHeaders,
            payloadHash: SigV4Signer.hexSHA256(request.body), at: SigV4Vectors.date
        )
        #expect(parts.signedHeaders == request.expectedSignedHeaders)
        #expect(parts.signature == request.expectedSignature)
        #expect(parts.authorization == request.authorization)
    }

    @Test func canonicalRequestStageOfTheFormPost() {
        let (text, signedHeaders) = signer.canonicalRequest(
            method: "POST", path: "/", query: "",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"), ("Content-Length", "13"),
                ("X-Amz-Date", "20150830T123600Z"),
            ],
            payloadHash: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        #expect(text == SigV4Vectors.postFormCanonicalRequest)
        #expect(signedHeaders == "content-length;content-type;host;x-amz-date")
        #expect(signer.stringToSign(canonicalRequest: text, at: SigV4Vectors.date) == SigV4Vectors.postFormStringToSign)
    }

    @Test func iamListUsersExampleStageByStage() {
        let iam = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: SigV4Vectors.accessKeyID, secretAccessKey: SigV4Vectors.secret), region: "us-east-1",
            service: "iam"
        )
        let (canonical, _) = iam.canonicalRequest(
            method: "GET", path: "/", query: "Action=ListUsers&Version=2010-05-08",
            headers: [
                ("Host", "iam.amazonaws.com"), ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                ("X-Amz-Date", "20150830T123600Z"),
            ],
            payloadHash: SigV4Signer.hexSHA256([])
        )
        #expect(canonical == SigV4Vectors.IAMListUsers.canonicalRequest)
        #expect(SigV4Signer.hexSHA256(Array(canonical.utf8)) == SigV4Vectors.IAMListUsers.canonicalRequestHash)
        let key = iam.signingKey(at: SigV4Vectors.date).map { String(format: "%02x", $0) }.joined()
        #expect(key == SigV4Vectors.IAMListUsers.signingKeyHex)

        // The whole pipeline from a plain request: Host and X-Amz-Date are added by `sign`.
        let request = HTTPRequest(
            method: "GET", url: URL(string: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")!,
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        )
        let signed = iam.sign(request, at: SigV4Vectors.date)
        #expect(signed.header("x-amz-date") == "20150830T123600Z")
        #expect(
            signed.header("authorization")
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=\(SigV4Vectors.IAMListUsers.signature)"
        )
    }

    @Test func signAddsAndSignsTheSessionToken() {
        let withToken = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: SigV4Vectors.accessKeyID, secretAccessKey: SigV4Vectors.secret, sessionToken: SigV4Vectors.sessionToken),
            region: SigV4Vectors.region, service: SigV4Vectors.service
        )
        let signed = withToken.sign(HTTPRequest(method: "GET", url: URL(string: "https://example.amazonaws.com/")!), at: SigV4Vectors.date)
        let expected = SigV4Vectors.parse(SigV4Vectors.headerSigned[0].signedRequest)
        #expect(signed.header("x-amz-security-token") == SigV4Vectors.sessionToken)
        #expect(signed.header("authorization") == expected.authorization)
    }

    @Test func signsTheBodyHashWhenAsked() {
        var hashing = signer
        hashing.signsContentHash = true
        let vector = SigV4Vectors.parse(SigV4Vectors.headerSigned.last!.signedRequest)
        let request = HTTPRequest(
            method: "POST", url: URL(string: "https://example.amazonaws.com/")!,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"), ("Content-Length", "13")],
            body: Array("Param1=value1".utf8)
        )
        let signed = hashing.sign(request, at: SigV4Vectors.date)
        #expect(signed.header("x-amz-content-sha256") == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e")
        #expect(signed.header("authorization") == vector.authorization)
    }

    @Test func resigningReplacesTheOldSignature() {
        let request = HTTPRequest(method: "GET", url: URL(string: "https://example.amazonaws.com/")!)
        let once = signer.sign(request, at: SigV4Vectors.date)
        let twice = signer.sign(once, at: SigV4Vectors.date)
        #expect(twice.headers.filter { $0.name.lowercased() == "authorization" }.count == 1)
        #expect(twice.header("authorization") == once.header("authorization"))
    }

    @Test func timestampsRoundTrip() {
        #expect(SigV4Signer.timestamp(SigV4Vectors.date) == "20150830T123600Z")
        #expect(SigV4Signer.day(SigV4Vectors.date) == "20150830")
        #expect(SigV4Signer.parseTimestamp("20150830T123600Z") == SigV4Vectors.date)
        #expect(SigV4Signer.parseTimestamp("2015-08-30T12:36:00Z") == nil)
        #expect(SigV4Signer.parseTimestamp("20151330T123600Z") == nil)
    }

    @Test func hostHeaderKeepsNonDefaultPorts() {
        #expect(SigV4Signer.hostHeader(for: URL(string: "http://127.0.0.1:5000/")!) == "127.0.0.1:5000")
        #expect(SigV4Signer.hostHeader(for: URL(string: "https://sts.us-east-1.amazonaws.com:443/")!) == "sts.us-east-1.amazonaws.com")
    }
}
