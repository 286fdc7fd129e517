import AWSClient
import Foundation

/// A transport that answers with a closure and records what it was sent (request shapes for the credential endpoints).
final class ClosureTransport: Transport, @unchecked Sendable {
    private let lock = NSLock()
    private var requests: [HTTPRequest] = []
    private let handler: @Sendable (HTTPRequest) async throws -> HTTPResponse

    init(_ handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        self.handler = handler
    }

    var sent: [HTTPRequest] { lock.withLock { requests } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { requests.append(request) }
        return try await handler(request)
    }
}

/// A transport that never answers (until cancelled; the timeout race does not even wait for that).
final class HangingTransport: Transport, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.withLock { count } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        lock.withLock { count += 1 }
        try await Task.sleep(for: .seconds(3600))
        throw CancellationError()
    }
}

/// Fixed credentials that count how often the client asked to forget them.
actor CountingProvider: CredentialsProvider {
    private(set) var invalidations = 0
    private var keyNumber = 1
    func credentials() async throws -> AWSCredentials {
        AWSCredentials(accessKeyID: "ASIAKEY\(keyNumber)", secretAccessKey: "secret", sessionToken: "token")
    }
    func invalidate() async {
        invalidations += 1
        keyNumber += 1
    }
}

/// A fresh directory under the temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "awsclient-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

extension HTTPRequest {
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}

extension Responses {
    static func stsError(_ code: String, status: Int) -> HTTPResponse {
        xml("<ErrorResponse><Error><Code>\(code)</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>", status: status)
    }

    static func credentialsJSON(keyID: String, expiration: String = "2099-01-01T00:00:00Z") -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: [("Content-Type", "application/json")],
            body: Array(#"{"Code":"Success","AccessKeyId":"\#(keyID)","SecretAccessKey":"s","Token":"t","Expiration":"\#(expiration)"}"#.utf8))
    }

    static func assumeRoleWithWebIdentity(keyID: String = "ASIAWEB") -> HTTPResponse {
        xml("""
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <SubjectFromWebIdentityToken>system:serviceaccount:orders:api</SubjectFromWebIdentityToken>
                <AssumedRoleUser>
                  <Arn>arn:aws:sts::111111111111:assumed-role/PodRole/pod</Arn>
                  <AssumedRoleId>AROAPOD:pod</AssumedRoleId>
                </AssumedRoleUser>
                <Credentials>
                  <SessionToken>token</SessionToken>
                  <SecretAccessKey>secret</SecretAccessKey>
                  <Expiration>2099-01-01T00:00:00Z</Expiration>
                  <AccessKeyId>\(keyID)</AccessKeyId>
                </Credentials>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>web-1</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>
            """)
    }
}
