import Foundation

/// The two wire protocols this client speaks; each decodes its own error documents.
package enum WireProtocol: Sendable {
    /// AWS Query: form POST, XML answers, errors as `<ErrorResponse><Error><Code>…`.
    case query
    /// AWS JSON 1.0: JSON POST with `X-Amz-Target`, errors as `{"__type": …, "message": …}`.
    case json10
}

/// Signs, sends and retries one operation; turns error answers into `AWSError`.
struct ServiceCall: Sendable {
    let configuration: AWSConfiguration
    let service: AWSService
    let wire: WireProtocol
    /// Where the calls go, and whether it is an http(s) URL with a host. Endpoints from the environment were checked
    /// when read; one given in code is checked here, once per client rather than per call (the check reads
    /// Foundation's URL host, which percent-decodes it anew each time).
    private let endpoint: URL
    private let endpointIsValid: Bool

    init(configuration: AWSConfiguration, service: AWSService, wire: WireProtocol) {
        self.configuration = configuration
        self.service = service
        self.wire = wire
        endpoint = configuration.endpoint(for: service)
        endpointIsValid = AWSConfiguration.isValidEndpoint(endpoint)
    }

    /// Sends `body` as `operation` and returns a 2xx response; every failure is an `AWSError`.
    ///
    /// Retries as `RetryPolicy` says, bounds each attempt and the whole call by `Timeouts`, and on `ExpiredToken`
    /// asks the credentials provider to refresh and tries once more (not counted as a retry). `signed: false` sends
    /// without credentials (`AssumeRoleWithWebIdentity`, whose proof is the token in the body).
    func send(operation: String, headers: [(name: String, value: String)], body: [UInt8], signed: Bool = true) async throws -> HTTPResponse {
        // An invalid endpoint fails every call with the error that names it.
        if !endpointIsValid { _ = try AWSConfiguration.endpointURL(endpoint.absoluteString) }
        guard !configuration.region.isEmpty else {
            throw AWSError(kind: .invalidConfiguration, code: AWSError.Code.missingRegion, message: "no AWS region configured", service: service.rawValue, operation: operation)
        }
        guard let total = configuration.timeouts.total else {
            return try await sendWithRetries(operation: operation, endpoint: endpoint, headers: headers, body: body, signed: signed)
        }
        // The deadline is a timer raced against the whole call, not a clock reading: the configuration's clock is the
        // wall clock that signs (a simulator moves it at will), while a deadline is elapsed time.
        let deadline = AWSError(
            kind: .timeout, code: AWSError.Code.deadlineExceeded,
            message: "no answer within the call's \(total.timeInterval) s deadline (attempts and backoff together)",
            service: service.rawValue, operation: operation
        )
        let call = self
        return try await withTimeout(total, sleep: configuration.timeouts.sleep, error: deadline) {
            try await call.sendWithRetries(operation: operation, endpoint: endpoint, headers: headers, body: body, signed: signed)
        }
    }

    private func sendWithRetries(
        operation: String, endpoint: URL, headers: [(name: String, value: String)], body: [UInt8], signed: Bool
    ) async throws -> HTTPResponse {
        let retry = configuration.retry
        var attempt = 1
        var spent = 0
        var refreshedAfterExpiry = false
        while true {
            do {
                let response = try await attemptOnce(operation: operation, endpoint: endpoint, headers: headers, body: body, signed: signed)
                retry.quota.release(spent)
                return response
            } catch let error as AWSError {
                if signed, error.isExpiredToken, !refreshedAfterExpiry {
                    refreshedAfterExpiry = true
                    await configuration.credentials.invalidate()
                    continue
                }
                guard error.isRetryable, attempt < retry.maxAttempts, let cost = retry.quota.acquire(after: error) else { throw error }
                spent += cost
                try await retry.sleep(retry.delay(beforeRetry: attempt))
                attempt += 1
            }
        }
    }

