import AWSClient
import Foundation
import Testing

/// Shared config files from temporary files, and the order of the default chain.
@Suite(.timeLimit(.minutes(5))) struct DefaultChainTests {
    static let config = """
        # comment
        [default]
        region = us-west-2

        [profile base]
        region = eu-west-1
        s3 =
          max_concurrent_requests = 10

        [profile data]
        role_arn = arn:aws:iam::222222222222:role/DataRole
        source_profile = base
        role_session_name = data-session

        [profile audit]
        role_arn = arn:aws:iam::333333333333:role/AuditRole
        source_profile = data
        external_id = audit-external-id  ; inline comment
        duration_seconds = 900
        region = eu-central-1

        [profile from-env]
        role_arn = arn:aws:iam::222222222222:role/DataRole
        credential_source = Environment

        [profile loop-a]
        role_arn = arn:aws:iam::222222222222:role/A
        source_profile = loop-b

        [profile loop-b]
        role_arn = arn:aws:iam::222222222222:role/B
        source_profile = loop-a

        [sso-session corp]
        sso_region = us-east-1

        [not-a-profile]
        aws_access_key_id = NEVER
        """
    static let credentials = """
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = default-secret

        [base]
        aws_access_key_id = AKIABASE
        aws_secret_access_key = base-secret
        region = ap-south-1
        """

    /// Writes both files and returns an environment pointing at them (no HOME: nothing real is read).
    func files(_ extra: [String: String] = [:]) throws -> (TemporaryDirectory, [String: String]) {
        let directory = try TemporaryDirectory()
        var environment = [
            "AWS_CONFIG_FILE": try directory.write("config", Self.config), "AWS_SHARED_CREDENTIALS_FILE": try directory.write("credentials", Self.credentials),
        ]
        environment.merge(extra) { _, new in new }
        return (directory, environment)
    }

    @Test func parsesProfilesAsTheSDKsDo() throws {
        let files = SharedConfigFiles.parse(config: Self.config, credentials: Self.credentials)
        #expect(files.profiles["base"] == ["region": "ap-south-1", "aws_access_key_id": "AKIABASE", "aws_secret_access_key": "base-secret", "s3": ""])
        #expect(files.profiles["audit"]?["external_id"] == "audit-external-id")
        #expect(files.profiles["default"]?["region"] == "us-west-2")
        #expect(files.profiles["not-a-profile"] == nil, "config sections need the `profile ` prefix")
        #expect(files.profiles["corp"] == nil)
    }

    @Test func aRoleChainThroughSourceProfiles() async throws {
        let (directory, environment) = try files(["AWS_PROFILE": "audit"])
        defer { directory.remove() }
        let transport = ScriptedTransport([
            Responses.assumeRole(expiration: "2099-01-01T00:00:00Z", keyID: "ASIADATA"), Responses.assumeRole(expiration: "2099-01-01T00:00:00Z", keyID: "ASIAAUDIT"),
        ])
        let aws = try AWSConfiguration.fromEnvironment(environment, transport: transport)
        #expect(aws.region == "eu-central-1", "the region of the profile")
        #expect((aws.credentials as? DefaultCredentials)?.source == .profile)
        #expect(try await aws.credentials.credentials().accessKeyID == "ASIAAUDIT")
        let sent = transport.sent
        #expect(sent.count == 2)
        #expect(sent[0].header("Authorization")?.contains("Credential=AKIABASE/") == true, "the data role is assumed with base's keys")
        #expect(sent[0].bodyText.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FDataRole&RoleSessionName=data-session"))
        #expect(sent[1].header("Authorization")?.contains("Credential=ASIADATA/") == true, "the audit role is assumed with the data role's session")
        #expect(sent[1].bodyText.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A333333333333%3Arole%2FAuditRole"))
        #expect(sent[1].bodyText.contains("DurationSeconds=900&ExternalId=audit-external-id"))
        #expect(sent.allSatisfy { $0.url.host == "sts.eu-central-1.amazonaws.com" })
    }

    @Test func credentialSourceEnvironment() async throws {
        let files = SharedConfigFiles.parse(config: Self.config, credentials: "")
        let transport = ScriptedTransport([Responses.assumeRole(expiration: "2099-01-01T00:00:00Z", keyID: "ASIAFROMENV")])
        let base = testConfiguration(transport)
        let provider = try ProfileCredentials.provider(
            profile: "from-env", files: files, base: base, environment: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"])
        #expect(try await provider.credentials().accessKeyID == "ASIAFROMENV")
        #expect(transport.sent[0].header("Authorization")?.contains("Credential=AKIAENV/") == true)
    }

    @Test func credentialSourceEcsContainerAndWebIdentityTokenFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let tokenFile = try directory.write("token", "oidc-token")
        let files = SharedConfigFiles.parse(
            config: """
                [profile ecs]
                role_arn = arn:aws:iam::222222222222:role/DataRole
                credential_source = EcsContainer

                [profile oidc]
                role_arn = arn:aws:iam::111111111111:role/PodRole
                web_identity_token_file = \(tokenFile)
                role_session_name = ci
                """, credentials: "")
        let transport = ClosureTransport { request in
            if request.method == "GET" { return Responses.credentialsJSON(keyID: "ASIACONTAINER") }
            if request.bodyText.contains("AssumeRoleWithWebIdentity") { return Responses.assumeRoleWithWebIdentity(keyID: "ASIAOIDC") }
            return Responses.assumeRole(expiration: "2099-01-01T00:00:00Z", keyID: "ASIAECSROLE")
        }
        let base = testConfiguration(transport)
        let environment = ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"]
        let ecs = try ProfileCredentials.provider(profile: "ecs", files: files, base: base, environment: environment)
        #expect(try await ecs.credentials().accessKeyID == "ASIAECSROLE")
        #expect(transport.sent[0].url.absoluteString == "http://169.254.170.2/v2/credentials/x")
        #expect(transport.sent[1].header("Authorization")?.contains("Credential=ASIACONTAINER/") == true)
        let oidc = try ProfileCredentials.provider(profile: "oidc", files: files, base: base, environment: [:])
        #expect(try await oidc.credentials().accessKeyID == "ASIAOIDC")
        #expect(transport.sent[2].bodyText.contains("RoleSessionName=ci&WebIdentityToken=oidc-token"))
        #expect(transport.sent[2].header("Authorization") == nil)
    }

    @Test func aSourceProfileLoopIsAnError() {
        let files = SharedConfigFiles.parse(config: Self.config, credentials: "")
        #expect {
            _ = try ProfileCredentials.provider(profile: "loop-a", files: files, base: testConfiguration(ScriptedTransport([])), environment: [:])
        } throws: { ($0 as? AWSError)?.message.contains("loop-a → loop-b → loop-a") == true }
    }

    @Test func aNamedProfileThatDoesNotExistIsAnError() throws {
        let (directory, environment) = try files(["AWS_PROFILE": "nope", "AWS_REGION": "us-east-1"])
        defer { directory.remove() }
        #expect { _ = try AWSConfiguration.fromEnvironment(environment, transport: ScriptedTransport([])) } throws: {
            ($0 as? AWSError)?.kind == .missingCredentials && ($0 as? AWSError)?.message.contains("profile nope: not found") == true
        }
    }

    // MARK: Order

    func source(_ environment: [String: String]) throws -> CredentialSource? {
        var environment = environment
        environment["AWS_REGION"] = "us-east-1"
        return (try AWSConfiguration.fromEnvironment(environment, transport: ScriptedTransport([])).credentials as? DefaultCredentials)?.source
    }

    @Test func theChainFollowsTheSDKOrder() throws {
        let (directory, profile) = try files()
        defer { directory.remove() }
        let keys = ["AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "s"]
        let web = ["AWS_WEB_IDENTITY_TOKEN_FILE": directory.path + "/token", "AWS_ROLE_ARN": "arn:aws:iam::111111111111:role/PodRole"]
        let container = ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"]
        func merged(_ parts: [String: String]...) -> [String: String] { parts.reduce(into: [:]) { $0.merge($1) { a, _ in a } } }
        #expect(try source(merged(keys, web, profile, container)) == .environment)
        #expect(try source(merged(web, profile, container)) == .webIdentity)
        #expect(try source(merged(profile, container)) == .profile)
        #expect(try source(container) == .container)
        #expect(try source([:]) == .instanceMetadata)
        #expect { _ = try source(["AWS_EC2_METADATA_DISABLED": "true"]) } throws: { ($0 as? AWSError)?.code == "MissingCredentials" }
    }

    @Test func theDefaultProfileUsesStaticKeysAndItsRegion() async throws {
        let (directory, environment) = try files()
        defer { directory.remove() }
        let aws = try AWSConfiguration.fromEnvironment(environment, transport: ScriptedTransport([]))
        #expect(aws.region == "us-west-2")
        #expect(try await aws.credentials.credentials() == AWSCredentials(accessKeyID: "AKIADEFAULT", secretAccessKey: "default-secret"))
    }

    @Test func typedCodesKeepTheRawString() {
        let error = AWSError(kind: .service, code: "AccessDenied", message: "no", status: 403)
        #expect(error.errorCode == .accessDenied)
        #expect(error.code == "AccessDenied")
        #expect(error.code.hasPrefix("AccessDenied"))
        #expect(AWSErrorCode(rawValue: "ConditionalCheckFailedException") == .conditionalCheckFailedException)
        #expect(AWSErrorCode(rawValue: "SomethingNew") == .other("SomethingNew"))
        #expect(AWSErrorCode.other("SomethingNew").rawValue == "SomethingNew")
        #expect(AWSErrorCode.provisionedThroughputExceededException.isThrottling)
        #expect(AWSErrorCode.expiredTokenException.isExpiredToken && AWSErrorCode.expiredTokenException.isAccessError)
    }
}
