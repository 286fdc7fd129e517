import Foundation
import Model
import Policy
import Resolution
import TestSupport
import Testing

/// Models that are not the seed's shape, each with a denial whose cause is known; the cause must be the element that
/// really decided, and every wording must say so.
@Suite struct CauseTests {
    static let trustA = #"{ Version: "2012-10-17", Statement: { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole } }"#

    func resolve(_ yaml: String) throws -> (Model, ModelResolution) {
        let content = try TemporaryContent(model: yaml)
        defer { content.remove() }
        let model = try content.load()
        return (model, Resolver.resolve(model))
    }

    @Test func orgConditionThatFailsIsTheCauseNotAMissingPolicy() throws {
        let (model, resolution) = try resolve("""
            title: Org table
            accounts:
              A: { id: "111111111111", name: App, organization: o-other00000 }
              B: { id: "222222222222", name: Data, organization: o-a1b2c3d4e5 }
            roles:
              Exec:
                account: A
                trust: \(Self.trustA)
                policies:
                  Read: { Version: "2012-10-17", Statement: { Effect: Allow, Action: dynamodb:GetItem, Resource: "arn:aws:dynamodb:us-east-1:222222222222:table/Things" } }
            functions:
              fn: { account: A, role: Exec }
            tables:
              Things:
                account: B
                policy:
                  Version: "2012-10-17"
                  Statement:
                    - Sid: OrgOnly
                      Effect: Allow
                      Principal: "*"
                      Action: dynamodb:GetItem
                      Resource: "*"
                      Condition: { StringEquals: { aws:PrincipalOrgID: o-a1b2c3d4e5 } }
            options:
              - id: o
                title: O
                policyLives: B
                bestFor: orgs
                steps:
                  - { caller: fn, action: dynamodb:GetItem, target: Things, expect: implicitDeny }
            """)
        let step = try #require(resolution.step("o", 1))
        #expect(step.decision == .implicitDeny)
        #expect(step.ok)
        let cause = try #require(step.cause)
        #expect(cause.kind == .conditionFailed)
        #expect(cause.slot == .resource)
        let condition = try #require(cause.conditions.first)
        #expect(condition.key == "aws:PrincipalOrgID")
        #expect(condition.expected == ["o-a1b2c3d4e5"])
        #expect(condition.actual == ["o-other00000"])
        #expect(condition.statement.sid == "OrgOnly")
        let wording = CauseWording(step, model: model)
        #expect(wording.sentence?.contains("StringEquals aws:PrincipalOrgID \"o-a1b2c3d4e5\"") == true)
        #expect(wording.sentence?.contains("\"o-other00000\"") == true)
        #expect(wording.sentence?.contains("no policy") == false)
        #expect(wording.label?.contains("aws:PrincipalOrgID") == true)
        #expect(step.message?.hasSuffix("because no resource-based policy allows the dynamodb:GetItem action") == true)
    }