    /// One signed request, bounded by the attempt timeout.
    private func attemptOnce(
        operation: String, endpoint: URL, headers: [(name: String, value: String)], body: [UInt8], signed: Bool
    ) async throws -> HTTPResponse {
        var request = HTTPRequest(method: "POST", url: endpoint, headers: headers, body: body)
        request.headers.append((name: "Content-Length", value: String(body.count)))
        if signed {
            let credentials: AWSCredentials
            do {
                credentials = try await configuration.credentials.credentials()
            } catch var error as AWSError {
                if error.operation == nil, error.kind == .missingCredentials {
                    error.service = service.rawValue
                    error.operation = operation
                }
                throw error
            }
            let signer = SigV4Signer(credentials: credentials, region: configuration.region, service: service.rawValue)
            request = signer.sign(request, at: configuration.clock())
        }
        let response: HTTPResponse
        do {
            let transport = configuration.transport
            if let limit = configuration.timeouts.attempt {
                // The error is written only when there is a limit (its text cost more than an in-process answer).
                let limitError = AWSError(
                    kind: .timeout, code: AWSError.Code.attemptTimeout,
                    message: "no answer within \(limit.timeInterval) s from \(endpoint.absoluteString)", service: service.rawValue, operation: operation
                )
                let sent = request
                response = try await withTimeout(limit, sleep: configuration.timeouts.sleep, error: limitError) { try await transport.send(sent) }
            } else {
                response = try await transport.send(request)
            }
        } catch var error as AWSError {
            error.service = error.service ?? service.rawValue
            error.operation = error.operation ?? operation
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw AWSError(kind: .transport, code: AWSError.Code.transport, message: "\(error)", service: service.rawValue, operation: operation)
        }
        if (200...299).contains(response.status) { return response }
        throw decodeError(response, operation: operation)
    }

    /// An error answer as `AWSError`: the service's code and message when the body says so, else a malformed-response error.
    func decodeError(_ response: HTTPResponse, operation: String) -> AWSError {
        let headerRequestID = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id")
        var error = AWSError(
            kind: .malformedResponse, code: AWSError.Code.malformedResponse, message: "", status: response.status,
            requestID: headerRequestID, service: service.rawValue, operation: operation
        )
        // Either format can come back: DynamoDB answers auth failures from some front ends (and moto) in XML.
        if let xml = try? XMLNode.parse(response.body), let code = xml.descendant("Code")?.text, !code.isEmpty {
            error.kind = .service
            error.code = code
            error.message = xml.descendant("Message")?.text ?? ""
            error.requestID = headerRequestID ?? xml.descendant("RequestId")?.text ?? xml.descendant("RequestID")?.text
            return error
        }
        if let json = try? JSONValue.parse(response.body), let type = json["__type"]?.string, !type.isEmpty {
            error.kind = .service
            error.code = type.split(separator: "#").last.map(String.init) ?? type
            error.message = json["message"]?.string ?? json["Message"]?.string ?? ""
            return error
        }
        if let type = response.header("x-amzn-ErrorType"), !type.isEmpty {
            error.kind = .service
            error.code = String(type.split(separator: ":").first ?? Substring(type))
            error.message = "HTTP \(response.status) without an error document"
            return error
        }
        error.message = "HTTP \(response.status) with \(Self.describeBody(response)) instead of an AWS error document"
        return error
    }

    /// "an HTML page", "an empty body", "412 bytes of text/plain".
    static func describeBody(_ response: HTTPResponse) -> String {
        if response.body.isEmpty { return "an empty body" }
        let type = response.header("content-type") ?? "no content type"
        let start = String(decoding: response.body.prefix(64), as: UTF8.self).lowercased()
        if type.lowercased().contains("html") || start.contains("<html") || start.contains("<!doctype html") {
            return "an HTML page (\(response.body.count) bytes)"
        }
        return "\(response.body.count) bytes of \(type)"
    }

    func malformed(_ response: HTTPResponse, operation: String, _ reason: String) -> AWSError {
        AWSError(
            kind: .malformedResponse, code: AWSError.Code.malformedResponse, message: reason, status: response.status,
            requestID: response.header("x-amzn-RequestId"), service: service.rawValue, operation: operation
        )
    }
}
