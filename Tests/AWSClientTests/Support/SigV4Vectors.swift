import AWSClient
import Foundation

/// Published SigV4 conformance vectors, copied as data from `awslabs/aws-c-auth`,
/// `tests/aws-signing-test-suite/v4/<name>/header-signed-request.txt` (commit 4ec99f28 unless noted), and the
/// IAM `ListUsers` example of AWS's "Signature Version 4" documentation. Nothing here was produced by our signer.
enum SigV4Vectors {
    /// `context.json` shared by the suite: credentials, region, service and time.
    static let accessKeyID = "AKIDEXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let sessionToken = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
    static let region = "us-east-1"
    static let service = "service"
    /// 2015-08-30T12:36:00Z
    static let date = Date(timeIntervalSince1970: 1_440_938_160)

    /// A signed request as the suite prints it: request line, `Name:value` headers, blank line, body.
    struct Vector: Sendable, CustomStringConvertible {
        var name: String
        var signedRequest: String
        var description: String { name }
    }

    static let headerSigned: [Vector] = [
        Vector(name: "get-vanilla-with-session-token", signedRequest: """
            GET / HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8
            X-Amz-Date:20150830T123600Z
            X-Amz-Security-Token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267


            """),
        Vector(name: "get-utf8", signedRequest: """
            GET /ሴ HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-space-normalized", signedRequest: """
            GET /example space/ HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-vanilla-query-order-key-case", signedRequest: """
            GET /?Param2=value2&Param1=value1 HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-slashes-normalized", signedRequest: """
            GET //example// HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-slash-dot-slash-normalized", signedRequest: """
            GET /./ HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-relative-relative-normalized", signedRequest: """
            GET /example1/example2/../.. HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-unreserved", signedRequest: """
            GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-vanilla-query-unreserved", signedRequest: """
            GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-vanilla-utf8-query", signedRequest: """
            GET /?ሴ=bar HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-vanilla-empty-query-key", signedRequest: """
            GET /?Param1=value1 HTTP/1.1
            Host:example.amazonaws.com
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-header-value-trim", signedRequest: """
            GET / HTTP/1.1
            Host:example.amazonaws.com
            My-Header1: value1
            My-Header2: "a   b   c"
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature=acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-header-key-duplicate", signedRequest: """
            GET / HTTP/1.1
            Host:example.amazonaws.com
            My-Header1:value2
            My-Header1:value2
            My-Header1:value1
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea
            X-Amz-Date:20150830T123600Z


            """),
        Vector(name: "get-header-value-order", signedRequest: """
            GET / HTTP/1.1
            Host:example.amazonaws.com
            My-Header1:value4
            My-Header1:value1
            My-Header1:value3
            My-Header1:value2
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;my-header1;x-amz-date, Signature=08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01
            X-Amz-Date:20150830T123600Z


            """),
        // commit 71a25bde: the body's hash is signed as x-amz-content-sha256.
        Vector(name: "post-x-www-form-urlencoded", signedRequest: """
            POST / HTTP/1.1
            Content-Type:application/x-www-form-urlencoded
            Host:example.amazonaws.com
            Content-Length:13
            x-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e
            Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b
            X-Amz-Date:20150830T123600Z

            Param1=value1
            """),
    ]

    /// post-x-www-form-urlencoded, `header-canonical-request.txt` and `header-string-to-sign.txt` (commit e70d49e6):
    /// the stages for a request whose payload hash is given as the empty-body hash.
    static let postFormCanonicalRequest = """
        POST
        /

        content-length:13
        content-type:application/x-www-form-urlencoded
        host:example.amazonaws.com
        x-amz-date:20150830T123600Z

        content-length;content-type;host;x-amz-date
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        """
    static let postFormStringToSign = """
        AWS4-HMAC-SHA256
        20150830T123600Z
        20150830/us-east-1/service/aws4_request
        0eccf3fbe5a3c5d3df1d87c98cdf5dbde190d26aabdd91c9407db930a0c00896
        """

    /// AWS documentation, "Signature Version 4 signing process" example: IAM ListUsers.
    enum IAMListUsers {
        static let canonicalRequest = """
            GET
            /
            Action=ListUsers&Version=2010-05-08
            content-type:application/x-www-form-urlencoded; charset=utf-8
            host:iam.amazonaws.com
            x-amz-date:20150830T123600Z

            content-type;host;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """
        static let canonicalRequestHash = "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"
        static let signingKeyHex = "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9"
        static let signature = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    }

    /// A request as the suite prints it, split into parts (the path and query stay as on the request line).
    struct ParsedRequest {
        var method: String
        var path: String
        var query: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        var authorization: String

        /// The headers the signer sees: everything but `Authorization`.
        var signingHeaders: [(name: String, value: String)] { headers.filter { $0.name.lowercased() != "authorization" } }
        var expectedSignature: String { String(authorization.split(separator: "Signature=").last ?? "") }
        var expectedSignedHeaders: String {
            String(authorization.split(separator: "SignedHeaders=").last?.split(separator: ",").first ?? "")
        }
    }

    static func parse(_ text: String) -> ParsedRequest {
        let parts = text.components(separatedBy: "\n\n")
        let head = parts[0].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let body = parts.dropFirst().joined(separator: "\n\n").trimmingCharacters(in: .newlines)
        let requestLine = head[0]
        let method = String(requestLine.prefix { $0 != " " })
        let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
        let question = target.firstIndex(of: "?")
        let path = question.map { String(target[..<$0]) } ?? target
        let query = question.map { String(target[target.index(after: $0)...]) } ?? ""
        var headers: [(name: String, value: String)] = []
        var authorization = ""
        for line in head.dropFirst() where !line.isEmpty {
            let colon = line.firstIndex(of: ":")!
            let name = String(line[..<colon])
            let value = String(line[line.index(after: colon)...])
            headers.append((name: name, value: value))
            if name == "Authorization" { authorization = value }
        }
        return ParsedRequest(method: method, path: path, query: query, headers: headers, body: Array(body.utf8), authorization: authorization)
    }
}

/// AWS's S3 SigV4 examples ("Signature Calculations for the Authorization Header: Transferring Payload in a Single
/// Chunk", Amazon S3 API Reference): the canonical requests, the hashes in their strings to sign and the signatures,
/// copied as data. The last two cases have no published vector: their canonical requests follow S3's rules by hand
/// and their signatures were computed with Python's `hmac`/`hashlib` from those texts (the `GET` one also equals
/// what botocore 1.43.11's `S3SigV4Auth` signs for the same request), never by our signer.
enum S3SigV4Vectors {
    static let accessKeyID = "AKIAIOSFODNN7EXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let region = "us-east-1"
    /// 2013-05-24T00:00:00Z
    static let date = Date(timeIntervalSince1970: 1_369_353_600)
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    struct Example: Sendable, CustomStringConvertible {
        var name: String
        var method: String
        /// As sent: the path and query on the request line.
        var url: String
        /// Headers besides Host, X-Amz-Date and X-Amz-Content-Sha256 (which the signer adds).
        var headers: [(name: String, value: String)]
        var body: String
        var unsignedPayload: Bool
        var canonicalRequest: String
        /// The last line of the string to sign: the canonical request's SHA-256.
        var canonicalRequestHash: String
        var signedHeaders: String
        var signature: String
        var description: String { name }
    }

    static let examples: [Example] = [
        Example(
            name: "GET Object (Range)", method: "GET", url: "https://examplebucket.s3.amazonaws.com/test.txt", headers: [("Range", "bytes=0-9")], body: "",
            unsignedPayload: false,
            canonicalRequest: """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            canonicalRequestHash: "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
            signedHeaders: "host;range;x-amz-content-sha256;x-amz-date",
            signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        ),
        Example(
            name: "PUT Object", method: "PUT", url: "https://examplebucket.s3.amazonaws.com/test$file.text",
            headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")], body: "Welcome to Amazon S3.",
            unsignedPayload: false,
            canonicalRequest: """
                PUT
                /test%24file.text

                date:Fri, 24 May 2013 00:00:00 GMT
                host:examplebucket.s3.amazonaws.com
                x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
                x-amz-date:20130524T000000Z
                x-amz-storage-class:REDUCED_REDUNDANCY

                date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class
                44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
                """,
            canonicalRequestHash: "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
            signedHeaders: "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
            signature: "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
        ),
        Example(
            name: "GET Bucket Lifecycle", method: "GET", url: "https://examplebucket.s3.amazonaws.com/?lifecycle", headers: [], body: "",
            unsignedPayload: false,
            canonicalRequest: """
                GET
                /
                lifecycle=
                host:examplebucket.s3.amazonaws.com
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            canonicalRequestHash: "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
            signedHeaders: "host;x-amz-content-sha256;x-amz-date",
            signature: "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"
        ),
        Example(
            name: "GET Bucket (List Objects)", method: "GET", url: "https://examplebucket.s3.amazonaws.com/?max-keys=2&prefix=J", headers: [], body: "",
            unsignedPayload: false,
            canonicalRequest: """
                GET
                /
                max-keys=2&prefix=J
                host:examplebucket.s3.amazonaws.com
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            canonicalRequestHash: "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
            signedHeaders: "host;x-amz-content-sha256;x-amz-date",
            signature: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
        ),
        // Not published: the PUT example with UNSIGNED-PAYLOAD in the header and in place of the body's hash.
        Example(
            name: "PUT Object, UNSIGNED-PAYLOAD", method: "PUT", url: "https://examplebucket.s3.amazonaws.com/test$file.text",
            headers: [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")], body: "Welcome to Amazon S3.",
            unsignedPayload: true,
            canonicalRequest: """
                PUT
                /test%24file.text

                date:Fri, 24 May 2013 00:00:00 GMT
                host:examplebucket.s3.amazonaws.com
                x-amz-content-sha256:UNSIGNED-PAYLOAD
                x-amz-date:20130524T000000Z
                x-amz-storage-class:REDUCED_REDUNDANCY

                date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class
                UNSIGNED-PAYLOAD
                """,
            canonicalRequestHash: "54d7700ff4231fe9464fdf78b5abd5f70fcebbd7b27d809fc4199b2a3ebc2dcb",
            signedHeaders: "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
            signature: "91c6efc02b5801e55e03b4a83a22d6b4f85a6010fa94d5a87f88e41c5ee1bf46"
        ),
        // Not published: a key with a space, `+`, `~`, `/` and a non-ASCII letter ("photos/2026 summer/my file+1~ü.jpg"),
        // encoded once on the wire and left as it is in the canonical URI (other services would encode it again).
        Example(
            name: "GET Object, key encoded once", method: "GET",
            url: "https://examplebucket.s3.amazonaws.com/photos/2026%20summer/my%20file%2B1~%C3%BC.jpg", headers: [], body: "",
            unsignedPayload: false,
            canonicalRequest: """
                GET
                /photos/2026%20summer/my%20file%2B1~%C3%BC.jpg

                host:examplebucket.s3.amazonaws.com
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """,
            canonicalRequestHash: "14bd44891ea06400e800978bfb3515c23ea296f1a21a41b59d96cd4448a72c48",
            signedHeaders: "host;x-amz-content-sha256;x-amz-date",
            signature: "ed537ffc280343bc70a3b88c9e6b78bc2b900270a057bc5360b3def5f84c1173"
        ),
    ]
}
