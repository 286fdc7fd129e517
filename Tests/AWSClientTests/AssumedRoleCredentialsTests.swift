import AWSClient
import Foundation
import Testing

@Suite struct AssumedRoleCredentialsTests {
    @Test func cachesUntilTheMarginBeforeExpirationThenRefreshes() async throws {
        // 2026-11-29T04:00:00Z and an hour-long session.
        let start = Date(timeIntervalSince1970: 1_795_924_800)
        let clock = ManualClock(start)
        let transport = ScriptedTransport([
            Responses.assumeRole(expiration: "2026-11-29T05:00:00.000Z", keyID: "ASIAFIRST"),
            Responses.assumeRole(expiration: "2026-11-29T06:00:00Z", keyID: "ASIASECOND"),
        ])
        let sts = STS(configuration: testConfiguration(transport, clock: { clock.now }))
        let provider = AssumedRoleCredentials(
            sts: sts, roleARN: "arn:aws:iam::222222222222:role/DynamoDBAccessRole", sessionName: "orders-api", refreshMargin: 300,
            clock: { clock.now }
        )
        #expect(try await provider.credentials().accessKeyID == "ASIAFIRST")
        clock.advance(54 * 60)  // 04:54, more than 5 minutes left
        #expect(try await provider.credentials().accessKeyID == "ASIAFIRST")
        #expect(transport.sent.count == 1)
        clock.advance(2 * 60)  // 04:56, inside the margin
        #expect(try await provider.credentials().accessKeyID == "ASIASECOND")
        #expect(transport.sent.count == 2)
        #expect(try await provider.session().assumedRoleARN == "arn:aws:sts::222222222222:assumed-role/DynamoDBAccessRole/orders-api")
    }

    @Test func concurrentCallersShareOneAssumeRole() async throws {
        let transport = ScriptedTransport([Responses.assumeRole(expiration: "2099-01-01T00:00:00Z")])
        let provider = AssumedRoleCredentials(
            sts: STS(configuration: testConfiguration(transport)), roleARN: "arn:aws:iam::222222222222:role/DynamoDBAccessRole", sessionName: "orders-api"
        )
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.credentials().accessKeyID } }
            for try await key in group { #expect(key == "ASIAEXAMPLE") }
        }
        #expect(transport.sent.count == 1)
    }

    @Test func aFailedRefreshIsReportedAndRetriedNextTime() async throws {
        let denied = Responses.xml(
            "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error><RequestId>r</RequestId></ErrorResponse>", status: 403)
        let transport = ScriptedTransport([denied, Responses.assumeRole(expiration: "2099-01-01T00:00:00Z")])
        let provider = AssumedRoleCredentials(
            sts: STS(configuration: testConfiguration(transport)), roleARN: "arn:aws:iam::222222222222:role/DynamoDBAccessRole", sessionName: "orders-api"
        )
        await #expect(throws: AWSError.self) { _ = try await provider.credentials() }
        #expect(try await provider.credentials().accessKeyID == "ASIAEXAMPLE")
    }
}
