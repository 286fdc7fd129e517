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

    /// Sends `body` as `operation` and returns a 2xx response; every failure is an `AWSError`.
    ///
    /// Retries as `RetryPolicy` says, bounds each attempt and the whole call by `Timeouts`, and on `ExpiredToken`
    /// asks the credentials provider to refresh and tries once more (not counted as a retry). `signed: false` sends
    /// without credentials (`AssumeRoleWithWebIdentity`, whose proof is the token in the body).
    func send(operation: String, headers: [(name: String, value: String)], body: [UInt8], signed: Bool = true) async throws -> HTTPResponse {
        let endpoint = try AWSConfiguration.endpointURL(configuration.endpoint(for: service).absoluteString)
        guard !configuration.region.isEmpty else {
            throw AWSError(kind: .invalidConfiguration, code: AWSError.Code.missingRegion, message: "no AWS region configured", service: service.rawValue, operation: operation)
        }
        let retry = configuration.retry
        let timeouts = configuration.timeouts
        let deadline = timeouts.total.map { configuration.clock().addingTimeInterval($0.timeInterval) }
        var attempt = 1
        var spent = 0
        var refreshedAfterExpiry = false
        while true {
            do {
                let response = try await attemptOnce(operation: operation, endpoint: endpoint, headers: headers, body: body, signed: signed, deadline: deadline)
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
                let delay = retry.delay(beforeRetry: attempt)
                if let deadline, configuration.clock().addingTimeInterval(delay.timeInterval) >= deadline {
                    throw deadlineExceeded(operation: operation, attempts: attempt, last: error)
                }
                try await retry.sleep(delay)
                attempt += 1
            }
        }
    }

    /// One signed request, bounded by the attempt timeout and what is left before the deadline.
    private func attemptOnce(
        operation: String, endpoint: URL, headers: [(name: String, value: String)], body: [UInt8], signed: Bool, deadline: Date?
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
        var limit = configuration.timeouts.attempt
        var limitError = AWSError(
            kind: .timeout, code: AWSError.Code.attemptTimeout,
            message: "no answer within \(limit.map(\.timeInterval) ?? 0) s from \(endpoint.absoluteString)", service: service.rawValue, operation: operation
        )
        if let deadline {
            let remaining = deadline.timeIntervalSince(configuration.clock())
            let left = AWSError(
                kind: .timeout, code: AWSError.Code.deadlineExceeded,
                message: "the call ran past its \(configuration.timeouts.total.map(\.timeInterval) ?? 0) s deadline",
                service: service.rawValue, operation: operation
            )
            guard remaining > 0 else { throw left }
            if limit == nil || remaining < limit!.timeInterval {
                limit = .milliseconds(Int64((remaining * 1000).rounded(.up)))
                limitError = left
            }
        }
        let response: HTTPResponse
        do {
            let transport = configuration.transport
            let sent = request
            response = try await withTimeout(limit, sleep: configuration.timeouts.sleep, error: limitError) { try await transport.send(sent) }
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

    private func deadlineExceeded(operation: String, attempts: Int, last: AWSError) -> AWSError {
        AWSError(
            kind: .timeout, code: AWSError.Code.deadlineExceeded,
            message: "gave up after \(attempts) attempt\(attempts == 1 ? "" : "s"): the next retry would run past the "
                + "\(configuration.timeouts.total.map(\.timeInterval) ?? 0) s deadline; last error: \(last)",
            status: last.status, requestID: last.requestID, service: service.rawValue, operation: operation
        )
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
