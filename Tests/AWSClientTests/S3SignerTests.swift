import AWSClient
import Foundation
import Testing

/// S3's signing rules against AWS's published S3 examples (`S3SigV4Vectors`), stage by stage and through `sign`.
@Suite struct S3SignerTests {
    static func signer(unsignedPayload: Bool = false) -> SigV4Signer {
        SigV4Signer.s3(
            credentials: AWSCredentials(accessKeyID: S3SigV4Vectors.accessKeyID, secretAccessKey: S3SigV4Vectors.secret),
            region: S3SigV4Vectors.region, unsignedPayload: unsignedPayload)
    }

    static func request(_ example: S3SigV4Vectors.Example) -> HTTPRequest {
        HTTPRequest(method: example.method, url: URL(string: example.url)!, headers: example.headers, body: Array(example.body.utf8))
    }

    @Test(arguments: S3SigV4Vectors.examples)
    func signsLikeAWSsExamples(_ example: S3SigV4Vectors.Example) throws {
        let signer = Self.signer(unsignedPayload: example.unsignedPayload)
        let prepared = signer.prepare(Self.request(example), at: S3SigV4Vectors.date)
        let parts = signer.signature(for: prepared, at: S3SigV4Vectors.date)
        #expect(parts.canonicalRequest == example.canonicalRequest)
        #expect(SigV4Signer.hexSHA256(Array(parts.canonicalRequest.utf8)) == example.canonicalRequestHash)
        #expect(parts.stringToSign == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n\(example.canonicalRequestHash)")
        #expect(parts.signedHeaders == example.signedHeaders)
        #expect(parts.signature == example.signature)

        // The whole pipeline from the request as a client builds it: `sign` adds Host, the date and the payload hash.
        let signed = signer.sign(Self.request(example), at: S3SigV4Vectors.date)
        #expect(signed.header("x-amz-content-sha256") == (example.unsignedPayload ? "UNSIGNED-PAYLOAD" : SigV4Signer.hexSHA256(Array(example.body.utf8))))
        #expect(signed.header("x-amz-date") == "20130524T000000Z")
        #expect(
            signed.header("authorization")
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=\(example.signedHeaders), Signature=\(example.signature)"
        )
    }

    @Test func theDateHeaderIsSignedAsSent() {
        // The PUT example signs a `Date` header besides X-Amz-Date: changing it must change the signature.
        let example = S3SigV4Vectors.examples[1]
        var request = Self.request(example)
        request.headers[0].value = "Sat, 25 May 2013 00:00:00 GMT"
        #expect(Self.signer().sign(request, at: S3SigV4Vectors.date).header("authorization")?.hasSuffix(example.signature) == false)
    }

    @Test func otherServicesStillEncodeThePathTwice() {
        // The same key signed for a non-S3 service: every `%` of the wire path is encoded again.
        let plain = SigV4Signer(
            credentials: AWSCredentials(accessKeyID: S3SigV4Vectors.accessKeyID, secretAccessKey: S3SigV4Vectors.secret), region: "us-east-1",
            service: "service")
        #expect(plain.canonicalURI("/photos/2026%20summer/my%20file%2B1~%C3%BC.jpg") == "/photos/2026%2520summer/my%2520file%252B1~%25C3%25BC.jpg")
        let s3 = Self.signer()
        #expect(s3.canonicalURI("/photos/2026%20summer/my%20file%2B1~%C3%BC.jpg") == "/photos/2026%20summer/my%20file%2B1~%C3%BC.jpg")
        // S3 neither normalises nor drops empty segments: `a//b/./c/../d` is a key of its own.
        #expect(s3.canonicalURI("/bucket/a//b/./c/../d") == "/bucket/a//b/./c/../d")
        #expect(plain.canonicalURI("/bucket/a//b/./c/../d") == "/bucket/a/b/d")
        // A `+` in the path is a plus, not a space.
        #expect(s3.canonicalURI("/a+b") == "/a%2Bb")
    }

    @Test func unsignedPayloadIsNotTheBodysHash() {
        let body = Array("Welcome to Amazon S3.".utf8)
        #expect(Self.signer(unsignedPayload: true).payloadHash(body) == "UNSIGNED-PAYLOAD")
        #expect(Self.signer().payloadHash(body) == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
    }
}
