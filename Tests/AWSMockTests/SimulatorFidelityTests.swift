// The simulator answers as AWS does and never allows what AWS would deny: credentials nobody can guess, the scope
// checked against the endpoint, the fine-grained DynamoDB keys, session policies, tags and source identity, STS's
// own validation and words, DynamoDB's key types, index schemas and projections, reserved words and checksums.
import AWSClient
import AWSMock
import Foundation
import Model
import Testing
import TestSupport

let fidelityModel = """
    title: Fidelity
    region: us-east-1
    accounts:
      A: { id: "111111111111", name: App }
      B: { id: "222222222222", name: Data }
    roles:
      Exec:
        account: A
        trust:
          Version: "2012-10-17"
          Statement: { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
        policies:
          Assume:
            Version: "2012-10-17"
            Statement:
              - { Effect: Allow, Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity], Resource: "arn:aws:iam::222222222222:role/*" }
      Reader:
        account: B
        trust:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:role/Exec" }, Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity] }
        policies:
          PerCustomer:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [dynamodb:GetItem, dynamodb:Query, dynamodb:PutItem]
                Resource: ["arn:aws:dynamodb:us-east-1:222222222222:table/Orders", "arn:aws:dynamodb:us-east-1:222222222222:table/Orders/index/*"]
                Condition: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["customer-1"] } }
          Tagged:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: dynamodb:DescribeTable
                Resource: "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"
                Condition: { StringEquals: { "aws:PrincipalTag/team": blue } }
              - Effect: Allow
                Action: dynamodb:Scan
                Resource: "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"
                Condition: { StringEquals: { "aws:SourceIdentity": alice } }
              - { Effect: Allow, Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity], Resource: "arn:aws:iam::222222222222:role/Second" }
      Second:
        account: B
        trust:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::222222222222:role/Reader" }, Action: [sts:AssumeRole, sts:TagSession, sts:SetSourceIdentity] }
        policies:
          Tagged:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: dynamodb:DescribeTable
                Resource: "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"
                Condition: { StringEquals: { "aws:PrincipalTag/team": blue } }
              - Effect: Allow
                Action: dynamodb:Scan
                Resource: "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"
                Condition: { StringEquals: { "aws:SourceIdentity": alice } }
      Locked:
        account: B
        trust:
          Version: "2012-10-17"
          Statement: { Effect: Allow, Principal: { AWS: "arn:aws:iam::333333333333:root" }, Action: sts:AssumeRole }
    functions:
      fn: { account: A, name: orders-api, role: Exec }
    tables:
      Orders:
        account: B
        partitionKey: customerId
        sortKey: orderId
        indexes:
          - { name: ByStatus, partitionKey: state, projection: KEYS_ONLY }
          - { name: ByDate, partitionKey: customerId, sortKey: placedAt }
        attributeTypes: { placedAt: N }
    options:
      - id: one
        title: One
        policyLives: B
        bestFor: tests
        steps:
          - { caller: fn, action: sts:AssumeRole, target: Reader, session: s1 }
          - { caller: Reader, action: dynamodb:GetItem, target: Orders }
    """

@Suite struct SimulatorFidelityTests {
    let clock = ManualClock()
    let simulator: AWSSimulator
    let model: Model
    static let readerARN = "arn:aws:iam::222222222222:role/Reader"
    static let table = "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"

