import AWSClient
import Foundation
import Model

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

    private func assumeRole(_ parameters: [String: String], session: Session, requestID: String) -> Result<HTTPResponse, WireError> {
        guard let roleARN = parameters["RoleArn"], !roleARN.isEmpty else {
            return .failure(.sts("ValidationError", "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null"))
        }
        guard let sessionName = parameters["RoleSessionName"], !sessionName.isEmpty else {
            return .failure(
                .sts("ValidationError", "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null")
            )
        }
        guard (2...64).contains(sessionName.count), sessionName.unicodeScalars.allSatisfy(STS.isSessionCharacter) else {
            return .failure(
                .sts(
                    "ValidationError",
                    "1 validation error detected: Value '\(sessionName)' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
                )
            )
        }
        var duration = 3600
        if let text = parameters["DurationSeconds"] {
            guard let value = Int(text), (900...43200).contains(value) else {
                return .failure(
                    .sts(
                        "ValidationError",
                        "1 validation error detected: Value '\(text)' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200"
                    )
                )
            }
            duration = value
        }
        if let externalID = parameters["ExternalId"], !(2...1224).contains(externalID.count) {
            return .failure(
                .sts("ValidationError", "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must have length between 2 and 1224")
            )
        }
        var tags: [(String, String)] = []
        var index = 1
        while let key = parameters["Tags.member.\(index).Key"] {
            tags.append((key, parameters["Tags.member.\(index).Value"] ?? ""))
            index += 1
        }
        let sourceIdentity = parameters["SourceIdentity"]

        // Authorize first: an unknown role is denied like any other (AWS does not reveal whether it exists).
        var extra: [String: [String]] = ["sts:RoleSessionName": [sessionName]]
        if let externalID = parameters["ExternalId"] { extra["sts:ExternalId"] = [externalID] }
        if let sourceIdentity { extra["sts:SourceIdentity"] = [sourceIdentity] }
        if !tags.isEmpty {
            for (key, value) in tags { extra["aws:RequestTag/\(key)"] = [value] }
            extra["aws:TagKeys"] = tags.map(\.0)
        }
        var actions = ["sts:AssumeRole"]
        if !tags.isEmpty { actions.append("sts:TagSession") }
        if sourceIdentity != nil { actions.append("sts:SetSourceIdentity") }
        // One request time for all of them, as before: only the action differs.
        var request = authorizationRequest(for: session, action: actions[0], resourceARN: roleARN, extra: extra)
        for action in actions {
            request.action = action
            let decision = authorize(request)
            guard decision.allowed else { return .failure(.accessDenied(decision.message)) }
        }
        guard let role = model.roles.first(where: { $0.arn == roleARN }), let account = model.account(role.accountKey) else {
            return .failure(
                .accessDenied("User: \(session.principalARN) is not authorized to perform: sts:AssumeRole on resource: \(roleARN)")
            )
        }
        // Role chaining: a role session assuming a role gets at most one hour.
        if duration > 3600 {
            return .failure(
                .sts("ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
            )
        }
        if duration > role.maxSessionDuration {
            return .failure(.sts("ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."))
        }
        let issued = withLock { state in
            issue(&state, role: role, accountID: account.id, sessionName: sessionName, duration: duration, chained: true, sourceIdentity: sourceIdentity)
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
        if !tags.isEmpty { result += "    <PackedPolicySize>\(min(100, tags.count * 6))</PackedPolicySize>\n" }
        result += """
              </AssumeRoleResult>
              <ResponseMetadata>
                <RequestId>\(requestID)</RequestId>
              </ResponseMetadata>
            </AssumeRoleResponse>

            """
        return .success(Self.xmlResponse(result, requestID: requestID))
    }

    private func getCallerIdentity(session: Session, requestID: String) -> HTTPResponse {
        let xml = """
            <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <GetCallerIdentityResult>
                <Arn>\(XMLNode.escape(session.principalARN))</Arn>
                <UserId>\(Self.roleID(session.role)):\(XMLNode.escape(session.sessionName))</UserId>
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