    static let chain = """
        title: Chain
        accounts:
          A: { id: "111111111111", name: App }
          H: { id: "333333333333", name: Hub, scps: { NoDeletes: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: "*", Resource: "*" }, { Sid: DenyDeletes, Effect: Deny, Action: "dynamodb:DeleteItem", Resource: "*" } ] } } }
          D: { id: "444444444444", name: Data }
        roles:
          Exec:
            account: A
            trust: \(trustA)
            policies:
              Hop: { Version: "2012-10-17", Statement: { Effect: Allow, Action: sts:AssumeRole, Resource: "arn:aws:iam::333333333333:role/Hub" } }
          Hub:
            account: H
            trust:
              Version: "2012-10-17"
              Statement:
                - Sid: FromApp
                  Effect: Allow
                  Principal: { AWS: "arn:aws:iam::111111111111:role/Exec" }
                  Action: sts:AssumeRole
                  Condition: { StringEquals: { sts:ExternalId: hub-4711 } }
            policies:
              Next: { Version: "2012-10-17", Statement: [ { Effect: Allow, Action: sts:AssumeRole, Resource: "arn:aws:iam::444444444444:role/Reader" }, { Effect: Allow, Action: "dynamodb:*", Resource: "*" } ] }
          Reader:
            account: D
            trust: { Version: "2012-10-17", Statement: { Effect: Allow, Principal: { AWS: "arn:aws:iam::333333333333:role/Hub" }, Action: sts:AssumeRole } }
            policies:
              Read: { Version: "2012-10-17", Statement: { Effect: Allow, Action: dynamodb:GetItem, Resource: "arn:aws:dynamodb:us-east-1:444444444444:table/Things" } }
        functions:
          fn: { account: A, role: Exec }
        tables:
          Things: { account: D }
          HubTable: { account: H }
        options:
          - id: chain
            title: Chain
            policyLives: everywhere
            bestFor: hubs
            steps:
              - { caller: fn, action: sts:AssumeRole, target: Hub, session: hop1, externalId: hub-4711 }
              - { caller: Hub, action: sts:AssumeRole, target: Reader, session: hop2 }
              - { caller: Reader, action: dynamodb:GetItem, target: Things }
              - { caller: Hub, action: dynamodb:DeleteItem, target: HubTable, expect: explicitDeny }
          - id: no-external-id
            title: Without the ExternalId
            policyLives: H
            bestFor: showing the guard
            steps:
              - { caller: fn, action: sts:AssumeRole, target: Hub, session: hop1, expect: implicitDeny }
        """

    @Test func chainCarriesItsLineageAndEachHopIsRequired() throws {
        let (_, resolution) = try resolve(Self.chain)
        let steps = try #require(resolution.option("chain")?.steps)
        #expect(resolution.ok)
        #expect(steps[2].callerARN == "arn:aws:sts::444444444444:assumed-role/Reader/hop2")
        let hops = steps[2].caller.credentials.hops
        #expect(hops.count == 2)
        #expect(steps[2].caller.credentials.rootFunction == "fn")
        if case .session(let role, let session, _, let made, _) = hops[0] {
            #expect(role == "Hub" && session == "hop1" && made == 1)
        } else {
            Issue.record("the first hop is not the Hub session")
        }
        // The trust policy with its ExternalId is a requirement of step 1: without it, AssumeRole is refused.
        let trust = steps[0].requirements.map(\.policy.label)
        #expect(trust.contains("trust policy of role Hub"))
        #expect(trust.contains("identity policy Hop of role Exec"))
    }

    @Test func scpDenyIsAnExplicitDenyThatNothingOverrides() throws {
        let (model, resolution) = try resolve(Self.chain)
        let step = try #require(resolution.step("chain", 4))
        #expect(step.decision == .explicitDeny)
        let cause = try #require(step.cause)
        #expect(cause.kind == .explicitDeny)
        #expect(cause.slot == .serviceControl)
        #expect(cause.statement?.sid == "DenyDeletes")
        #expect(cause.policies.first?.label == "SCP NoDeletes of account H")
        let wording = CauseWording(step, model: model)
        #expect(wording.sentence?.contains("nothing can override it") == true)
        #expect(wording.remedy?.hasPrefix("Nothing can override an explicit Deny") == true)
        #expect(step.message?.hasSuffix("with an explicit deny in a service control policy") == true)
        // The SCP is shown among the step's deciding policies (the guide lists it).
        #expect(step.decidingPolicies.map(\.kind) == [.serviceControl])
    }

    @Test func missingExternalIdIsAFailedConditionNamingTheId() throws {
        let (model, resolution) = try resolve(Self.chain)
        let step = try #require(resolution.step("no-external-id", 1))
        #expect(step.decision == .implicitDeny)
        let condition = try #require(step.cause?.conditions.first)
        #expect(condition.key == "sts:ExternalId")
        #expect(condition.actual.isEmpty)
        let wording = CauseWording(step, model: model)
        #expect(wording.sentence?.contains("the request has no sts:ExternalId") == true)
        #expect(wording.remedy == "Pass ExternalId \"hub-4711\" in the AssumeRole call, as the trust policy of role Hub requires.")
    }