    init() throws {
        let content = try TemporaryContent(model: fidelityModel)
        defer { content.remove() }
        model = try content.load()
        let clock = self.clock
        simulator = AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model), clock: { clock.now })
        try simulator.put(["customerId": "customer-1", "orderId": "order-1", "state": "SHIPPED", "note": "fragile", "placedAt": .n("17")], inTable: "Orders")
        try simulator.put(["customerId": "customer-2", "orderId": "order-1", "state": "SHIPPED", "note": "secret"], inTable: "Orders")
    }

    var function: Wire { get throws { Wire(simulator: simulator, credentials: try simulator.credentials(forFunction: "fn"), now: clock.now) } }

    /// A session of `role`, assumed by `wire` with `extra` parameters.
    func assume(_ role: String = readerARN, by wire: Wire, _ extra: [(String, String)] = []) throws -> Wire {
        let response = wire.sts([("RoleArn", role), ("RoleSessionName", "s1")] + extra)
        guard response.status == 200, let key = response.xml("AccessKeyId"), let secret = response.xml("SecretAccessKey"),
            let token = response.xml("SessionToken")
        else { throw SimulatorError("AssumeRole failed: \(response.text)") }
        var session = wire
        session.credentials = AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
        return session
    }

    // MARK: Credentials and request ids

    @Test func credentialsCannotBeDerivedFromWhatCallersKnow() throws {
        let first = try simulator.credentials(forFunction: "fn")
        let second = try simulator.credentials(forFunction: "fn")
        #expect(first.accessKeyID != second.accessKeyID && first.secretAccessKey != second.secretAccessKey)
        #expect(first.accessKeyID.hasPrefix("ASIA") && first.accessKeyID.count == 20 && first.secretAccessKey.count == 40)
        // The old derivation, SHA-256 of the role ARN, session name and a serial, must not give them.
        for serial in 0..<64 {
            let digest = SigV4Signer.hexSHA256(Array("arn:aws:iam::111111111111:role/Exec/orders-api/\(serial)".utf8))
            #expect(!digest.isEmpty && !first.secretAccessKey.contains(String(digest.prefix(8))))
        }
        let a = try function.sts([("Action", "GetCallerIdentity")]).header("x-amzn-RequestId") ?? ""
        let b = try function.sts([("Action", "GetCallerIdentity")]).header("x-amzn-RequestId") ?? ""
        // Random version-4 UUIDs: no serial shows through (the old ids counted up in their last digits).
        #expect(a.count == 36 && Array(a)[14] == "4" && a.prefix(23) != b.prefix(23))
        let d = try function.dynamoDB("ListTables", "{}").header("x-amzn-RequestId") ?? ""
        #expect(d.count == 52 && d.allSatisfy { $0.isUppercase || $0.isNumber })
    }

    @Test func sessionTokensMustMatchEveryByte() throws {
        let wire = try function
        let token = wire.credentials.sessionToken ?? ""
        #expect(wire.dynamoDB("ListTables", "{}").code == "AccessDeniedException")
        // Same length, one byte changed at the start, in the middle, at the end; a prefix; the token and one byte more.
        let bytes = Array(token.utf8)
        var forgeries: [String] = []
        for position in [0, bytes.count / 2, bytes.count - 1] {
            var forged = bytes
            forged[position] = forged[position] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            forgeries.append(String(decoding: forged, as: UTF8.self))
        }
        forgeries += [String(token.dropLast()), token + "A", ""]
        for forged in forgeries {
            var forger = wire
            forger.credentials.sessionToken = forged
            #expect(forger.dynamoDB("ListTables", "{}").code == "UnrecognizedClientException", "\(forged)")
        }
        #expect(AWSSimulator.constantTimeEquals(token, token) && AWSSimulator.constantTimeEquals("", ""))
        #expect(!AWSSimulator.constantTimeEquals(token, token + "A") && !AWSSimulator.constantTimeEquals(token + "A", token))
        #expect(!AWSSimulator.constantTimeEquals("", token) && !AWSSimulator.constantTimeEquals("abc", "abd"))
        // Lengths that differ by a multiple of 256 must not look equal.
        #expect(!AWSSimulator.constantTimeEquals(String(repeating: "a", count: 256) + "x", "x"))
    }

    // MARK: Credential scope and endpoint

    @Test func theScopesServiceMustBeTheEndpointsService() throws {
        let toDynamoDB = try function.dynamoDB("ListTables", "{}", service: "s3")
        #expect(toDynamoDB.status == 400 && toDynamoDB.code == "InvalidSignatureException")
        #expect(toDynamoDB.message == "Credential should be scoped to correct service: 'dynamodb'. ")
        let toSTS = try function.sts([("Action", "GetCallerIdentity")], service: "dynamodb")
        #expect(toSTS.status == 403 && toSTS.code == "SignatureDoesNotMatch")
        #expect(toSTS.message == "Credential should be scoped to correct service: 'sts'. ")
        // AWS's endpoints route by host: a DynamoDB host with an STS body signed for STS is still DynamoDB's request.
        var wire = try function
        wire.url = URL(string: "https://dynamodb.us-east-1.amazonaws.com/")!
        #expect(wire.sts([("Action", "GetCallerIdentity")]).message == "Credential should be scoped to correct service: 'dynamodb'. ")
    }

    @Test func theScopesRegionMustBeTheEndpointsRegion() throws {
        var wire = try function
        wire.region = "eu-west-1"
        let response = wire.dynamoDB("ListTables", "{}")
        #expect(response.code == "InvalidSignatureException")
        #expect(response.message == "Credential should be scoped to a valid region, not 'eu-west-1'. ")
        wire.region = "us-east-1"
        wire.url = URL(string: "https://sts.us-west-2.amazonaws.com/")!
        #expect(wire.sts([("Action", "GetCallerIdentity")]).message == "Credential should be scoped to a valid region, not 'us-east-1'. ")
        wire.region = "us-west-2"
        #expect(wire.sts([("Action", "GetCallerIdentity")]).status == 200)
    }

    @Test func aChangedHostFailsTheSignature() throws {
        let wire = try function
        let request = HTTPRequest(
            method: "POST", url: AWSSimulator.endpoint, headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.ListTables")],
            body: Array("{}".utf8))
        var signed = SigV4Signer(credentials: wire.credentials, region: "us-east-1", service: "dynamodb").sign(request, at: clock.now)
        signed.headers.append((name: "Host", value: "evil.example"))
        #expect(simulator.handle(signed).code == "InvalidSignatureException")
    }

    @Test func aDateHeaderAndAnUnsignedTokenAreAccepted() throws {
        let wire = try function
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        // Signed with the Date header (no X-Amz-Date) and without the token, which is added afterwards, unsigned.
        let credentials = AWSCredentials(accessKeyID: wire.credentials.accessKeyID, secretAccessKey: wire.credentials.secretAccessKey)
        var signed = HTTPRequest(
            method: "POST", url: AWSSimulator.endpoint,
            headers: [
                ("Host", "aws.simulator.invalid"), ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.ListTables"),
                ("Date", formatter.string(from: clock.now)),
            ],
            body: Array("{}".utf8))
        let signature = SigV4Signer(credentials: credentials, region: "us-east-1", service: "dynamodb").signature(for: signed, at: clock.now)
        #expect(signature.signedHeaders == "content-type;date;host;x-amz-target")
        signed.headers.append((name: "Authorization", value: signature.authorization))
        signed.headers.append((name: "X-Amz-Security-Token", value: wire.credentials.sessionToken ?? ""))
        // Authenticated: what remains is the authorization (this function may not list tables).
        let response = simulator.handle(signed)
        #expect(response.code == "AccessDeniedException", "\(response.text)")
    }

    @Test func dynamoDBAnswersCarryTheirCRC32() throws {
        let response = try function.dynamoDB("ListTables", "{}")
        // zlib's CRC-32 of the body, as botocore checks it.
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in response.body {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        #expect(response.header("x-amz-crc32") == String(crc ^ 0xFFFF_FFFF))
    }

    // MARK: Fine-grained access and sessions

    @Test func leadingKeysLimitWhichPartitionsASessionReads() throws {
        let reader = try assume(by: function)
        let own = reader.dynamoDB("GetItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"customer-1"},"orderId":{"S":"order-1"}}}"#)
        #expect(own.status == 200, "\(own.text)")
        let other = reader.dynamoDB("GetItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"customer-2"},"orderId":{"S":"order-1"}}}"#)
        #expect(other.code == "AccessDeniedException")
        #expect(
            other.message
                == "User: arn:aws:sts::222222222222:assumed-role/Reader/s1 is not authorized to perform: dynamodb:GetItem on resource: \(Self.table) because no identity-based policy allows the dynamodb:GetItem action")
        let query = reader.dynamoDB(
            "Query", #"{"TableName":"\#(Self.table)","KeyConditionExpression":"customerId = :c","ExpressionAttributeValues":{":c":{"S":"customer-2"}}}"#)
        #expect(query.code == "AccessDeniedException")
        let write = reader.dynamoDB("PutItem", #"{"TableName":"\#(Self.table)","Item":{"customerId":{"S":"customer-2"},"orderId":{"S":"order-9"}}}"#)
        #expect(write.code == "AccessDeniedException")
    }

    @Test func sessionPoliciesLimitTheSession() throws {
        let policy = #"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:Query","Resource":"*"}}"#
        let limited = try assume(by: function, [("Policy", policy)])
        let get = limited.dynamoDB("GetItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"customer-1"},"orderId":{"S":"order-1"}}}"#)
        #expect(get.code == "AccessDeniedException")
        #expect(get.message?.hasSuffix("because no session policy allows the dynamodb:GetItem action") == true)
        let query = limited.dynamoDB(
            "Query", #"{"TableName":"\#(Self.table)","KeyConditionExpression":"customerId = :c","ExpressionAttributeValues":{":c":{"S":"customer-1"}}}"#)
        #expect(query.status == 200)
        let managed = try assume(by: function, [("PolicyArns.member.1.arn", "arn:aws:iam::222222222222:policy/NotInTheModel")])
        let denied = managed.dynamoDB("GetItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"customer-1"},"orderId":{"S":"order-1"}}}"#)
        #expect(denied.code == "AccessDeniedException")
        let malformed = try function.sts([("RoleArn", Self.readerARN), ("RoleSessionName", "s1"), ("Policy", "{not json")])
        #expect(malformed.code == "MalformedPolicyDocument")
    }

    @Test func tagsAndSourceIdentityStayWithTheSessionAndTransitiveOnesWithTheChain() throws {
        let untagged = try assume(by: function)
        #expect(untagged.dynamoDB("DescribeTable", #"{"TableName":"Orders"}"#).code == "AccessDeniedException")
        #expect(untagged.dynamoDB("Scan", #"{"TableName":"Orders"}"#).code == "AccessDeniedException")
        let tagged = try assume(by: function, [
            ("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "blue"), ("TransitiveTagKeys.member.1", "team"), ("SourceIdentity", "alice"),
        ])
        #expect(tagged.dynamoDB("DescribeTable", #"{"TableName":"Orders"}"#).status == 200)
        #expect(tagged.dynamoDB("Scan", #"{"TableName":"Orders"}"#).status == 200)
        // The chain: the transitive tag and the source identity reach the next session; a non-transitive tag does not.
        let second = try assume("arn:aws:iam::222222222222:role/Second", by: tagged)
        #expect(second.dynamoDB("DescribeTable", #"{"TableName":"Orders"}"#).status == 200)
        #expect(second.dynamoDB("Scan", #"{"TableName":"Orders"}"#).status == 200)
        let notTransitive = try assume(by: function, [("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "blue")])
        let next = try assume("arn:aws:iam::222222222222:role/Second", by: notTransitive)
        #expect(next.dynamoDB("DescribeTable", #"{"TableName":"Orders"}"#).code == "AccessDeniedException")
        // An inherited transitive key cannot be passed again.
        let override = tagged.sts([
            ("RoleArn", "arn:aws:iam::222222222222:role/Second"), ("RoleSessionName", "s2"), ("Tags.member.1.Key", "Team"), ("Tags.member.1.Value", "red"),
        ])
        #expect(override.code == "InvalidParameterValue")
    }

    @Test func stsDenialsCarryNoReason() throws {
        let response = try function.sts([("RoleArn", "arn:aws:iam::222222222222:role/Locked"), ("RoleSessionName", "s1")])
        #expect(response.status == 403 && response.code == "AccessDenied")
        #expect(
            response.message
                == "User: arn:aws:sts::111111111111:assumed-role/Exec/orders-api is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/Locked")
    }

    // MARK: STS validation

    @Test(arguments: [
        ([("RoleArn", "arn:aws:iam::1:r"), ("RoleSessionName", "s1")],
         "1 validation error detected: Value 'arn:aws:iam::1:r' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"),
        ([("RoleArn", readerARN), ("RoleSessionName", "x")],
         "1 validation error detected: Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"),
        ([("RoleArn", readerARN), ("RoleSessionName", String(repeating: "a b", count: 30))],
         "2 validation errors detected: Value '\(String(repeating: "a b", count: 30))' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*; Value '\(String(repeating: "a b", count: 30))' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"),
        ([("RoleArn", readerARN), ("RoleSessionName", "s1"), ("ExternalId", "has space")],
         "1 validation error detected: Value 'has space' at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*"),
        ([("RoleArn", readerARN), ("RoleSessionName", "s1"), ("DurationSeconds", "60")],
         "1 validation error detected: Value '60' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"),
    ])
    func assumeRoleIsValidatedAsSTSDoes(_ parameters: [(String, String)], _ message: String) throws {
        let response = try function.sts(parameters)
        #expect(response.status == 400 && response.code == "ValidationError")
        #expect(response.message == message)
    }

    // MARK: DynamoDB keys, indexes, words

    @Test func keyTypesAreTheModels() throws {
        let open = AWSSimulator(model: model, authorizer: AllowAllAuthorizer(), clock: { clock.now })
        let writer = Wire(simulator: open, credentials: try open.credentials(forFunction: "fn"), now: clock.now)
        let wrongType = writer.dynamoDB("PutItem", #"{"TableName":"\#(Self.table)","Item":{"customerId":{"N":"1"},"orderId":{"S":"order-2"}}}"#)
        #expect(wrongType.code == "ValidationException")
        #expect(wrongType.message == "One or more parameter values were invalid: Type mismatch for key customerId expected: S actual: N")
        let getWrong = writer.dynamoDB("GetItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"customer-1"},"orderId":{"N":"1"}}}"#)
        #expect(getWrong.message == "The provided key element does not match the schema")
        let indexType = writer.dynamoDB(
            "PutItem", #"{"TableName":"\#(Self.table)","Item":{"customerId":{"S":"customer-1"},"orderId":{"S":"order-3"},"placedAt":{"S":"yesterday"}}}"#)
        #expect(indexType.message == "One or more parameter values were invalid: Type mismatch for Index Key placedAt Expected: N Actual: S IndexName: ByDate")
        let described = try assume(by: function, [("Tags.member.1.Key", "team"), ("Tags.member.1.Value", "blue")])
            .dynamoDB("DescribeTable", #"{"TableName":"Orders"}"#).text
        #expect(described.contains(#"{"AttributeName":"placedAt","AttributeType":"N"}"#))
        #expect(described.contains(#""Projection":{"ProjectionType":"KEYS_ONLY"}"#))
    }

    @Test func indexesUseTheModelsKeySchemaAndProjection() throws {
        let reader = try assume(by: function)
        // ByStatus is keyed by `state` in the model; the naming convention would have said `status`.
        let byConvention = reader.dynamoDB(
            "Query",
            ##"{"TableName":"\##(Self.table)","IndexName":"ByStatus","KeyConditionExpression":"#s = :s","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S":"SHIPPED"}}}"##)
        #expect(byConvention.message == "Query condition missed key schema element: state")
        let byModel = reader.dynamoDB(
            "Query",
            #"{"TableName":"\#(Self.table)","IndexName":"ByDate","KeyConditionExpression":"customerId = :c","ExpressionAttributeValues":{":c":{"S":"customer-1"}}}"#)
        #expect(byModel.status == 200 && byModel.text.contains("fragile"))
        let allAttributes = reader.dynamoDB(
            "Query",
            ##"{"TableName":"\##(Self.table)","IndexName":"ByStatus","Select":"ALL_ATTRIBUTES","KeyConditionExpression":"#s = :s","ExpressionAttributeNames":{"#s":"state"},"ExpressionAttributeValues":{":s":{"S":"SHIPPED"}}}"##)
        #expect(allAttributes.code == "AccessDeniedException" || allAttributes.code == "ValidationException")
    }

    @Test func keysOnlyIndexesReturnKeysOnly() throws {
        let open = AWSSimulator(model: model, authorizer: AllowAllAuthorizer(), clock: { clock.now })
        try open.put(["customerId": "customer-1", "orderId": "order-1", "state": "SHIPPED", "note": "fragile"], inTable: "Orders")
        try open.put(["customerId": "customer-1", "orderId": "order-2", "note": "no state, so not in ByStatus"], inTable: "Orders")
        let wire = Wire(simulator: open, credentials: try open.credentials(forFunction: "fn"), now: clock.now)
        let response = wire.dynamoDB(
            "Query",
            ##"{"TableName":"\##(Self.table)","IndexName":"ByStatus","KeyConditionExpression":"#s = :s","ExpressionAttributeNames":{"#s":"state"},"ExpressionAttributeValues":{":s":{"S":"SHIPPED"}}}"##)
        #expect(response.status == 200, "\(response.text)")
        #expect(response.text.contains(#""Count":1"#) && !response.text.contains("fragile") && response.text.contains("order-1"))
    }

    @Test func writesChangeTheTableInPlaceAndFailedWritesChangeNothing() throws {
        let open = AWSSimulator(model: model, authorizer: AllowAllAuthorizer(), clock: { clock.now })
        let wire = Wire(simulator: open, credentials: try open.credentials(forFunction: "fn"), now: clock.now)
        func notes() -> [String] { open.items(inTable: "Orders").map { $0["note"]?.stringValue ?? "-" } }
        for index in 0..<50 {
            let put = wire.dynamoDB("PutItem", #"{"TableName":"\#(Self.table)","Item":{"customerId":{"S":"c"},"orderId":{"S":"o\#(index)"},"note":{"S":"n\#(index)"}}}"#)
            #expect(put.status == 200, "\(put.text)")
        }
        #expect(open.items(inTable: "Orders").count == 50)
        let snapshot = open.items(inTable: "Orders")
        let update = wire.dynamoDB(
            "UpdateItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"c"},"orderId":{"S":"o7"}},"UpdateExpression":"SET note = :n","ExpressionAttributeValues":{":n":{"S":"changed"}}}"#)
        #expect(update.status == 200, "\(update.text)")
        // A snapshot taken before the write keeps its values (the state's copy was changed, not one shared with it).
        #expect(snapshot.count == 50 && !snapshot.contains { $0["note"]?.stringValue == "changed" })
        #expect(notes().filter { $0 == "changed" }.count == 1)
        let failed = wire.dynamoDB(
            "PutItem", #"{"TableName":"\#(Self.table)","Item":{"customerId":{"S":"c"},"orderId":{"S":"o8"},"note":{"S":"lost"}},"ConditionExpression":"attribute_not_exists(orderId)"}"#)
        #expect(failed.code == "ConditionalCheckFailedException")
        let failedUpdate = wire.dynamoDB(
            "UpdateItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"c"},"orderId":{"S":"o9"}},"UpdateExpression":"SET note = :n","ConditionExpression":"note = :x","ExpressionAttributeValues":{":n":{"S":"lost"},":x":{"S":"other"}}}"#)
        #expect(failedUpdate.code == "ConditionalCheckFailedException")
        let badKey = wire.dynamoDB("PutItem", #"{"TableName":"\#(Self.table)","Item":{"customerId":{"S":"c"},"note":{"S":"lost"}}}"#)
        #expect(badKey.code == "ValidationException")
        #expect(!notes().contains("lost") && open.items(inTable: "Orders").count == 50)
        let delete = wire.dynamoDB("DeleteItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"c"},"orderId":{"S":"o3"}}}"#)
        #expect(delete.status == 200)
        #expect(open.items(inTable: "Orders").count == 49 && !notes().contains("n3"))
        let get = wire.dynamoDB("GetItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"c"},"orderId":{"S":"o7"}}}"#)
        #expect(get.text.contains("changed"))
    }

    @Test func everyReservedWordIsReserved() throws {
        let open = AWSSimulator(model: model, authorizer: AllowAllAuthorizer(), clock: { clock.now })
        let wire = Wire(simulator: open, credentials: try open.credentials(forFunction: "fn"), now: clock.now)
        for word in ["total", "comment", "ZONE", "abort", "varchar"] {
            let response = wire.dynamoDB(
                "GetItem", #"{"TableName":"\#(Self.table)","Key":{"customerId":{"S":"customer-1"},"orderId":{"S":"order-1"}},"ProjectionExpression":"\#(word)"}"#)
            #expect(response.message == "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: \(word)")
        }
    }
}
