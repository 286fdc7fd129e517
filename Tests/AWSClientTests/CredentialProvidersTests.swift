import AWSClient
import Foundation
import Testing

/// Each source of the default chain against a fake transport (no sockets, never 169.254.x.x) or temporary files.
@Suite(.timeLimit(.minutes(5))) struct CredentialProvidersTests {
    let now = Date(timeIntervalSince1970: 1_795_924_800)  // 2026-11-29T04:00:00Z

    // MARK: Container

    @Test func containerRelativeURIGoesToTheECSAgent() async throws {
        let transport = ClosureTransport { _ in Responses.credentialsJSON(keyID: "ASIACONTAINER") }
        let provider = ContainerCredentials.provider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/3f2a"], transport: transport, clock: { self.now })
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "ASIACONTAINER")
        #expect(credentials.sessionToken == "t")
        #expect(credentials.expiration == STS.parseISO8601("2099-01-01T00:00:00Z"))
        #expect(transport.sent.map { "\($0.method) \($0.url.absoluteString)" } == ["GET http://169.254.170.2/v2/credentials/3f2a"])
        #expect(transport.sent[0].header("Authorization") == nil)
        _ = try await provider.credentials()
        #expect(transport.sent.count == 1, "cached until the margin before Expiration")
    }

    @Test func containerFullURISendsTheTokenFromItsFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenFile = try directory.write("token", "pod-identity-token\n")
        let transport = ClosureTransport { _ in Responses.credentialsJSON(keyID: "ASIAPOD") }
        let environment = [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-when-the-file-is-set",
        ]
        let provider = ContainerCredentials.provider(environment: environment, transport: transport, clock: { self.now })
        #expect(try await provider.credentials().accessKeyID == "ASIAPOD")
        #expect(transport.sent[0].url.absoluteString == "http://169.254.170.23/v1/credentials")
        #expect(transport.sent[0].header("Authorization") == "pod-identity-token")
        let plain = try ContainerCredentials.request(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:8080/creds", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "abc"])
        #expect(plain.header("Authorization") == "abc")
    }

    @Test(arguments: ["http://example.com/creds", "ftp://127.0.0.1/creds"])
    func containerFullURIMustBeLocalOrHTTPS(_ uri: String) {
        #expect { _ = try ContainerCredentials.request(["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri]) } throws: {
            ($0 as? AWSError)?.code == "InvalidEndpoint"
        }
        #expect((try? ContainerCredentials.request(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example.com/x"])) != nil)
    }

    @Test func containerErrorsSayWhere() async {
        let transport = ClosureTransport { _ in HTTPResponse(status: 403) }
        let provider = ContainerCredentials.provider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/x"], transport: transport, clock: { self.now })
        await #expect { _ = try await provider.credentials() } throws: {
            guard let error = $0 as? AWSError else { return false }
            return error.kind == .missingCredentials && error.message.contains("container credentials endpoint answered HTTP 403")
        }
    }

    // MARK: IMDSv2

    static func imds(_ request: HTTPRequest) -> HTTPResponse {
        switch (request.method, URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.path ?? "") {
        case ("PUT", "/latest/api/token"): HTTPResponse(status: 200, body: Array("imds-token".utf8))
        case ("GET", "/latest/meta-data/iam/security-credentials/"):
            request.header("X-aws-ec2-metadata-token") == "imds-token" ? HTTPResponse(status: 200, body: Array("WebServerRole\n".utf8)) : HTTPResponse(status: 401)
        case ("GET", "/latest/meta-data/iam/security-credentials/WebServerRole"):
            request.header("X-aws-ec2-metadata-token") == "imds-token" ? Responses.credentialsJSON(keyID: "ASIAEC2") : HTTPResponse(status: 401)
        default: HTTPResponse(status: 404)
        }
    }

    @Test func instanceMetadataUsesIMDSv2() async throws {
        let transport = ClosureTransport { Self.imds($0) }
        let provider = try InstanceMetadataCredentials.provider(environment: [:], transport: transport, clock: { self.now })
        #expect(try await provider.credentials().accessKeyID == "ASIAEC2")
        #expect(
            transport.sent.map { "\($0.method) \($0.url.absoluteString)" } == [
                "PUT http://169.254.169.254/latest/api/token", "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "GET http://169.254.169.254/latest/meta-data/iam/security-credentials/WebServerRole",
            ])
        #expect(transport.sent[0].header("X-aws-ec2-metadata-token-ttl-seconds") == "21600")
    }

    @Test func instanceMetadataEndpointCanBeOverridden() async throws {
        let transport = ClosureTransport { Self.imds($0) }
        let provider = try InstanceMetadataCredentials.provider(
            environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1338/"], transport: transport, clock: { self.now })
        _ = try await provider.credentials()
        #expect(transport.sent.allSatisfy { $0.url.host == "127.0.0.1" && $0.url.port == 1338 })
    }

    @Test func aSilentMetadataServiceGivesUpAfterItsTimeout() async {
        let transport = HangingTransport()
        let provider = try? InstanceMetadataCredentials.provider(environment: [:], transport: transport, clock: { self.now }, sleep: { _ in })
        await #expect { _ = try await provider?.credentials() } throws: {
            ($0 as? AWSError)?.kind == .missingCredentials && ($0 as? AWSError)?.message.contains("did not answer PUT") == true
        }
        #expect(transport.calls == 1)
    }

    // MARK: Web identity

    @Test func webIdentityAssumesTheRoleUnsignedWithTheTokenFromItsFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenFile = try directory.write("token", "eyJhbGciOi.jwt.token\n")
        let transport = ScriptedTransport([Responses.assumeRoleWithWebIdentity()])
        let sts = STS(configuration: testConfiguration(transport, clock: { self.now }))
        let provider = try WebIdentityCredentials.provider(
            environment: [
                "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::111111111111:role/PodRole", "AWS_ROLE_SESSION_NAME": "pod",
            ], sts: sts)
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyID == "ASIAWEB")
        let request = try #require(transport.sent.first)
        #expect(request.header("Authorization") == nil, "AssumeRoleWithWebIdentity is unsigned")
        #expect(request.header("X-Amz-Security-Token") == nil)
        #expect(
            request.bodyText
                == "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FPodRole&RoleSessionName=pod&WebIdentityToken=eyJhbGciOi.jwt.token"
        )
    }

    // MARK: Assumed role: one clock, and valid credentials outlive a failed refresh

    @Test func aFailedRefreshInsideTheMarginKeepsServingValidCredentials() async throws {
        let clock = ManualClock(now)
        let unavailable = HTTPResponse(status: 503)
        let transport = ScriptedTransport([
            Responses.assumeRole(expiration: "2026-11-29T05:00:00Z", keyID: "ASIAFIRST"), unavailable, unavailable,
            Responses.assumeRole(expiration: "2026-11-29T06:00:00Z", keyID: "ASIASECOND"),
        ])
        // No `clock:` given: the provider uses the configuration's.
        let provider = AssumedRoleCredentials(
            sts: STS(configuration: testConfiguration(transport, clock: { clock.now })), roleARN: "arn:aws:iam::222222222222:role/DynamoDBAccessRole",
            sessionName: "orders-api")
        #expect(try await provider.credentials().accessKeyID == "ASIAFIRST")
        clock.advance(57 * 60)  // 04:57: inside the 5-minute margin, still valid
        #expect(try await provider.credentials().accessKeyID == "ASIAFIRST", "refresh failed, cached credentials still valid")
        #expect(transport.sent.count == 2)
        clock.advance(4 * 60)  // 05:01: expired; a failure now is an error
        await #expect(throws: AWSError.self) { _ = try await provider.credentials() }
        #expect(try await provider.credentials().accessKeyID == "ASIASECOND")
    }

    @Test func refreshingCredentialsServeUntilExpiryWhenTheSourceFails() async throws {
        let clock = ManualClock(now)
        let calls = Counter()
        let provider = RefreshingCredentials(name: "test", clock: { clock.now }) {
            if calls.next() == 0 { return AWSCredentials(accessKeyID: "A", secretAccessKey: "s", expiration: Date(timeIntervalSince1970: 1_795_924_800 + 600)) }
            throw AWSError(kind: .missingCredentials, code: "MissingCredentials", message: "down")
        }
        #expect(try await provider.credentials().accessKeyID == "A")
        clock.advance(400)  // inside the margin
        #expect(try await provider.credentials().accessKeyID == "A")
        let asProvider: any CredentialsProvider = provider  // as the client sees it after ExpiredToken
        await asProvider.invalidate()
        await #expect(throws: AWSError.self) { _ = try await provider.credentials() }
    }
}
