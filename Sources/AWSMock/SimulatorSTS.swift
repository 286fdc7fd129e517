import AWSClient
import Foundation
import Model
import Policy
import Resolution
import Source

extension AWSSimulator {
    /// STS over the Query protocol: `AssumeRole`, `GetCallerIdentity`.
    func handleSTS(_ request: HTTPRequest, session: Session, requestID: String) -> Result<HTTPResponse, WireError> {
        var parameters: [String: String] = [:]
        let form = String(decoding: request.body, as: UTF8.self)
        for pair in form.split(separator: "&") {
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters[SigV4Signer.formDecode(String(pieces[0]))] = pieces.count > 1 ? SigV4Signer.formDecode(String(pieces[1])) : ""
        }
        if let query = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems {
            for item in query where parameters[item.name] == nil { parameters[item.name] = item.value ?? "" }
        }
        guard let action = parameters["Action"] else {
            return .failure(.sts("MissingAction", "Missing Action"))
        }
        guard parameters["Version"] == "2011-06-15" else {
            return .failure(.sts("InvalidAction", "Could not find operation \(action) for version \(parameters["Version"] ?? "NO_VERSION_SPECIFIED")"))
        }
        switch action {
        case "AssumeRole": return assumeRole(parameters, session: session, requestID: requestID)
        case "GetCallerIdentity": return .success(getCallerIdentity(session: session, requestID: requestID))
        default: return .failure(.sts("InvalidAction", "Could not find operation \(action) for version 2011-06-15"))
        }
    }

    /// The members of a query-protocol list (`Tags.member.1.Key`, …), in order, until the first gap.
    private static func list(_ parameters: [String: String], _ name: String, field: String? = nil) -> [String] {
        var values: [String] = []
        var index = 1
        while let value = parameters["\(name).member.\(index)" + (field.map { ".\($0)" } ?? "")] {
            values.append(value)
            index += 1
        }
        return values
    }