    @Test func crossAccountWithoutTheCallersSideNamesThatSide() throws {
        let (model, resolution) = try resolve("""
            title: Missing side
            accounts:
              A: { id: "111111111111", name: App }
              B: { id: "222222222222", name: Data }
            roles:
              Exec: { account: A, trust: \(Self.trustA) }
            functions:
              fn: { account: A, role: Exec }
            tables:
              Things:
                account: B
                policy: { Version: "2012-10-17", Statement: { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/Exec" }, Action: dynamodb:GetItem, Resource: "*" } }
            options:
              - { id: o, title: O, policyLives: B, bestFor: x, steps: [ { caller: fn, action: dynamodb:GetItem, target: Things, expect: implicitDeny } ] }
            """)
        let step = try #require(resolution.step("o", 1))
        let cause = try #require(step.cause)
        #expect(cause.slot == .identity && cause.crossAccount && cause.kind == .noPolicy)
        let wording = CauseWording(step, model: model)
        #expect(wording.sentence?.contains("both sides must allow it") == true)
        #expect(wording.remedy?.contains("across accounts the resource's policy alone is not enough") == true)
    }

    @Test func sameAccountSessionGrantNeedsNoIdentityPolicy() throws {
        let (_, resolution) = try resolve("""
            title: Same account
            accounts:
              A: { id: "111111111111", name: App }
            roles:
              Exec: { account: A, trust: \(Self.trustA) }
            functions:
              fn: { account: A, name: api, role: Exec }
            tables:
              Things:
                account: A
                policy: { Version: "2012-10-17", Statement: { Sid: Session, Effect: Allow, Principal: { AWS: "arn:aws:sts::111111111111:assumed-role/Exec/api" }, Action: dynamodb:GetItem, Resource: "*" } }
            options:
              - { id: o, title: O, policyLives: A, bestFor: x, steps: [ { caller: fn, action: dynamodb:GetItem, target: Things } ] }
            """)
        let step = try #require(resolution.step("o", 1))
        #expect(step.decision == .allowed)
        #expect(step.decidingPolicies.map(\.kind) == [.tablePolicy])
        #expect(step.requirements.map(\.policy.kind) == [.tablePolicy])
        #expect(step.target.tableReference == "Things")
    }

    @Test func severalFunctionsEachCallWithTheirOwnCredentials() throws {
        let (_, resolution) = try resolve("""
            title: Two functions
            accounts:
              A: { id: "111111111111", name: App }
            roles:
              P: { account: A, trust: \(Self.trustA), policies: { R: { Version: "2012-10-17", Statement: { Effect: Allow, Action: dynamodb:GetItem, Resource: "*" } } } }
              S: { account: A, trust: \(Self.trustA), policies: { Q: { Version: "2012-10-17", Statement: { Effect: Allow, Action: dynamodb:Query, Resource: "*" } } } }
            functions:
              producer: { account: A, role: P }
              scanner: { account: A, role: S }
            tables:
              Things: { account: A, indexes: [ByKind] }
            options:
              - id: o
                title: O
                policyLives: A
                bestFor: x
                steps:
                  - { caller: producer, action: dynamodb:GetItem, target: Things }
                  - { caller: scanner, action: dynamodb:Query, target: Things, index: ByKind }
            """)
        let steps = try #require(resolution.option("o")?.steps)
        #expect(resolution.ok)
        #expect(steps[0].caller.credentials == .function(key: "producer"))
        #expect(steps[1].caller.credentials == .function(key: "scanner"))
        #expect(steps[1].callerARN == "arn:aws:sts::111111111111:assumed-role/S/scanner")
    }
}
