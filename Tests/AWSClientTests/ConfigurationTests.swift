import AWSClient
import Foundation
import Testing

@Suite struct ConfigurationTests {
    let lambda = [
        "AWS_ACCESS_KEY_ID": "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token", "AWS_REGION": "eu-west-1",
        "AWS_DEFAULT_REGION": "us-west-2",
    ]

    @Test func readsTheLambdaEnvironment() async throws {
        let aws = try AWSConfiguration.fromEnvironment(lambda)
        #expect(aws.region == "eu-west-1")
        #expect(aws.endpoint(for: .sts).absoluteString == "https://sts.eu-west-1.amazonaws.com")
        #expect(aws.endpoint(for: .dynamodb).absoluteString == "https://dynamodb.eu-west-1.amazonaws.com")
        let credentials = try await aws.credentials.credentials()
        #expect(credentials == AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token"))
    }

    @Test func defaultRegionIsTheFallback() throws {
        var environment = lambda
        environment["AWS_REGION"] = nil
        #expect(try AWSConfiguration.fromEnvironment(environment).region == "us-west-2")
    }

    @Test func endpointsFromTheEnvironment() throws {
        var environment = lambda
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:5000"
        environment["AWS_ENDPOINT_URL_DYNAMODB"] = "http://localhost:8000"
        let aws = try AWSConfiguration.fromEnvironment(environment)
        #expect(aws.endpoint(for: .sts).absoluteString == "http://127.0.0.1:5000")
        #expect(aws.endpoint(for: .dynamodb).absoluteString == "http://localhost:8000")
        environment["AWS_ENDPOINT_URL_STS"] = "https://sts.example.test"
        #expect(try AWSConfiguration.fromEnvironment(environment).endpoint(for: .sts).absoluteString == "https://sts.example.test")
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://example.com", "not a url", "http://"])
    func nonHTTPEndpointsAreRefused(_ endpoint: String) {
        var environment = lambda
        environment["AWS_ENDPOINT_URL_STS"] = endpoint
        #expect {
            _ = try AWSConfiguration.fromEnvironment(environment)
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.code == "InvalidEndpoint" && error.message.contains("AWS_ENDPOINT_URL_STS")
        }
    }

    @Test func missingCredentialsNameTheVariables() {
        var environment = lambda
        environment["AWS_SECRET_ACCESS_KEY"] = nil
        #expect {
            _ = try AWSConfiguration.fromEnvironment(environment)
        } throws: { error in
            guard let error = error as? AWSError else { return false }
            return error.kind == .missingCredentials && error.message.contains("AWS_SECRET_ACCESS_KEY is not set")
        }
    }

    @Test func missingRegionIsClear() {
        var environment = lambda
        environment["AWS_REGION"] = nil
        environment["AWS_DEFAULT_REGION"] = nil
        #expect {
            _ = try AWSConfiguration.fromEnvironment(environment)
        } throws: { error in
            (error as? AWSError)?.code == "MissingRegion"
        }
    }

    @Test func credentialsProviderFailureSurfacesWithTheOperation() async {
        let aws = AWSConfiguration(region: "us-east-1", credentials: EnvironmentCredentials(environment: [:]), transport: ScriptedTransport([]))
        do {
            _ = try await STS(configuration: aws).getCallerIdentity()
            Issue.record("expected MissingCredentials")
        } catch let error as AWSError {
            #expect(error.kind == .missingCredentials)
            #expect(error.operation == "GetCallerIdentity")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func urlSessionTransportRefusesNonHTTPURLs() async {
        let request = HTTPRequest(method: "POST", url: URL(string: "file:///tmp/x")!)
        await #expect {
            _ = try await URLSessionTransport().send(request)
        } throws: { error in
            (error as? AWSError)?.code == "InvalidEndpoint"
        }
    }

    @Test func urlSessionTransportReportsConnectionFailures() async {
        // Port 9 on loopback: nothing listens; no traffic leaves the machine.
        let request = HTTPRequest(method: "POST", url: URL(string: "http://127.0.0.1:9/")!)
        await #expect {
            _ = try await URLSessionTransport().send(request)
        } throws: { error in
            (error as? AWSError)?.kind == .transport
        }
    }

    @Test func credentialsNeverPrintTheSecret() {
        let credentials = AWSCredentials(accessKeyID: "AKID", secretAccessKey: "very-secret", sessionToken: "FQoGZXIvYXdzEXAMPLE")
        #expect(!"\(credentials)".contains("very-secret"))
        #expect(!"\(credentials)".contains("FQoGZXIvYXdzEXAMPLE"))
    }
}
