public import Foundation
import Source

/// AWS Security Token Service over the Query protocol: `AssumeRole` and `GetCallerIdentity`.
public struct STS: Sendable {
    public let configuration: AWSConfiguration
    private let call: ServiceCall

    public init(configuration: AWSConfiguration) {
        self.configuration = configuration
        call = ServiceCall(configuration: configuration, service: .sts, wire: .query)
    }

    /// The temporary credentials and identity `AssumeRole` returns.
    public struct AssumedRole: Sendable, Hashable {
        public var credentials: AWSCredentials
        /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
        public var assumedRoleARN: String
        /// `<role id>:<session>`.
        public var assumedRoleID: String
        public var packedPolicySize: Int?
        public var sourceIdentity: String?
        public var requestID: String?
    }

    /// Who the credentials belong to.
    public struct CallerIdentity: Sendable, Hashable {
        public var account: String
        public var arn: String
        public var userID: String
        public var requestID: String?
    }

    /// A session tag (`Tags.member.N.Key` / `.Value`).
    public struct Tag: Sendable, Hashable {
        public var key: String
        public var value: String
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Calls `sts:AssumeRole`. Parameters are validated first (as STS would), so a bad session name fails
    /// without a round trip, with `AWSError` code `InvalidParameterValue`.
    ///
    /// - Parameters:
    ///   - roleARN: the role to assume, e.g. `arn:aws:iam::222222222222:role/DynamoDBAccessRole`.
    ///   - sessionName: 2–64 characters of `[\w+=,.@-]`; shows in the session ARN and in CloudTrail.
    ///   - durationSeconds: 900–43200; STS caps it at the role's maximum and at one hour for role chaining.
    ///   - externalID: 2–1224 characters, when the trust policy requires `sts:ExternalId`.
    ///   - policy: an inline session policy (JSON) that can only narrow the role's permissions.
    public func assumeRole(
        roleARN: String, sessionName: String, durationSeconds: Int? = nil, externalID: String? = nil, policy: String? = nil,
        sourceIdentity: String? = nil, tags: [Tag] = []
    ) async throws -> AssumedRole {
        try Self.validateAssumeRole(roleARN: roleARN, sessionName: sessionName, durationSeconds: durationSeconds, externalID: externalID, sourceIdentity: sourceIdentity)
        var parameters: [(String, String)] = [("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleARN), ("RoleSessionName", sessionName)]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        if let externalID { parameters.append(("ExternalId", externalID)) }
        if let policy { parameters.append(("Policy", policy)) }
        if let sourceIdentity { parameters.append(("SourceIdentity", sourceIdentity)) }
        for (offset, tag) in tags.enumerated() {
            parameters.append(("Tags.member.\(offset + 1).Key", tag.key))
            parameters.append(("Tags.member.\(offset + 1).Value", tag.value))
        }
        let response = try await send("AssumeRole", parameters)
        return try readAssumedRole(response, operation: "AssumeRole")
    }

    /// Calls `sts:AssumeRoleWithWebIdentity`, unsigned: the OIDC token (EKS service account, GitHub Actions, Cognito)
    /// is the proof, so it works before any AWS credentials exist. Returns the role's credentials and session ARN.
    public func assumeRoleWithWebIdentity(
        roleARN: String, sessionName: String, webIdentityToken: String, durationSeconds: Int? = nil, policy: String? = nil
    ) async throws -> AssumedRole {
        let operation = "AssumeRoleWithWebIdentity"
        try Self.validateAssumeRole(roleARN: roleARN, sessionName: sessionName, durationSeconds: durationSeconds, externalID: nil, sourceIdentity: nil)
        var parameters: [(String, String)] = [
            ("Action", operation), ("Version", "2011-06-15"), ("RoleArn", roleARN), ("RoleSessionName", sessionName),
            ("WebIdentityToken", webIdentityToken),
        ]
        if let durationSeconds { parameters.append(("DurationSeconds", String(durationSeconds))) }
        if let policy { parameters.append(("Policy", policy)) }
        let response = try await call.send(
            operation: operation, headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")],
            body: Array(Self.formEncode(parameters).utf8), signed: false
        )
        return try readAssumedRole(response, operation: operation)
    }

    /// `<AssumeRoleResponse>` / `<AssumeRoleWithWebIdentityResponse>`: the same credentials and user, read in one place.
    private func readAssumedRole(_ response: HTTPResponse, operation: String) throws -> AssumedRole {
        let root = try parse(response, operation: operation)
        guard let result = root.descendant("\(operation)Result"), let credentials = result.child("Credentials") else {
            throw call.malformed(response, operation: operation, "\(operation)Response has no \(operation)Result/Credentials")
        }
        func field(_ node: XMLNode, _ name: String) throws -> String {
            guard let value = node.child(name)?.text, !value.isEmpty else {
                throw call.malformed(response, operation: operation, "\(operation)Response lacks \(name)")
            }
            return value
        }
        let expirationText = try field(credentials, "Expiration")
        guard let expiration = Self.parseISO8601(expirationText) else {
            throw call.malformed(response, operation: operation, "Expiration \(expirationText) is not an ISO 8601 time")
        }
        guard let user = result.child("AssumedRoleUser") else {
            throw call.malformed(response, operation: operation, "\(operation)Response lacks AssumedRoleUser")
        }
        return AssumedRole(
            credentials: AWSCredentials(
                accessKeyID: try field(credentials, "AccessKeyId"), secretAccessKey: try field(credentials, "SecretAccessKey"),
                sessionToken: try field(credentials, "SessionToken"), expiration: expiration
            ),
            assumedRoleARN: try field(user, "Arn"), assumedRoleID: try field(user, "AssumedRoleId"),
            packedPolicySize: result.child("PackedPolicySize").flatMap { Int($0.text) }, sourceIdentity: result.child("SourceIdentity")?.text,
            requestID: response.header("x-amzn-RequestId") ?? root.descendant("RequestId")?.text
        )
    }

    /// Calls `sts:GetCallerIdentity` (always allowed): the account, ARN and user id of the caller.
    public func getCallerIdentity() async throws -> CallerIdentity {
        let response = try await send("GetCallerIdentity", [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")])
        let root = try parse(response, operation: "GetCallerIdentity")
        guard let result = root.descendant("GetCallerIdentityResult"), let account = result.child("Account")?.text,
            let arn = result.child("Arn")?.text, let userID = result.child("UserId")?.text
        else {
            throw call.malformed(response, operation: "GetCallerIdentity", "GetCallerIdentityResponse lacks Account, Arn or UserId")
        }
        return CallerIdentity(account: account, arn: arn, userID: userID, requestID: response.header("x-amzn-RequestId") ?? root.descendant("RequestId")?.text)
    }

    // MARK: - Wire

    private func send(_ operation: String, _ parameters: [(String, String)]) async throws -> HTTPResponse {
        let body = Array(Self.formEncode(parameters).utf8)
        return try await call.send(
            operation: operation, headers: [(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")], body: body
        )
    }

    private func parse(_ response: HTTPResponse, operation: String) throws -> XMLNode {
        if let type = response.header("content-type")?.lowercased(), !type.contains("xml") {
            throw call.malformed(response, operation: operation, "expected an XML answer, got \(ServiceCall.describeBody(response))")
        }
        do {
            let root = try XMLNode.parse(response.body)
            guard root.localName == "\(operation)Response" else {
                throw call.malformed(response, operation: operation, "expected <\(operation)Response>, got <\(root.name)>")
            }
            return root
        } catch let error as XMLNode.ParseError {
            throw call.malformed(response, operation: operation, "unreadable XML (\(error)) in \(ServiceCall.describeBody(response))")
        }
    }

    /// `application/x-www-form-urlencoded` with SigV4's strict encoding: spaces as `%20`, or as `+` when
    /// `spaceAsPlus` (what botocore sends, and how moto re-encodes a form before checking its signature).
    package static func formEncode(_ parameters: [(String, String)], spaceAsPlus: Bool = false) -> String {
        func encode(_ text: String) -> String {
            let encoded = SigV4Signer.uriEncode(text)
            return spaceAsPlus ? encoded.replacingOccurrences(of: "%20", with: "+") : encoded
        }
        return parameters.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    /// Client-side checks STS would make, with STS's limits in the message.
    package static func validateAssumeRole(roleARN: String, sessionName: String, durationSeconds: Int?, externalID: String?, sourceIdentity: String?) throws {
        func invalid(_ message: String) -> AWSError {
            AWSError(kind: .invalidParameter, code: AWSError.Code.invalidParameter, message: message, service: "sts", operation: "AssumeRole")
        }
        guard roleARN.hasPrefix("arn:"), roleARN.count >= 20, roleARN.count <= 2048 else {
            throw invalid("RoleArn '\(roleARN)' is not a role ARN (arn:aws:iam::<account>:role/<name>)")
        }
        guard (2...64).contains(sessionName.count), sessionName.unicodeScalars.allSatisfy(isSessionCharacter) else {
            throw invalid("RoleSessionName '\(sessionName)' must be 2–64 characters of letters, digits and +=,.@_-")
        }
        if let durationSeconds, !(900...43200).contains(durationSeconds) {
            throw invalid("DurationSeconds \(durationSeconds) must be between 900 and 43200")
        }
        if let externalID, !(2...1224).contains(externalID.count) || !externalID.unicodeScalars.allSatisfy(isExternalIDCharacter) {
            throw invalid("ExternalId must be 2–1224 characters of letters, digits and +=,.@:/_-")
        }
        if let sourceIdentity, !(2...64).contains(sourceIdentity.count) || !sourceIdentity.unicodeScalars.allSatisfy(isSessionCharacter) {
            throw invalid("SourceIdentity '\(sourceIdentity)' must be 2–64 characters of letters, digits and +=,.@_-")
        }
    }

    package static func isSessionCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "_+=,.@-".unicodeScalars.contains(scalar))
    }

    package static func isExternalIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isSessionCharacter(scalar) || scalar == ":" || scalar == "/"
    }

    /// `2026-11-29T05:00:00Z`, `2026-11-29T05:00:00.123Z`, `2026-11-29T05:00:00+00:00`.
    public static func parseISO8601(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == 45, bytes[7] == 45, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == 58, bytes[16] == 58
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
            let minute = number(14..<16), let second = number(17..<19), (1...12).contains(month), (1...31).contains(day), hour < 24,
            minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            index += 1
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            guard index + 6 == bytes.count, bytes[index + 3] == 58, let h = number(index + 1..<index + 3), let m = number(index + 4..<index + 6) else { return nil }
            offset = (h * 3600 + m * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let seconds = CivilTime.seconds(CivilTime.Components(year: year, month: month, day: day, hour: hour, minute: minute, second: second)) - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
