import Foundation

/// The wire protocols this client speaks; each decodes its own error documents.
package enum WireProtocol: Sendable {
    /// AWS Query (STS, SNS): form POST, XML answers, errors as `<ErrorResponse><Error><Code>…`.
    case query
    /// AWS JSON 1.0 (DynamoDB, SQS) and 1.1 (KMS, Secrets Manager): JSON POST with `X-Amz-Target`, errors as
    /// `{"__type": …, "message": …}`.
    case json10
    case json11
    /// REST-XML (S3): the operation in the method and path, XML bodies, errors as `<Error><Code>…`; an error to a
    /// `HEAD` has no body, so its status is its code.
    case restXML
    /// REST-JSON (Lambda): the operation in the method and path, errors named by `x-amzn-ErrorType`.
    case restJSON
}

/// Where one request goes on a service's endpoint. The RPC protocols POST to the endpoint itself (the default).
struct Route: Sendable {
    var method = "POST"
    /// The path as sent, already URI-encoded, appended to the endpoint's own path.
    var path = "/"
    /// The query as sent, already encoded, without `?`.
    var query = ""
    /// S3's virtual-hosted style: the bucket as the first label of the endpoint's host.
    var hostPrefix: String?

    /// The request's URL on `endpoint`; the endpoint itself for the default route.
    func url(on endpoint: URL) -> URL? {
        if path == "/", query.isEmpty, hostPrefix == nil { return endpoint }
        guard let scheme = endpoint.scheme, var host = endpoint.host else { return nil }
        if let hostPrefix { host = hostPrefix + "." + host }
        if host.contains(":"), !host.hasPrefix("[") { host = "[" + host + "]" }
        var text = scheme + "://" + host
        if let port = endpoint.port { text += ":" + String(port) }
        var base = SigV4Signer.wirePathAndQuery(endpoint).path
        while base.hasSuffix("/") { base.removeLast() }
        text += base + (path.hasPrefix("/") ? path : "/" + path)
        if !query.isEmpty { text += "?" + query }
        return URL(string: text)
    }
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
    ///
    /// `route` places the request (method, path, query, S3's bucket host); `unsignedPayload` signs S3's
    /// `UNSIGNED-PAYLOAD` instead of the body's hash.
    func send(
        operation: String, route: Route = Route(), headers: [(name: String, value: String)], body: [UInt8], signed: Bool = true,
        unsignedPayload: Bool = false
    ) async throws -> HTTPResponse {
        // An invalid endpoint fails every call with the error that names it.
        if !endpointIsValid { _ = try AWSConfiguration.endpointURL(self.endpoint.absoluteString) }
        let base = self.endpoint
        guard let endpoint = route.url(on: base) else {
            throw AWSError(
                kind: .invalidParameter, code: AWSError.Code.invalidParameter,
                message: "no valid URL for \(route.method) \(route.path) on \(base.absoluteString)", service: service.rawValue, operation: operation)
        }
        let method = route.method
        guard !configuration.region.isEmpty else {
            throw AWSError(kind: .invalidConfiguration, code: AWSError.Code.missingRegion, message: "no AWS region configured", service: service.rawValue, operation: operation)
        }
        guard let total = configuration.timeouts.total else {
            return try await sendWithRetries(
                operation: operation, method: method, endpoint: endpoint, headers: headers, body: body, signed: signed, unsignedPayload: unsignedPayload)
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
            try await call.sendWithRetries(
                operation: operation, method: method, endpoint: endpoint, headers: headers, body: body, signed: signed, unsignedPayload: unsignedPayload)
        }
    }

    private func sendWithRetries(
        operation: String, method: String, endpoint: URL, headers: [(name: String, value: String)], body: [UInt8], signed: Bool,
        unsignedPayload: Bool
    ) async throws -> HTTPResponse {
        let retry = configuration.retry
        var attempt = 1
        var spent = 0
        var refreshedAfterExpiry = false
        while true {
            do {
                let response = try await attemptOnce(
                    operation: operation, method: method, endpoint: endpoint, headers: headers, body: body, signed: signed,
                    unsignedPayload: unsignedPayload)
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
        operation: String, method: String, endpoint: URL, headers: [(name: String, value: String)], body: [UInt8], signed: Bool,
        unsignedPayload: Bool
    ) async throws -> HTTPResponse {
        var request = HTTPRequest(method: method, url: endpoint, headers: headers, body: body)
        // A GET or HEAD without a body carries no Content-Length (as the SDKs send them; a transport may drop a signed one).
        if !body.isEmpty || method == "POST" || method == "PUT" { request.headers.append((name: "Content-Length", value: String(body.count))) }
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
            var signer = service == .s3
                ? SigV4Signer.s3(credentials: credentials, region: configuration.region)
                : SigV4Signer(credentials: credentials, region: configuration.region, service: service.rawValue)
            signer.unsignedPayload = unsignedPayload
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
        let json = try? JSONValue.parse(response.body)
        let type = [json?["__type"]?.string, json?["code"]?.string, json?["Code"]?.string, response.header("x-amzn-ErrorType")]
            .compactMap { $0 }.first { !$0.isEmpty }
        if let type {
            error.kind = .service
            // `aws.protocoltests#Name:http://internal.amazon.com/…` → `Name`, as botocore reads it.
            let name = type.split(separator: ":", maxSplits: 1).first.map(String.init) ?? type
            error.code = name.split(separator: "#").last.map(String.init) ?? name
            let message = json?["message"]?.string ?? json?["Message"]?.string ?? json?["errorMessage"]?.string
            error.message = message ?? (json?["__type"] != nil ? "" : "HTTP \(response.status) without an error document")
            // AWS JSON services that were Query services (SQS) name the legacy code too, which is what the SDKs match
            // on: `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender`.
            if let legacy = response.header("x-amzn-query-error") {
                let parts = legacy.split(separator: ";", omittingEmptySubsequences: false)
                if parts.count == 2, !parts[0].isEmpty {
                    error.shapeName = error.code
                    error.code = String(parts[0])
                }
            }
            return error
        }
        // S3 answers an error to a HEAD without a body: its status is all there is (the SDKs' names for it).
        if response.body.isEmpty, wire == .restXML, let name = Self.statusNames[response.status] {
            error.kind = .service
            error.code = name
            error.message = "HTTP \(response.status) (\(name)); an answer to HEAD carries no error document"
            return error
        }
        error.message = "HTTP \(response.status) with \(Self.describeBody(response)) instead of an AWS error document"
        return error
    }

    /// HTTP reason phrases without their spaces: the codes the SDKs give a body-less S3 error (403 `Forbidden`,
    /// 404 `NotFound`).
    static let statusNames: [Int: String] = [
        301: "MovedPermanently", 304: "NotModified", 307: "TemporaryRedirect", 400: "BadRequest", 401: "Unauthorized", 403: "Forbidden",
        404: "NotFound", 405: "MethodNotAllowed", 409: "Conflict", 411: "LengthRequired", 412: "PreconditionFailed",
        416: "RequestedRangeNotSatisfiable", 500: "InternalServerError", 501: "NotImplemented", 503: "ServiceUnavailable",
    ]

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