    private func assumeRole(_ parameters: [String: String], session: Session, requestID: String) -> Result<HTTPResponse, WireError> {
        let roleARN = parameters["RoleArn"]
        let sessionName = parameters["RoleSessionName"]
        let externalID = parameters["ExternalId"]
        let passedSourceIdentity = parameters["SourceIdentity"]
        let policyText = parameters["Policy"]
        let policyARNs = Self.list(parameters, "PolicyArns", field: "arn")
        let tagKeys = Self.list(parameters, "Tags", field: "Key")
        var tags: [SessionTag] = []
        for (offset, key) in tagKeys.enumerated() { tags.append(SessionTag(key: key, value: parameters["Tags.member.\(offset + 1).Value"] ?? "")) }
        let transitiveTagKeys = Self.list(parameters, "TransitiveTagKeys")

        // AWS's request validation, every violated constraint at once, members in the model's order.
        var validation = STSValidation()
        validation.required(roleARN, "roleArn")
        if let roleARN { validation.check(roleARN, "roleArn", length: 20...2048, pattern: nil, allowed: STSValidation.isARNCharacter) }
        validation.required(sessionName, "roleSessionName")
        if let sessionName {
            validation.check(sessionName, "roleSessionName", length: 2...64, pattern: "[\\w+=,.@-]*", allowed: STS.isSessionCharacter)
        }
        if policyARNs.count > 10 { validation.add("Value '[\(policyARNs.joined(separator: ", "))]' at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10") }
        for (offset, arn) in policyARNs.enumerated() {
            validation.check(arn, "policyArns.\(offset + 1).member.arn", length: 20...2048, pattern: nil, allowed: STSValidation.isARNCharacter)
        }
        if let policyText {
            validation.check(policyText, "policy", length: 1...Int.max, pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", allowed: STSValidation.isPolicyCharacter)
        }
        var duration = 3600
        if let text = parameters["DurationSeconds"] {
            if let value = Int(text) {
                if value < 900 { validation.add("Value '\(text)' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900") }
                if value > 43200 { validation.add("Value '\(text)' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200") }
                duration = value
            } else {
                return .failure(.sts("MalformedInput", "Invalid value for DurationSeconds: \(text)"))
            }
        }
        if tags.count > 50 { validation.add("Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50") }
        for (offset, tag) in tags.enumerated() {
            validation.check(tag.key, "tags.\(offset + 1).member.key", length: 1...128, pattern: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", allowed: STSValidation.isTagCharacter)
            validation.check(tag.value, "tags.\(offset + 1).member.value", length: 0...256, pattern: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", allowed: STSValidation.isTagCharacter)
        }
        if transitiveTagKeys.count > 50 { validation.add("Value at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50") }
        if let externalID {
            validation.check(externalID, "externalId", length: 2...1224, pattern: "[\\w+=,.@:\\/-]*", allowed: STS.isExternalIDCharacter)
        }
        if let passedSourceIdentity {
            validation.check(passedSourceIdentity, "sourceIdentity", length: 2...64, pattern: "[\\w+=,.@-]*", allowed: STS.isSessionCharacter)
        }
        if let error = validation.error { return .failure(error) }
        guard let roleARN, let sessionName else { return .failure(.sts("ValidationError", "RoleArn and RoleSessionName are required")) }

        // The session policies must be policies: a malformed one is refused before anything is authorized.
        var sessionPolicies: [PolicyDocument] = []
        if let policyText {
            let (document, diagnostics) = PolicyParser.parse(json: policyText, file: "Policy", kind: .session)
            guard let document, !diagnostics.contains(where: { $0.severity == .error }) else {
                return .failure(.sts("MalformedPolicyDocument", "The policy is not in the valid JSON format."))
            }
            sessionPolicies.append(document)
        }
        if policyText.map({ $0.count }) ?? 0 > 2048 {
            return .failure(.sts("PackedPolicyTooLarge", "Packed policy consumes more than 100% of allotted space, please use smaller policy for this request."))
        }
        // Managed session policies: the model holds no managed policy, so one it cannot read allows nothing (fail
        // closed: the session can do only what the policies it could read allow).
        for _ in policyARNs { sessionPolicies.append(PolicyDocument(version: .v2012, id: nil, statements: [], kind: .session, source: LocatedValue(.null, at: .synthesized("PolicyArns")))) }

        // The new session's tags and source identity: what the caller passes and what its own session hands down.
        let inherited = session.attributes.inherited
        guard let sessionTags = AssumeRoleRules.tags(passed: tags, inherited: inherited.tags) else {
            return .failure(.sts("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys are case insensitive."))
        }
        if let inheritedIdentity = inherited.sourceIdentity, let passedSourceIdentity, passedSourceIdentity != inheritedIdentity {
            return .failure(.accessDenied(AWSMessage.plainDenial(principal: session.principalARN, action: "sts:SetSourceIdentity", resource: roleARN)))
        }
        let sourceIdentity = passedSourceIdentity ?? inherited.sourceIdentity
        let transitive = inherited.transitiveTagKeys + transitiveTagKeys.filter { key in tags.contains { $0.key.lowercased() == key.lowercased() } }

        // Authorize first: an unknown role is denied like any other (AWS does not reveal whether it exists).
        let context = AssumeRoleRules.context(
            sessionName: sessionName, externalID: externalID, sourceIdentity: sourceIdentity, tags: tags, transitiveTagKeys: transitiveTagKeys)
        let actions = AssumeRoleRules.actions(carriesTags: !sessionTags.isEmpty, carriesSourceIdentity: sourceIdentity != nil)
        // One request time for all of them: only the action differs.
        var request = authorizationRequest(for: session, action: actions[0], resourceARN: roleARN, extra: context)
        for action in actions {
            request.action = action
            let decision = authorize(request)
            guard decision.allowed else { return .failure(.accessDenied(decision.message)) }
        }
        guard let role = model.roles.first(where: { $0.arn == roleARN }), let account = model.account(role.accountKey) else {
            return .failure(.accessDenied(AWSMessage.plainDenial(principal: session.principalARN, action: "sts:AssumeRole", resource: roleARN)))
        }
        // Role chaining: a role session assuming a role gets at most one hour (an IAM user's keys are not a session).
        if session.role != nil, duration > 3600 {
            return .failure(
                .sts("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
            )
        }
        if duration > role.maxSessionDuration {
            return .failure(.sts("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."))
        }
        let attributes = SessionAttributes(tags: sessionTags, transitiveTagKeys: transitive, sourceIdentity: sourceIdentity, policies: sessionPolicies)
        let issued = withLock { state in
            issue(&state, role: role, accountID: account.id, sessionName: sessionName, duration: duration, chained: session.role != nil, attributes: attributes)
        }
        let credentials = issued.credentials
        var result = """
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>

            """
        if let sourceIdentity { result += "    <SourceIdentity>\(XMLNode.escape(sourceIdentity))</SourceIdentity>\n" }
        result += """
                <AssumedRoleUser>
                  <AssumedRoleId>\(Self.roleID(role)):\(XMLNode.escape(sessionName))</AssumedRoleId>
                  <Arn>\(XMLNode.escape(issued.principalARN))</Arn>
                </AssumedRoleUser>
                <Credentials>
                  <AccessKeyId>\(credentials.accessKeyID)</AccessKeyId>
                  <SecretAccessKey>\(XMLNode.escape(credentials.secretAccessKey))</SecretAccessKey>
                  <SessionToken>\(XMLNode.escape(credentials.sessionToken ?? ""))</SessionToken>
                  <Expiration>\(Self.iso8601(credentials.expiration!))</Expiration>
                </Credentials>

            """
        if !tags.isEmpty || policyText != nil || !policyARNs.isEmpty {
            // How close the packed policies and tags come to STS's limit, in percent (an estimate from their size).
            let size = (policyText?.count ?? 0) + policyARNs.reduce(0) { $0 + $1.count } + tags.reduce(0) { $0 + $1.key.count + $1.value.count }
            result += "    <PackedPolicySize>\(min(100, max(1, size * 100 / 2048)))</PackedPolicySize>\n"
        }
        result += """
              </AssumeRoleResult>
              <ResponseMetadata>
                <RequestId>\(requestID)</RequestId>
              </ResponseMetadata>
            </AssumeRoleResponse>

            """
        return .success(Self.xmlResponse(result, requestID: requestID))
    }

    /// `AROA…:<session>` for a role session, `AIDA…` for an IAM user (its unique id, as the engine derives `aws:userid`).
    private func userID(_ session: Session) -> String {
        guard let role = session.role else { return ContextDerivation.userUniqueID(session.principalARN) }
        return Self.roleID(role) + ":" + XMLNode.escape(session.sessionName)
    }

    private func getCallerIdentity(session: Session, requestID: String) -> HTTPResponse {
        let xml = """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult>
                <Arn>\(XMLNode.escape(session.principalARN))</Arn>
                <UserId>\(userID(session))</UserId>
                <Account>\(session.accountID)</Account>
              </GetCallerIdentityResult>
              <ResponseMetadata>
                <RequestId>\(requestID)</RequestId>
              </ResponseMetadata>
            </GetCallerIdentityResponse>

            """
        return Self.xmlResponse(xml, requestID: requestID)
    }

    static func xmlResponse(_ xml: String, requestID: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [(name: "Content-Type", value: "text/xml"), (name: "x-amzn-RequestId", value: requestID)], body: Array(xml.utf8))
    }
}

/// STS's request validation (the service model's constraints), worded as AWS words it: `1 validation error detected:
/// Value 'x' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern:
/// [\w+=,.@-]*`, several joined with `; ` under `N validation errors detected:`. For one member, a violated pattern
/// comes before a violated length.
struct STSValidation {
    private(set) var messages: [String] = []

    mutating func add(_ message: String) { messages.append(message) }

    mutating func required(_ value: String?, _ member: String) {
        if value == nil { add("Value null at '\(member)' failed to satisfy constraint: Member must not be null") }
    }

    mutating func check(_ value: String, _ member: String, length: ClosedRange<Int>, pattern: String?, allowed: (Unicode.Scalar) -> Bool) {
        let shown = "Value '\(value)' at '\(member)' failed to satisfy constraint: Member must"
        if let pattern, !value.unicodeScalars.allSatisfy(allowed) || (pattern.hasSuffix("+") && value.isEmpty) {
            add("\(shown) satisfy regular expression pattern: \(pattern)")
        }
        // Lengths count UTF-16 code units, as the Java service does.
        let count = value.utf16.count
        if count < length.lowerBound { add("\(shown) have length greater than or equal to \(length.lowerBound)") }
        if count > length.upperBound { add("\(shown) have length less than or equal to \(length.upperBound)") }
        if pattern == nil, !value.unicodeScalars.allSatisfy(allowed) {
            add("\(shown) satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+")
        }
    }

    var error: WireError? {
        guard !messages.isEmpty else { return nil }
        let head = messages.count == 1 ? "1 validation error detected: " : "\(messages.count) validation errors detected: "
        return .sts("ValidationError", head + messages.joined(separator: "; "))
    }

    /// `[\u0009\u000A\u000D\u0020-\u007E\u0085\u00A0-\uD7FF\uE000-\uFFFD\u10000-\u10FFFF]`.
    static func isARNCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// `[\u0009\u000A\u000D\u0020-\u00FF]`.
    static func isPolicyCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0xFF: true
        default: false
        }
    }

    /// `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
    static func isTagCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .spaceSeparator, .lineSeparator,
            .paragraphSeparator, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return "_.:/=+-@".unicodeScalars.contains(scalar)
        }
    }
}
